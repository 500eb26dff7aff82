namespace Injector.Core.Yaml;

/// <summary>
/// Bounds on what one read may cost, so hostile YAML (an alias bomb, deep nesting, a huge file) is refused early
/// with a clear error instead of growing the process. Alias expansion is also held to go-yaml v2's rule (kubectl's
/// reader): past 1,000 nodes, at most 99% of them may come from aliases, falling to 10% at 4,000,000 nodes.
/// </summary>
public sealed record YamlLimits
{
    /// <summary>For <c>inject -f</c>: anything kubectl could send (the API server takes 3 MiB per object).</summary>
    public static YamlLimits Manifests { get; } = new()
    {
        MaxStreamChars = 32 * 1024 * 1024,
        MaxDocumentChars = 8 * 1024 * 1024,
        MaxDepth = 512,
        MaxNodes = 2_000_000,
    };

    /// <summary>For the injector's config: what a ConfigMap can hold (1 MiB), and no deeper than its schema needs.</summary>
    public static YamlLimits Config { get; } = new()
    {
        MaxStreamChars = 1024 * 1024,
        MaxDocumentChars = 1024 * 1024,
        MaxDepth = 32,
        MaxNodes = 100_000,
    };

    /// <summary>Characters of the whole input.</summary>
    public required int MaxStreamChars { get; init; }

    /// <summary>Characters of one document (between <c>---</c> lines).</summary>
    public required int MaxDocumentChars { get; init; }

    /// <summary>Nesting of mappings and sequences in one document.</summary>
    public required int MaxDepth { get; init; }

    /// <summary>Nodes one document may produce, counting every node an alias or merge key copies.</summary>
    public required long MaxNodes { get; init; }
}
