namespace Proa.Identity;

/// <summary>Which pod proa belongs to, and where the names came from (for error messages).</summary>
internal sealed record PodIdentity(string Namespace, string Name, string NameSource, string NamespaceSource)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
