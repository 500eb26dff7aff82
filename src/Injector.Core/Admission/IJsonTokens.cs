using System.Text.Json;

namespace Injector.Core.Admission;

/// <summary>
/// The part of <see cref="Utf8JsonReader"/>'s surface that <see cref="AdmissionRequestReader"/> walks a review with,
/// so one walk runs on either tokenizer: <see cref="FastJsonTokens"/> for the common case, and
/// <see cref="Utf8JsonTokens"/> (the reader itself) for everything else. Members mean what Utf8JsonReader's do.
/// </summary>
internal interface IJsonTokens
{
    JsonTokenType TokenType { get; }

    /// <summary>For a string or property name, its bytes between the quotes as written (escaped); for a number, its text.</summary>
    ReadOnlySpan<byte> ValueSpan { get; }

    bool ValueIsEscaped { get; }

    long TokenStartIndex { get; }

    long BytesConsumed { get; }

    bool Read();

    /// <summary>On a property name, moves past its value; on the start of an object or array, to its end.</summary>
    void Skip();

    bool ValueTextEquals(ReadOnlySpan<byte> utf8Text);

    string? GetString();

    bool GetBoolean();

    int CopyString(Span<byte> utf8Destination);

    bool TryGetInt32(out int value);

    bool TryGetInt64(out long value);

    bool TryGetDouble(out double value);
}
