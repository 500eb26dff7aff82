using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Injector.Core.Yaml;

/// <summary>
/// Reads the first YAML document of one chunk (the text between two <c>---</c> lines) into JSON the way
/// sigs.k8s.io/yaml does over go-yaml v2: scalars through <see cref="YamlScalarResolver"/>, merge keys applied where
/// they stand (a later key wins, a merged key overwrites an earlier one), duplicate keys last-wins, non-string keys
/// spelled as strings, aliases expanded. YamlDotNet's event parser does the scanning; the tree is built here so
/// expansion, nesting and size are counted as they grow and refused at <see cref="YamlLimits"/> (an alias bomb
/// stops after a few thousand nodes instead of growing the process by gigabytes).
/// </summary>
internal sealed partial class YamlDocumentReader
{
    private readonly string _text;
    private readonly YamlLimits _limits;
    private readonly int _lineOffset;
    private readonly Parser _parser;
    private readonly Dictionary<string, Anchor?> _anchors = new(StringComparer.Ordinal);
    private readonly HashSet<JsonNode> _anchored = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, JsonElement> _numbers = new(StringComparer.Ordinal);
    private Mark _lastMark = Mark.Empty;
    private long _nodes;
    private long _aliasNodes;
    private int _depth;
    private int _flowLevel;

    private YamlDocumentReader(string text, YamlLimits limits, int lineOffset)
    {
        _text = text;
        _limits = limits;
        _lineOffset = lineOffset;
        _parser = new Parser(new StringReader(text));
    }

    private enum Shape
    {
        Scalar,
        Mapping,
        Sequence,
    }

    /// <summary>
    /// The JSON of the chunk's first document (null for an empty or null document). <paramref name="lineOffset"/>
    /// is added to line numbers so errors point into the whole stream.
    /// </summary>
    public static JsonNode? Read(string text, YamlLimits limits, int lineOffset)
    {
        var reader = new YamlDocumentReader(text, limits, lineOffset);
        reader.CheckCharacters();
        try
        {
            return reader.ReadDocument();
        }
        catch (YamlException ex)
        {
            throw reader.Error(reader.TabIndentation(ex) ?? ex.Start, Sentence(ex.Message), ex);
        }
        catch (Exception ex) when (ex is not YamlJsonException)
        {
            // YamlDotNet throws bare exceptions on some malformed input (an unterminated flow collection).
            throw reader.Error(reader._lastMark, "the YAML cannot be read after this point (an unterminated flow collection or quoted string?)", ex);
        }
    }

    /// <summary>YamlDotNet reports a tab used as indentation at the enclosing mapping; point at the tab instead.</summary>
    private Mark? TabIndentation(YamlException ex)
    {
        if (!ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var lines = _text.Split('\n');
        for (int i = Math.Max(0, (int)ex.Start.Line - 1); i < lines.Length; i++)
        {
            var indentation = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indentation)
            {
                return new Mark(0, i + 1, tab + 1);
            }
        }

        return null;
    }

    private JsonNode? ReadDocument()
    {
        Expect<StreamStart>();
        var first = Next();
        if (first is StreamEnd)
        {
            return null;
        }

        if (first is not DocumentStart)
        {
            throw Error(first.Start, "expected the start of a document");
        }

        Next();
        // Only the first document of a chunk counts, as in go-yaml's Unmarshal; what follows "..." is not read.
        return ReadNode().Node;
    }

    private (JsonNode? Node, long Size, int Height, Shape Shape) ReadNode()
    {
        var current = _parser.Current!;
        switch (current)
        {
            case Scalar scalar:
            {
                AddNodes(1, fromAlias: false, scalar.Start);
                var resolved = ResolveScalar(scalar);
                var value = ToJson(resolved, scalar);
                Register(scalar.Anchor, value, 1, 0, Shape.Scalar, resolved);
                Next();
                return (value, 1, 0, Shape.Scalar);
            }

            case AnchorAlias alias:
                return Expand(alias);
            case SequenceStart start:
                return ReadSequence(start);
            case MappingStart start:
                return ReadMapping(start);
            default:
                throw Error(current.Start, $"unexpected {current.GetType().Name}");
        }
    }

    private (JsonNode? Node, long Size, int Height, Shape Shape) ReadSequence(SequenceStart start)
    {
        Enter(start);
        var flow = start.Style == SequenceStyle.Flow;
        _flowLevel += flow ? 1 : 0;
        var array = new JsonArray();
        long size = 1;
        var height = 0;
        AddNodes(1, fromAlias: false, start.Start);
        Next();
        while (_parser.Current is not SequenceEnd)
        {
            var item = ReadNode();
            array.Add(item.Node);
            size += item.Size;
            height = Math.Max(height, item.Height);
        }

        Next();
        _depth--;
        _flowLevel -= flow ? 1 : 0;
        Register(start.Anchor, array, size, height + 1, Shape.Sequence, null);
        return (array, size, height + 1, Shape.Sequence);
    }

    private (JsonNode? Node, long Size, int Height, Shape Shape) ReadMapping(MappingStart start)
    {
        Enter(start);
        var flow = start.Style == MappingStyle.Flow;
        _flowLevel += flow ? 1 : 0;
        var obj = new JsonObject();
        long size = 1;
        var height = 0;
        AddNodes(1, fromAlias: false, start.Start);
        Next();
        while (_parser.Current is not MappingEnd)
        {
            var keyEvent = _parser.Current!;
            if (keyEvent is Scalar { Value: "<<" } mergeKey && (IsPlainUntagged(mergeKey) || Tag(mergeKey) == YamlScalarResolver.MergeTag))
            {
                Next();
                var merged = ReadMerge();
                size += merged.Size;
                height = Math.Max(height, merged.Height);
                continue;
            }

            var key = ReadKey();
            var value = ReadNode();
            obj[key] = value.Node;
            size += 1 + value.Size;
            height = Math.Max(height, value.Height);
        }

        Next();
        _depth--;
        _flowLevel -= flow ? 1 : 0;
        Register(start.Anchor, obj, size, height + 1, Shape.Mapping, null);
        return (obj, size, height + 1, Shape.Mapping);

        (long Size, int Height) ReadMerge()
        {
            var at = _parser.Current!;
            if (at is AnchorAlias alias && _anchors.GetValueOrDefault(alias.Value.Value) is { Shape: not Shape.Mapping })
            {
                throw Error(at.Start, "map merge requires map or sequence of maps as the value");
            }

            var source = ReadNode();
            var mappings = source.Node switch
            {
                JsonObject single => [single],
                JsonArray list when list.All(i => i is JsonObject) => list.Cast<JsonObject>().Reverse().ToList(), // earlier ones win
                _ => throw Error(at.Start, "map merge requires map or sequence of maps as the value"),
            };
            foreach (var mapping in mappings)
            {
                var copy = _anchored.Contains(mapping) || (source.Node is JsonArray && _anchored.Contains(source.Node));
                foreach (var (name, value) in mapping.ToList())
                {
                    if (copy)
                    {
                        obj[name] = value?.DeepClone();
                    }
                    else
                    {
                        mapping.Remove(name);
                        obj[name] = value;
                    }
                }
            }

            return (source.Size, source.Height - 1);
        }
    }

    /// <summary>A mapping key as sigs.k8s.io/yaml spells it: ints in decimal, bools as true/false, floats as Go float32.</summary>
    private string ReadKey()
    {
        var current = _parser.Current!;
        YamlScalar scalar;
        switch (current)
        {
            case Scalar s:
                AddNodes(1, fromAlias: false, s.Start);
                scalar = ResolveScalar(s);
                Register(s.Anchor, ToJson(scalar, s), 1, 0, Shape.Scalar, scalar);
                Next();
                break;
            case AnchorAlias alias when Lookup(alias) is { Shape: Shape.Scalar, Scalar: { } value }:
                AddNodes(1, fromAlias: true, alias.Start);
                scalar = value;
                Next();
                break;
            default:
                throw Error(current.Start, "a mapping or sequence cannot be a mapping key");
        }

        return scalar.Kind switch
        {
            YamlScalarKind.String => scalar.String!,
            YamlScalarKind.Bool => scalar.Bool ? "true" : "false",
            YamlScalarKind.Int => scalar.Int.ToString(System.Globalization.CultureInfo.InvariantCulture),
            YamlScalarKind.Float => GoNumberFormat.GoFloat32Key(scalar.Float),
            YamlScalarKind.UInt => throw Error(current.Start, $"unsupported map key of type: uint64, key: {scalar.UInt}"),
            _ => throw Error(current.Start, "unsupported map key of type: <nil> (a null key)"),
        };
    }

    private (JsonNode? Node, long Size, int Height, Shape Shape) Expand(AnchorAlias alias)
    {
        var anchor = Lookup(alias);
        if (_depth + anchor.Height > _limits.MaxDepth)
        {
            throw Error(alias.Start, $"alias *{alias.Value.Value} would nest the document deeper than {_limits.MaxDepth} levels");
        }

        // Counted before copying, so an alias bomb is refused before it costs anything.
        AddNodes(anchor.Size, fromAlias: true, alias.Start);
        Next();
        return (anchor.Node?.DeepClone(), anchor.Size, anchor.Height, anchor.Shape);
    }

    private Anchor Lookup(AnchorAlias alias)
    {
        var name = alias.Value.Value;
        if (!_anchors.TryGetValue(name, out var anchor))
        {
            throw Error(alias.Start, $"unknown anchor '{name}' referenced");
        }

        return anchor ?? throw Error(alias.Start, $"anchor '{name}' value contains itself");
    }

    private void Enter(NodeEvent start)
    {
        if (++_depth > _limits.MaxDepth)
        {
            throw Error(start.Start, $"the document is nested deeper than {_limits.MaxDepth} levels");
        }

        if (!start.Anchor.IsEmpty)
        {
            // go-yaml binds the anchor before reading the children: an alias to it inside is a self-reference.
            _anchors[start.Anchor.Value] = null;
        }
    }

    private void Register(AnchorName name, JsonNode? node, long size, int height, Shape shape, YamlScalar? scalar)
    {
        if (name.IsEmpty)
        {
            return;
        }

        _anchors[name.Value] = new Anchor(node, size, height, shape, scalar);
        if (node is not null)
        {
            _anchored.Add(node);
        }
    }

    private void AddNodes(long count, bool fromAlias, Mark at)
    {
        _nodes += count;
        if (fromAlias)
        {
            _aliasNodes += count;
        }

        if (_aliasNodes > 100 && _nodes > 1000 && (double)_aliasNodes / _nodes > AllowedAliasRatio(_nodes))
        {
            throw Error(at, "document contains excessive aliasing (aliases expand to more nodes than the document itself holds)");
        }

        if (_nodes > _limits.MaxNodes)
        {
            throw Error(at, $"the document has more than {_limits.MaxNodes} nodes{(fromAlias ? " once its aliases are expanded" : string.Empty)}");
        }
    }

    /// <summary>go-yaml v2's allowedAliasRatio: 99% up to 400,000 nodes, falling to 10% at 4,000,000.</summary>
    private static double AllowedAliasRatio(long nodes) => nodes switch
    {
        <= 400_000 => 0.99,
        >= 4_000_000 => 0.10,
        _ => 0.99 - (0.89 * ((nodes - 400_000) / 3_600_000.0)),
    };

    private YamlScalar ResolveScalar(Scalar scalar)
    {
        if (scalar.Style == ScalarStyle.Plain && (scalar.Value.Contains(": ", StringComparison.Ordinal) || scalar.Value.Contains(":\t", StringComparison.Ordinal)))
        {
            // A plain scalar ends at ": " in YAML (and in kubectl); YamlDotNet reads on when a word starts with '*'
            // ("a *b: 1"). Refuse rather than misread.
            throw Error(scalar.Start, $"'{scalar.Value}' cannot be read as a plain scalar (a word starting with '*' before ': '): quote it");
        }

        if (scalar.Style == ScalarStyle.Plain && _flowLevel > 0)
        {
            CheckFlowPlainScalar(scalar);
        }

        var value = YamlScalarResolver.Resolve(Tag(scalar), scalar.Value, scalar.Style == ScalarStyle.Plain, out var error);
        if (error is not null)
        {
            throw Error(scalar.Start, error);
        }

        if (scalar.Style == ScalarStyle.DoubleQuoted && scalar.Value.Any(char.IsSurrogate) && SurrogateEscape().IsMatch(_text.AsSpan((int)scalar.Start.Index, (int)(scalar.End.Index - scalar.Start.Index))))
        {
            // YamlDotNet pairs "\uD83D\uDE00"; go-yaml refuses any escape in the surrogate range.
            throw Error(scalar.Start, "found invalid Unicode character escape code (a surrogate)");
        }

        return value;
    }

    /// <summary>
    /// Inside [...] and {...} go-yaml v2 and YamlDotNet disagree on three spellings; each is refused rather than
    /// read differently from kubectl: '?' in an unquoted word (go-yaml ends the word there, kubectl fails or reads a
    /// key), and "word:" before ',' (go-yaml keeps the ':' in the word; YamlDotNet reads a key with no value).
    /// </summary>
    private void CheckFlowPlainScalar(Scalar scalar)
    {
        if (scalar.Value.Contains('?', StringComparison.Ordinal))
        {
            throw Error(scalar.Start, $"'{scalar.Value}' inside [...] or {{...}}: kubectl reads '?' there as a key indicator; quote the value");
        }

        var end = (int)scalar.End.Index;
        if (scalar.Value.Length > 0 && end + 1 < _text.Length && _text[end] == ':' && _text[end + 1] == ',')
        {
            throw Error(scalar.Start, $"'{scalar.Value}:' before ',' inside [...] or {{...}}: kubectl reads the ':' as part of the value; quote it, or put a space after ':'");
        }
    }

    private JsonValue? ToJson(YamlScalar scalar, Scalar at) => scalar.Kind switch
    {
        YamlScalarKind.Null => null,
        YamlScalarKind.Bool => JsonValue.Create(scalar.Bool),
        YamlScalarKind.String => JsonValue.Create(scalar.String),
        YamlScalarKind.Int => Number(scalar.Int.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        YamlScalarKind.UInt => Number(scalar.UInt.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        _ when !double.IsFinite(scalar.Float) => throw Error(at.Start, $"{at.Value} cannot be represented in JSON (json: unsupported value: {(double.IsNaN(scalar.Float) ? "NaN" : scalar.Float > 0 ? "+Inf" : "-Inf")})"),
        _ => Number(GoNumberFormat.JsonFloat(scalar.Float)),
    };

    /// <summary>A number backed by its JSON text, as the webhook's parsed requests are (so TryGetValue&lt;int&gt; works).</summary>
    private JsonValue Number(string text)
    {
        if (!_numbers.TryGetValue(text, out var element))
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
            reader.Read();
            element = JsonElement.ParseValue(ref reader);
            _numbers[text] = element;
        }

        return JsonValue.Create(element)!;
    }

    private static bool IsPlainUntagged(Scalar scalar) => scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty;

    private static string Tag(Scalar scalar) => scalar.Tag.IsEmpty ? string.Empty : scalar.Tag.Value;

    private T Expect<T>()
        where T : ParsingEvent
    {
        if (!_parser.MoveNext() || _parser.Current is not T current)
        {
            throw Error(_parser.Current?.Start ?? Mark.Empty, $"expected {typeof(T).Name}");
        }

        return current;
    }

    private ParsingEvent Next()
    {
        _lastMark = _parser.Current?.End ?? _lastMark;
        if (!_parser.MoveNext())
        {
            throw Error(_parser.Current?.End ?? Mark.Empty, "unexpected end of the document");
        }

        return _parser.Current!;
    }

    /// <summary>go-yaml refuses characters YAML calls non-printable (C0/C1 controls, DEL, U+FFFE/FFFF, lone surrogates).</summary>
    private void CheckCharacters()
    {
        for (int i = 0; i < _text.Length; i++)
        {
            var c = _text[i];
            if (char.IsHighSurrogate(c) && i + 1 < _text.Length && char.IsLowSurrogate(_text[i + 1]))
            {
                i++;
                continue;
            }

            if (c is '\t' or '\n' or '\r' or (>= ' ' and <= '~') or '\u0085' or (>= '\u00A0' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD'))
            {
                continue;
            }

            var line = 1 + _text.AsSpan(0, i).Count('\n');
            var lineStart = i == 0 ? 0 : _text.LastIndexOf('\n', i - 1) + 1;
            throw new YamlJsonException(line + _lineOffset, i - lineStart + 1, $"control characters are not allowed (U+{(int)c:X4})");
        }
    }

    private YamlJsonException Error(Mark at, string message, Exception? inner = null)
    {
        var line = Math.Max(1, at.Line) + _lineOffset;
        var column = Math.Max(1, at.Column);
        return inner is null ? new YamlJsonException(line, column, message) : new YamlJsonException(line, column, message, inner);
    }

    /// <summary>YamlDotNet's "(Line: 2, Col: 1, Idx: 5) - (...): While scanning ..., found ...." without its position.</summary>
    private static string Sentence(string message)
    {
        var text = message;
        var colon = text.IndexOf("): ", StringComparison.Ordinal);
        if (text.StartsWith('(') && colon > 0)
        {
            text = text[(colon + 3)..];
        }

        text = text.TrimEnd('.');
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    [GeneratedRegex(@"(?<!\\)(\\\\)*\\(u[dD][89a-fA-F][0-9a-fA-F]{2}|U0000[dD][89a-fA-F][0-9a-fA-F]{2})", RegexOptions.CultureInvariant)]
    private static partial Regex SurrogateEscape();

    /// <summary>What an anchor stands for: the node (copied on use), its size and height, and for scalars the value.</summary>
    private sealed record Anchor(JsonNode? Node, long Size, int Height, Shape Shape, YamlScalar? Scalar);
}
