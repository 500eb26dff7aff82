namespace Rollout.Output;

/// <summary><c>--log-format</c>: lines and tables for people, or one JSON object per event for pipelines.</summary>
public enum OutputFormat
{
    Text,
    Json,
}
