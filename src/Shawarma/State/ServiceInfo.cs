namespace Shawarma.State;

/// <summary>A Service reduced to its name and labels.</summary>
internal sealed record ServiceInfo(string Name, IReadOnlyDictionary<string, string> Labels);
