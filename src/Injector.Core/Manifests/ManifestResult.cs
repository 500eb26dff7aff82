namespace Injector.Core.Manifests;

/// <summary>
/// The YAML to print (every document that was read and not denied), the warnings and errors to print on stderr, and
/// whether any document was left out (denied, or unreadable).
/// </summary>
public sealed record ManifestResult(string Yaml, IReadOnlyList<string> Messages, bool AnyDenied);
