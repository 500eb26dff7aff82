using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TestKit.Kube.Selectors;

/// <summary>
/// A parsed <c>labelSelector</c> with the grammar of k8s.io/apimachinery/pkg/labels: comma-separated requirements
/// <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>, <c>k&gt;n</c>,
/// <c>k&lt;n</c>. <c>!=</c> and <c>notin</c> also match objects without the key. Invalid input throws
/// <see cref="FormatException"/> with the server's kind of message.
/// </summary>
public sealed partial class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    /// <exception cref="FormatException">The selector does not parse or names an invalid key or value.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var lexer = new Lexer(text);
        var requirements = new List<Requirement>();
        while (true)
        {
            requirements.Add(ParseRequirement(lexer));
            var token = lexer.Next();
            if (token.Kind == TokenKind.End)
            {
                break;
            }

            if (token.Kind != TokenKind.Comma)
            {
                throw new FormatException($"found '{token.Text}', expected: ',' or 'end of string'");
            }
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r.Matches(labels));

    public override string ToString() => string.Join(",", _requirements);

    private static Requirement ParseRequirement(Lexer lexer)
    {
        var token = lexer.Next();
        if (token.Kind == TokenKind.DoesNotExist)
        {
            var key = lexer.Next();
            if (key.Kind != TokenKind.Identifier)
            {
                throw new FormatException($"found '{key.Text}', expected: identifier after '!'");
            }

            ValidateKey(key.Text);
            return new Requirement(key.Text, Operator.DoesNotExist, []);
        }

        if (token.Kind != TokenKind.Identifier)
        {
            throw new FormatException($"found '{token.Text}', expected: !, identifier, or 'end of string'");
        }

        var keyText = token.Text;
        ValidateKey(keyText);
        var op = lexer.Peek();
        if (op.Kind is TokenKind.End or TokenKind.Comma)
        {
            return new Requirement(keyText, Operator.Exists, []);
        }

        lexer.Next();
        switch (op.Kind)
        {
            case TokenKind.Equals:
            case TokenKind.DoubleEquals:
            case TokenKind.NotEquals:
            {
                var value = lexer.Peek();
                string text = "";
                if (value.Kind == TokenKind.Identifier)
                {
                    lexer.Next();
                    text = value.Text;
                }
                else if (value.Kind is not (TokenKind.End or TokenKind.Comma))
                {
                    throw new FormatException($"found '{value.Text}', expected: identifier");
                }

                ValidateValue(keyText, text);
                return new Requirement(keyText, op.Kind == TokenKind.NotEquals ? Operator.NotEquals : Operator.Equals, [text]);
            }

            case TokenKind.GreaterThan:
            case TokenKind.LessThan:
            {
                var value = lexer.Next();
                if (value.Kind != TokenKind.Identifier || !long.TryParse(value.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                {
                    throw new FormatException($"unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");
                }

                return new Requirement(keyText, op.Kind == TokenKind.GreaterThan ? Operator.GreaterThan : Operator.LessThan, [value.Text]);
            }

            case TokenKind.In:
            case TokenKind.NotIn:
            {
                var open = lexer.Next();
                if (open.Kind != TokenKind.OpenParen)
                {
                    throw new FormatException($"found '{open.Text}', expected: '('");
                }

                var values = new List<string>();
                while (true)
                {
                    var value = lexer.Next();
                    if (value.Kind == TokenKind.CloseParen && values.Count == 0)
                    {
                        throw new FormatException("unable to parse requirement: for 'in', 'notin' operators, values set can't be empty");
                    }

                    if (value.Kind != TokenKind.Identifier)
                    {
                        throw new FormatException($"found '{value.Text}', expected: identifier");
                    }

                    ValidateValue(keyText, value.Text);
                    values.Add(value.Text);
                    var separator = lexer.Next();
                    if (separator.Kind == TokenKind.CloseParen)
                    {
                        break;
                    }

                    if (separator.Kind != TokenKind.Comma)
                    {
                        throw new FormatException($"found '{separator.Text}', expected: ',' or ')'");
                    }
                }

                return new Requirement(keyText, op.Kind == TokenKind.In ? Operator.In : Operator.NotIn, values);
            }

            default:
                throw new FormatException($"found '{op.Text}', expected: in, notin, =, ==, !=, gt, lt");
        }
    }

    private static void ValidateKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        var prefix = slash < 0 ? null : key[..slash];
        if (name.Length is 0 or > 63 || !NamePattern().IsMatch(name) || (prefix is not null && (prefix.Length is 0 or > 253 || !DnsSubdomainPattern().IsMatch(prefix))))
        {
            throw new FormatException($"unable to parse requirement: key: Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
    }

    private static void ValidateValue(string key, string value)
    {
        if (value.Length > 63 || (value.Length > 0 && !NamePattern().IsMatch(value)))
        {
            throw new FormatException($"unable to parse requirement: values[0][{key}]: Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomainPattern();

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
        GreaterThan,
        LessThan,
    }

    private sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Operator.Equals or Operator.In => has && Values.Contains(value!),
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value!),
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                Operator.GreaterThan => has && long.TryParse(value, CultureInfo.InvariantCulture, out var g) && g > long.Parse(Values[0], CultureInfo.InvariantCulture),
                Operator.LessThan => has && long.TryParse(value, CultureInfo.InvariantCulture, out var l) && l < long.Parse(Values[0], CultureInfo.InvariantCulture),
                _ => false,
            };
        }

        public override string ToString() => Op switch
        {
            Operator.Equals => $"{Key}={Values[0]}",
            Operator.NotEquals => $"{Key}!={Values[0]}",
            Operator.In => $"{Key} in ({string.Join(",", Values)})",
            Operator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
            Operator.Exists => Key,
            Operator.DoesNotExist => "!" + Key,
            Operator.GreaterThan => $"{Key}>{Values[0]}",
            _ => $"{Key}<{Values[0]}",
        };
    }

    private enum TokenKind
    {
        End,
        Identifier,
        Comma,
        Equals,
        DoubleEquals,
        NotEquals,
        DoesNotExist,
        In,
        NotIn,
        OpenParen,
        CloseParen,
        GreaterThan,
        LessThan,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    private sealed class Lexer(string input)
    {
        private int _position;
        private Token? _peeked;

        public Token Peek() => _peeked ??= Read();

        public Token Next()
        {
            var token = Peek();
            _peeked = null;
            return token;
        }

        private Token Read()
        {
            while (_position < input.Length && char.IsWhiteSpace(input[_position]))
            {
                _position++;
            }

            if (_position >= input.Length)
            {
                return new Token(TokenKind.End, "end of string");
            }

            var c = input[_position];
            switch (c)
            {
                case ',':
                    _position++;
                    return new Token(TokenKind.Comma, ",");
                case '(':
                    _position++;
                    return new Token(TokenKind.OpenParen, "(");
                case ')':
                    _position++;
                    return new Token(TokenKind.CloseParen, ")");
                case '>':
                    _position++;
                    return new Token(TokenKind.GreaterThan, ">");
                case '<':
                    _position++;
                    return new Token(TokenKind.LessThan, "<");
                case '=':
                    _position++;
                    if (_position < input.Length && input[_position] == '=')
                    {
                        _position++;
                        return new Token(TokenKind.DoubleEquals, "==");
                    }

                    return new Token(TokenKind.Equals, "=");
                case '!':
                    _position++;
                    if (_position < input.Length && input[_position] == '=')
                    {
                        _position++;
                        return new Token(TokenKind.NotEquals, "!=");
                    }

                    return new Token(TokenKind.DoesNotExist, "!");
            }

            var text = new StringBuilder();
            while (_position < input.Length && !char.IsWhiteSpace(input[_position]) && ",()=!<>".IndexOf(input[_position], StringComparison.Ordinal) < 0)
            {
                text.Append(input[_position++]);
            }

            var word = text.ToString();
            return word switch
            {
                "in" => new Token(TokenKind.In, word),
                "notin" => new Token(TokenKind.NotIn, word),
                _ => new Token(TokenKind.Identifier, word),
            };
        }
    }
}
