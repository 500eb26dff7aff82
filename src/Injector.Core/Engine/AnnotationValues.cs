using System.Globalization;

namespace Injector.Core.Engine;

/// <summary>
/// Syntax checks for annotation values that end up in env vars, args or URLs, so a value cannot smuggle a newline
/// or a second setting into a sidecar's environment. The rules are the Kubernetes ones where one exists.
/// </summary>
internal static class AnnotationValues
{
    /// <summary>A Service name: an RFC 1035 label (lower-case letters, digits, '-', starting with a letter, at most 63).</summary>
    public static bool IsServiceName(string value)
    {
        if (value.Length is 0 or > 63 || !IsLowerAlpha(value[0]) || value[^1] == '-')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(IsLowerAlpha(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>key=value[,key=value]</c> with label keys and values as the API validates them.</summary>
    public static bool IsLabelSelector(string value)
    {
        foreach (var raw in value.Split(','))
        {
            var pair = raw.Trim();
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !IsLabelKey(pair[..eq]) || !IsLabelValue(pair[(eq + 1)..]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An absolute http(s) URL with no whitespace or control characters.</summary>
    public static bool IsHttpUrl(string value) =>
        !HasWhitespaceOrControl(value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    public static bool HasWhitespaceOrControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A TCP port written in plain decimal: no sign, no leading zero (0755 would read as octal in YAML 1.1).</summary>
    public static bool TryParsePort(string value, out int port)
    {
        port = 0;
        if (value.Length is 0 or > 5 || value[0] == '0')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        port = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        return port is >= 1 and <= 65535;
    }

    /// <summary>For messages: the value in quotes, control characters escaped, long values cut without splitting a pair.</summary>
    public static string Quote(string value)
    {
        const int Max = 80;
        var cut = value.Length > Max ? value[..(char.IsHighSurrogate(value[Max - 1]) ? Max - 1 : Max)] + "..." : value;
        var sb = new System.Text.StringBuilder(cut.Length + 2).Append('\'');
        foreach (var c in cut)
        {
            if (char.IsControl(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.Append('\'').ToString();
    }

    private static bool IsLabelKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length is 0 or > 253 || !prefix.Split('.').All(IsDns1123Label))
            {
                return false;
            }

            key = key[(slash + 1)..];
        }

        return key.Length is > 0 and <= 63 && IsLabelName(key);
    }

    private static bool IsLabelValue(string value) => value.Length == 0 || (value.Length <= 63 && IsLabelName(value));

    /// <summary><c>([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]</c>.</summary>
    private static bool IsLabelName(string value)
    {
        if (!char.IsAsciiLetterOrDigit(value[0]) || !char.IsAsciiLetterOrDigit(value[^1]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDns1123Label(string value)
    {
        if (value.Length is 0 or > 63 || !(IsLowerAlpha(value[0]) || char.IsAsciiDigit(value[0])) || value[^1] == '-')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(IsLowerAlpha(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerAlpha(char c) => c is >= 'a' and <= 'z';
}
