using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;

namespace Injector.Core.Admission;

/// <summary>
/// A tokenizer for the JSON the API server sends, about twice as fast as <see cref="Utf8JsonReader"/> on what a
/// review mostly is (values the injector skips: managedFields, env lists, untouched containers; measured on the
/// bench's 150 KB pod), because skipping checks the grammar in one loop without keeping a token's state, line
/// numbers or a reader's bookkeeping.
/// <para>
/// It reads a strict subset of what Utf8JsonReader accepts (RFC 8259 without comments or trailing commas, nesting
/// up to <see cref="DepthLimit"/>, no <c>\u</c> escape of a UTF-16 surrogate) and throws <see cref="Stopped"/> at
/// anything outside it, valid or not. The caller then reads the body again with Utf8JsonReader, which decides and
/// words the answer: what this tokenizer reads, Utf8JsonReader reads the same way, and every refusal is the
/// reader's. The body must be valid UTF-8 (the handler checks that first): bytes of 0x80 and above are taken as
/// string content without decoding.
/// </para>
/// <para>
/// Interpreting a value (unescaping a string, a number's value) is left to a Utf8JsonReader over that one token, so
/// it is exactly what the reader would give; those are the few values the engine reads.
/// </para>
/// </summary>
internal ref struct FastJsonTokens : IJsonTokens
{
    /// <summary>Nesting deeper than this stops the tokenizer (Utf8JsonReader then applies the real limit).</summary>
    public const int DepthLimit = 64;

    // A new exception each time: one instance thrown on several threads at once would share its stack trace.
    private static Stopped Stop => new();

    private readonly ReadOnlySpan<byte> _json;
    private int _position;
    private int _tokenStart;
    private int _valueStart;
    private int _valueLength;
    private bool _escaped;
    private JsonTokenType _token;
    private int _depth;

    // One bit per open container, innermost lowest: 1 for an object, 0 for an array (DepthLimit bits).
    private ulong _objects;

    public FastJsonTokens(ReadOnlySpan<byte> json)
    {
        _json = json;
    }

    public readonly JsonTokenType TokenType => _token;

    public readonly ReadOnlySpan<byte> ValueSpan => _json.Slice(_valueStart, _valueLength);

    public readonly bool ValueIsEscaped => _escaped;

    public readonly long TokenStartIndex => _tokenStart;

    /// <summary>As Utf8JsonReader counts it: after a property name, past its colon; otherwise past the token.</summary>
    public readonly long BytesConsumed => _position;

    private readonly bool InObject => (_objects & 1) != 0;

    public bool Read()
    {
        var json = _json;
        var i = SkipWhitespace(json, _position);
        switch (_token)
        {
            case JsonTokenType.None:
                return ReadValue(i);
            case JsonTokenType.StartObject:
                return i < json.Length && json[i] == (byte)'}' ? Close(i, JsonTokenType.EndObject) : ReadPropertyName(i);
            case JsonTokenType.StartArray:
                return i < json.Length && json[i] == (byte)']' ? Close(i, JsonTokenType.EndArray) : ReadValue(i);
            case JsonTokenType.PropertyName:
                return ReadValue(i);
        }

        if (_depth == 0)
        {
            // After the one value only whitespace may follow.
            if (i != json.Length)
            {
                throw Stop;
            }

            return false;
        }

        if (i >= json.Length)
        {
            throw Stop;
        }

        switch (json[i])
        {
            case (byte)',':
                i = SkipWhitespace(json, i + 1);
                return InObject ? ReadPropertyName(i) : ReadValue(i);
            case (byte)'}' when InObject:
                return Close(i, JsonTokenType.EndObject);
            case (byte)']' when !InObject:
                return Close(i, JsonTokenType.EndArray);
            default:
                throw Stop;
        }
    }

    public void Skip()
    {
        if (_token == JsonTokenType.PropertyName)
        {
            Read();
        }

        if (_token is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            SkipContainer();
        }
    }

    public readonly bool ValueTextEquals(ReadOnlySpan<byte> utf8Text)
    {
        StringToken();
        return _escaped ? OneToken().ValueTextEquals(utf8Text) : ValueSpan.SequenceEqual(utf8Text);
    }

    public readonly string? GetString()
    {
        if (_token == JsonTokenType.Null)
        {
            return null;
        }

        StringToken();
        return _escaped ? OneToken().GetString() : Encoding.UTF8.GetString(ValueSpan);
    }

    public readonly bool GetBoolean() => _token switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Stop,
    };

    public readonly int CopyString(Span<byte> utf8Destination)
    {
        StringToken();
        if (_escaped)
        {
            return OneToken().CopyString(utf8Destination);
        }

        ValueSpan.CopyTo(utf8Destination);
        return _valueLength;
    }

    public readonly bool TryGetInt32(out int value) => NumberToken().TryGetInt32(out value);

    public readonly bool TryGetInt64(out long value) => NumberToken().TryGetInt64(out value);

    public readonly bool TryGetDouble(out double value) => NumberToken().TryGetDouble(out value);

    private readonly void StringToken()
    {
        if (_token is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            throw Stop;
        }
    }

    /// <summary>A Utf8JsonReader on the current string token alone (quotes included), positioned on it.</summary>
    private readonly Utf8JsonReader OneToken() => ReaderOn(_json.Slice(_tokenStart, _valueLength + 2));

    private readonly Utf8JsonReader NumberToken() => _token == JsonTokenType.Number ? ReaderOn(ValueSpan) : throw Stop;

    private static Utf8JsonReader ReaderOn(ReadOnlySpan<byte> token)
    {
        var reader = new Utf8JsonReader(token);
        try
        {
            reader.Read();
        }
        catch (JsonException)
        {
            // Not reached for a token this tokenizer checked; if ever, the body is read again, not answered from here.
            throw Stop;
        }

        return reader;
    }

    private bool ReadPropertyName(int i)
    {
        var json = _json;
        if (i >= json.Length || json[i] != (byte)'"')
        {
            throw Stop;
        }

        var end = ScanString(json, i, out _escaped);
        _tokenStart = i;
        _valueStart = i + 1;
        _valueLength = end - i - 2;
        var colon = SkipWhitespace(json, end);
        if (colon >= json.Length || json[colon] != (byte)':')
        {
            throw Stop;
        }

        _position = colon + 1;
        _token = JsonTokenType.PropertyName;
        return true;
    }

    private bool ReadValue(int i)
    {
        var json = _json;
        if (i >= json.Length)
        {
            throw Stop;
        }

        _tokenStart = i;
        _escaped = false;
        int end;
        switch (json[i])
        {
            case (byte)'{':
                Open(isObject: true);
                _token = JsonTokenType.StartObject;
                end = i + 1;
                break;
            case (byte)'[':
                Open(isObject: false);
                _token = JsonTokenType.StartArray;
                end = i + 1;
                break;
            case (byte)'"':
                end = ScanString(json, i, out _escaped);
                _token = JsonTokenType.String;
                _valueStart = i + 1;
                _valueLength = end - i - 2;
                break;
            case (byte)'t':
                end = Literal(json, i, "true"u8);
                _token = JsonTokenType.True;
                break;
            case (byte)'f':
                end = Literal(json, i, "false"u8);
                _token = JsonTokenType.False;
                break;
            case (byte)'n':
                end = Literal(json, i, "null"u8);
                _token = JsonTokenType.Null;
                break;
            default:
                end = ScanNumber(json, i);
                _token = JsonTokenType.Number;
                _valueStart = i;
                _valueLength = end - i;
                break;
        }

        _position = end;
        return true;
    }

    private void Open(bool isObject)
    {
        if (_depth >= DepthLimit)
        {
            throw Stop;
        }

        _depth++;
        _objects = (_objects << 1) | (isObject ? 1UL : 0UL);
    }

    private bool Close(int i, JsonTokenType token)
    {
        _depth--;
        _objects >>= 1;
        _tokenStart = i;
        _position = i + 1;
        _token = token;
        return true;
    }

    /// <summary>
    /// From the start of an object or array to its end, checking the grammar on the way: one loop, no token state.
    /// Leaves the tokenizer on the matching end, as Utf8JsonReader's Skip does.
    /// </summary>
    private void SkipContainer()
    {
        var json = _json;
        var target = _depth - 1;
        var depth = _depth;
        var objects = _objects;
        var i = _position;
        byte b;

    Opened:
        i = SkipWhitespace(json, i);
        if (i >= json.Length)
        {
            throw Stop;
        }

        b = json[i];
        if ((objects & 1) != 0)
        {
            if (b == (byte)'}')
            {
                goto Closed;
            }

            goto Key;
        }

        if (b == (byte)']')
        {
            goto Closed;
        }

        goto Value;

    Key:
        if (i >= json.Length || json[i] != (byte)'"')
        {
            throw Stop;
        }

        i = SkipWhitespace(json, ScanString(json, i, out _));
        if (i >= json.Length || json[i] != (byte)':')
        {
            throw Stop;
        }

        i = SkipWhitespace(json, i + 1);

    Value:
        if (i >= json.Length)
        {
            throw Stop;
        }

        switch (json[i])
        {
            case (byte)'"':
                i = ScanString(json, i, out _);
                break;
            case (byte)'{':
            case (byte)'[':
                if (depth >= DepthLimit)
                {
                    throw Stop;
                }

                depth++;
                objects = (objects << 1) | (json[i] == (byte)'{' ? 1UL : 0UL);
                i++;
                goto Opened;
            case (byte)'t':
                i = Literal(json, i, "true"u8);
                break;
            case (byte)'f':
                i = Literal(json, i, "false"u8);
                break;
            case (byte)'n':
                i = Literal(json, i, "null"u8);
                break;
            default:
                i = ScanNumber(json, i);
                break;
        }

    After:
        i = SkipWhitespace(json, i);
        if (i >= json.Length)
        {
            throw Stop;
        }

        b = json[i];
        if (b == (byte)',')
        {
            i = SkipWhitespace(json, i + 1);
            if ((objects & 1) != 0)
            {
                goto Key;
            }

            goto Value;
        }

        if (b != ((objects & 1) != 0 ? (byte)'}' : (byte)']'))
        {
            throw Stop;
        }

    Closed:
        // json[i] closes the innermost container.
        depth--;
        objects >>= 1;
        i++;
        if (depth != target)
        {
            goto After;
        }

        _depth = depth;
        _objects = objects;
        _tokenStart = i - 1;
        _position = i;
        _token = b == (byte)'}' ? JsonTokenType.EndObject : JsonTokenType.EndArray;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            i++;
        }

        return i;
    }

    private static int Literal(ReadOnlySpan<byte> json, int i, ReadOnlySpan<byte> literal)
    {
        if (!json.Slice(i).StartsWith(literal))
        {
            throw Stop;
        }

        // What follows is checked by the next token: only a separator, a closing bracket or whitespace is accepted.
        return i + literal.Length;
    }

    /// <summary>The end of the number at <paramref name="i"/> (RFC 8259 grammar); what follows is checked by the next token.</summary>
    private static int ScanNumber(ReadOnlySpan<byte> json, int i)
    {
        if (json[i] == (byte)'-')
        {
            i++;
        }

        if (i >= json.Length)
        {
            throw Stop;
        }

        if (json[i] == (byte)'0')
        {
            i++;
        }
        else if (IsDigit(json[i]))
        {
            i = Digits(json, i + 1);
        }
        else
        {
            throw Stop;
        }

        if (i < json.Length && json[i] == (byte)'.')
        {
            var first = i + 1;
            i = Digits(json, first);
            if (i == first)
            {
                throw Stop;
            }
        }

        if (i < json.Length && (json[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            var first = i;
            i = Digits(json, first);
            if (i == first)
            {
                throw Stop;
            }
        }

        // A digit right after a leading zero ("01") is not a separator, so the next token stops on it.
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static int Digits(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && IsDigit(json[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// The index just past the closing quote of the string whose opening quote is at <paramref name="i"/>. Control
    /// characters, an unknown escape, a short or non-hex <c>\u</c>, or a <c>\u</c> of a surrogate stop the tokenizer.
    /// </summary>
    private static int ScanString(ReadOnlySpan<byte> json, int i, out bool escaped)
    {
        escaped = false;
        i++;
        while (true)
        {
            i = NextSpecial(json, i);
            if (i >= json.Length)
            {
                throw Stop;
            }

            var b = json[i];
            if (b == (byte)'"')
            {
                return i + 1;
            }

            if (b != (byte)'\\' || i + 1 >= json.Length)
            {
                throw Stop; // a control character, or a backslash at the very end
            }

            escaped = true;
            switch (json[i + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    i += 2;
                    break;
                case (byte)'u' when i + 5 < json.Length:
                    int h0 = Hex(json[i + 2]), h1 = Hex(json[i + 3]), h2 = Hex(json[i + 4]), h3 = Hex(json[i + 5]);
                    if ((h0 | h1 | h2 | h3) < 0 || (h0 == 0xD && h1 >= 8))
                    {
                        throw Stop;
                    }

                    i += 6;
                    break;
                default:
                    throw Stop;
            }
        }
    }

    /// <summary>A hex digit's value, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hex(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>The first quote, backslash or control character at or after <paramref name="i"/>, or the length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextSpecial(ReadOnlySpan<byte> json, int i)
    {
        if (Vector128.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(json);
            var quote = Vector128.Create((byte)'"');
            var backslash = Vector128.Create((byte)'\\');
            var space = Vector128.Create((byte)' ');
            while (i <= json.Length - Vector128<byte>.Count)
            {
                var bytes = Vector128.LoadUnsafe(ref start, (nuint)i);
                var special = Vector128.Equals(bytes, quote) | Vector128.Equals(bytes, backslash) | Vector128.LessThan(bytes, space);
                if (special != Vector128<byte>.Zero)
                {
                    return i + BitOperations.TrailingZeroCount(special.ExtractMostSignificantBits());
                }

                i += Vector128<byte>.Count;
            }
        }

        while (i < json.Length && json[i] is >= (byte)' ' and not (byte)'"' and not (byte)'\\')
        {
            i++;
        }

        return i;
    }

    /// <summary>Thrown where the tokenizer stops: the caller reads the body with Utf8JsonReader instead.</summary>
    internal sealed class Stopped : Exception
    {
        public Stopped()
            : base("the fast JSON tokenizer stopped; read with Utf8JsonReader")
        {
        }
    }
}
