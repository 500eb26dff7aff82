namespace Controllers.Kube;

/// <summary><c>auto</c>: JSON when stdout is not a terminal (in a cluster), text on a terminal.</summary>
public enum LogFormat
{
    Auto,
    Json,
    Text,
}
