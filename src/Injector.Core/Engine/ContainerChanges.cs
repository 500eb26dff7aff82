using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>
/// What the injector changed in one of the user's containers, recorded in the status annotation so the next pass
/// can undo exactly that: fields it set (with the value they had before, or null when absent), env vars and mounts
/// it added.
/// </summary>
public sealed class ContainerChanges
{
    /// <summary>Dotted field path (e.g. <c>readinessProbe</c>, <c>lifecycle.preStop</c>) to the original value.</summary>
    public SortedDictionary<string, JsonNode?> Set { get; } = new(StringComparer.Ordinal);

    public List<string> Env { get; } = [];

    public List<string> VolumeMounts { get; } = [];

    public bool IsEmpty => Set.Count == 0 && Env.Count == 0 && VolumeMounts.Count == 0;
}
