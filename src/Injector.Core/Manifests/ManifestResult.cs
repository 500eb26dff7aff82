namespace Injector.Core.Manifests;

/// <summary>Injected YAML, the warnings and errors to print on stderr, and whether any object was denied.</summary>
public sealed record ManifestResult(string Yaml, IReadOnlyList<string> Messages, bool AnyDenied);
