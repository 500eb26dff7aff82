namespace Shawarma.Http;

/// <summary>What the state server needs from a request head.</summary>
internal sealed record HttpRequestHead(string Method, string Path, bool KeepAlive, bool HasBody);
