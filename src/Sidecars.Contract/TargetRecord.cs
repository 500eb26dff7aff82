using System.Text.Json.Nodes;

namespace Sidecars.Contract;

/// <summary>What the injector changed in one of the user's containers.</summary>
public sealed class TargetRecord
{
    /// <summary>Dotted field path (<c>readinessProbe</c>, <c>lifecycle.preStop</c>, <c>command</c>, <c>args</c>) to
    /// the value it had before the injector set it (null: absent).</summary>
    public SortedDictionary<string, JsonNode?> Set { get; } = new(StringComparer.Ordinal);

    /// <summary>Dotted field path to the value the injector wrote, for fields whose current value is compared
    /// with it (probes and hooks; since version 2).</summary>
    public SortedDictionary<string, JsonNode?> Wrote { get; } = new(StringComparer.Ordinal);

    /// <summary>Names of the env vars the injector added.</summary>
    public List<string> Env { get; } = [];

    /// <summary>Names of the volume mounts the injector added.</summary>
    public List<string> VolumeMounts { get; } = [];

    public bool IsEmpty => Set.Count == 0 && Wrote.Count == 0 && Env.Count == 0 && VolumeMounts.Count == 0;
}
