namespace Injector.Core.Patching;

/// <summary>RFC 6901 reference tokens: '~' becomes '~0' and '/' becomes '~1' (annotation keys contain '/').</summary>
public static class JsonPointer
{
    public static string Escape(string token) =>
        token.Contains('~', StringComparison.Ordinal) || token.Contains('/', StringComparison.Ordinal)
            ? token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)
            : token;

    public static string Append(string path, string token) => path + "/" + Escape(token);

    public static string Append(string path, int index) => path + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
