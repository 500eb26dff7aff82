using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Patching;

namespace Injector.Core.Engine;

/// <summary>
/// Short content hashes for the status: one of everything injected for a sidecar, and one of the config section
/// that shapes it. Twelve hex digits of SHA-256, like the config revision.
/// </summary>
internal sealed class Fingerprint : IDisposable
{
    private static readonly ConditionalWeakTable<InjectorConfig, Dictionary<string, string>> Revisions = new();

    // Everything added is written into one (reused) buffer by one writer, then hashed once.
    private readonly ScratchWriter _scratch = ScratchWriter.Rent(ScratchWriter.Use.Fingerprint);
    private readonly Utf8JsonWriter _writer;

    public Fingerprint()
    {
        _writer = _scratch.Writer;
        _writer.WriteStartArray();
    }

    public void Add(string label, JsonNode? value)
    {
        _writer.WriteStringValue(label);
        if (value is null)
        {
            _writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(_writer);
        }
    }

    public string Finish()
    {
        _writer.WriteEndArray();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(_scratch.Flush(), hash);
        return Convert.ToHexStringLower(hash[..6]);
    }

    public void Dispose() => _scratch.Dispose();

    /// <summary>The hash of what in <paramref name="config"/> shapes <paramref name="sidecar"/>'s containers.</summary>
    public static string ConfigRevision(InjectorConfig config, string sidecar)
    {
        var revisions = Revisions.GetValue(config, static _ => new Dictionary<string, string>(StringComparer.Ordinal));
        lock (revisions)
        {
            if (!revisions.TryGetValue(sidecar, out var revision))
            {
                using var fingerprint = new Fingerprint();
                var settings = config.Sidecars[sidecar];
                fingerprint.Add("image", settings.Image);
                fingerprint.Add("resources", settings.Resources);
                fingerprint.Add("imagePullPolicy", config.ImagePullPolicy);
                fingerprint.Add("securityContext", config.SecurityContext);
                revision = fingerprint.Finish();
                revisions[sidecar] = revision;
            }

            return revision;
        }
    }
}
