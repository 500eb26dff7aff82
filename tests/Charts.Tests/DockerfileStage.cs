namespace Charts.Tests;

/// <summary>One stage of a <see cref="Dockerfile"/>: its FROM (base, platform, lower-cased name) and its other lines.</summary>
internal sealed record DockerfileStage(string? Name, string BaseName, string? Platform, IReadOnlyList<string> Lines)
{
    /// <summary>The RUN lines, continuations joined.</summary>
    public IEnumerable<string> Runs => Lines.Where(l => l.StartsWith("RUN ", StringComparison.Ordinal));
}
