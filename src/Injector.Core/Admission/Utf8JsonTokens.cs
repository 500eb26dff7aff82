using System.Text.Json;

namespace Injector.Core.Admission;

/// <summary><see cref="Utf8JsonReader"/> as <see cref="IJsonTokens"/>: the reading that decides, and words, every error.</summary>
internal ref struct Utf8JsonTokens : IJsonTokens
{
    private Utf8JsonReader _reader;

    public Utf8JsonTokens(ReadOnlySpan<byte> json, JsonReaderOptions options)
    {
        _reader = new Utf8JsonReader(json, options);
    }

    public readonly JsonTokenType TokenType => _reader.TokenType;

    public readonly ReadOnlySpan<byte> ValueSpan => _reader.ValueSpan;

    public readonly bool ValueIsEscaped => _reader.ValueIsEscaped;

    public readonly long TokenStartIndex => _reader.TokenStartIndex;

    public readonly long BytesConsumed => _reader.BytesConsumed;

    public bool Read() => _reader.Read();

    public void Skip() => _reader.Skip();

    public readonly bool ValueTextEquals(ReadOnlySpan<byte> utf8Text) => _reader.ValueTextEquals(utf8Text);

    public readonly string? GetString() => _reader.GetString();

    public readonly bool GetBoolean() => _reader.GetBoolean();

    public readonly int CopyString(Span<byte> utf8Destination) => _reader.CopyString(utf8Destination);

    public readonly bool TryGetInt32(out int value) => _reader.TryGetInt32(out value);

    public readonly bool TryGetInt64(out long value) => _reader.TryGetInt64(out value);

    public readonly bool TryGetDouble(out double value) => _reader.TryGetDouble(out value);
}
