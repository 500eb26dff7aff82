using System.Buffers;
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
        Write(value);
    }

    /// <summary>Adds <paramref name="value"/> under the label <c>owner/field</c>, without making that string.</summary>
    public void Add(string owner, string field, JsonNode? value)
    {
        WriteLabel(owner, field);
        Write(value);
    }

    /// <summary>Adds a value as <see cref="Add(string, JsonNode?)"/> would, from its bytes (see <see cref="Bytes"/>).</summary>
    public void AddRaw(string label, ReadOnlySpan<byte> json)
    {
        _writer.WriteStringValue(label);
        _writer.WriteRawValue(json, skipInputValidation: true);
    }

    /// <summary>Adds a value as <see cref="Add(string, string, JsonNode?)"/> would, from its bytes (see <see cref="Bytes"/>).</summary>
    public void AddRaw(string owner, string field, ReadOnlySpan<byte> json)
    {
        WriteLabel(owner, field);
        _writer.WriteRawValue(json, skipInputValidation: true);
    }

    /// <summary>A value as the fingerprint writes it (default escaping), to be added later with AddRaw.</summary>
    public static byte[] Bytes(JsonNode value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the label <c>owner/field</c>, without making that string.</summary>
    private void WriteLabel(string owner, string field)
    {
        var length = owner.Length + 1 + field.Length;
        char[]? rented = null;
        Span<char> label = length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(length));
        owner.CopyTo(label);
        label[owner.Length] = '/';
        field.CopyTo(label[(owner.Length + 1)..]);
        _writer.WriteStringValue(label[..length]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void Write(JsonNode? value)
    {
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
    public static string ConfigRevision(InjectorConfig config, string sidecar) =>
        Revisions.GetValue(config, static c => Compute(c))[sidecar];

    /// <summary>
    /// Every sidecar's revision, computed once per config instance (a reload makes a new one) and then read without a
    /// lock on every review. Two threads may compute it at once; the table keeps one, and both are the same.
    /// </summary>
    private static Dictionary<string, string> Compute(InjectorConfig config)
    {
        var revisions = new Dictionary<string, string>(config.Sidecars.Count, StringComparer.Ordinal);
        foreach (var (sidecar, settings) in config.Sidecars)
        {
            using var fingerprint = new Fingerprint();
            fingerprint.Add("image", settings.Image);
            fingerprint.Add("resources", settings.Resources);
            fingerprint.Add("imagePullPolicy", config.ImagePullPolicy);
            fingerprint.Add("securityContext", config.SecurityContext);
            revisions[sidecar] = fingerprint.Finish();
        }

        return revisions;
    }
}
