using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>What an earlier pass changed in one user container and is still as it left it.</summary>
internal sealed class OwnedTarget(string name, JsonObject container)
{
    public string Name { get; } = name;

    public JsonObject Container { get; } = container;

    public Dictionary<string, OwnedField> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>proa's wrap of command and args, with the originals the status recorded.</summary>
    public OwnedCommandLine? CommandLine { get; set; }

    /// <summary>Env var names to whether this pass set them again.</summary>
    public Dictionary<string, bool> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>Volume mount names to whether this pass mounted them again.</summary>
    public Dictionary<string, bool> Mounts { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Fields.Count == 0 && CommandLine is null && Env.Count == 0 && Mounts.Count == 0;
}
