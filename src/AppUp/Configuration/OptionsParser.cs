using System.Globalization;

namespace AppUp.Configuration;

/// <summary>
/// Turns the environment into <see cref="AppUpOptions"/>. Pure (the environment is passed in) so every
/// invalid value and its message is unit-tested. An empty variable counts as unset, as in most tools,
/// because Kubernetes manifests often template <c>value: ""</c>.
/// </summary>
internal static class OptionsParser
{
    public const string FileVariable = "UP_FILE";
    public const string PortVariable = "UP_PORT";
    public const string InitialVariable = "UP_INITIAL";

    public static bool TryParse(Func<string, string?> getEnvironmentVariable, out AppUpOptions? options, out string? error)
    {
        options = null;
        var file = NullIfEmpty(getEnvironmentVariable(FileVariable)) ?? AppUpOptions.DefaultFile;
        if (!TryParseFile(file, out var fullPath, out error))
        {
            return false;
        }

        var port = AppUpOptions.DefaultPort;
        var portText = NullIfEmpty(getEnvironmentVariable(PortVariable));
        if (portText is not null && !TryParsePort(portText, out port))
        {
            error = $"invalid {PortVariable} '{portText}': expected a TCP port number from 1 to 65535 (default {AppUpOptions.DefaultPort}; 0 picks a free port)";
            return false;
        }

        var initial = InitialState.Up;
        var initialText = NullIfEmpty(getEnvironmentVariable(InitialVariable));
        if (initialText is not null)
        {
            if (initialText.Equals("up", StringComparison.OrdinalIgnoreCase))
            {
                initial = InitialState.Up;
            }
            else if (initialText.Equals("down", StringComparison.OrdinalIgnoreCase))
            {
                initial = InitialState.Down;
            }
            else
            {
                error = $"invalid {InitialVariable} '{initialText}': expected 'up' (create the file at start, the default) or 'down' (remove it at start)";
                return false;
            }
        }

        options = new AppUpOptions(fullPath!, port, initial);
        return true;
    }

    private static bool TryParseFile(string file, out string? fullPath, out string? error)
    {
        fullPath = null;
        if (file.Contains('\0', StringComparison.Ordinal))
        {
            error = $"invalid {FileVariable}: the path contains a NUL character";
            return false;
        }

        if (file.EndsWith('/') || Path.GetFileName(file) is "." or "..")
        {
            error = $"invalid {FileVariable} '{file}': expected a file path such as {AppUpOptions.DefaultFile}, not a directory";
            return false;
        }

        fullPath = Path.GetFullPath(file);
        error = null;
        return true;
    }

    // Digits only: int.Parse would accept " 80", "+80" and "080", which hide typos in a manifest.
    private static bool TryParsePort(string text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        port = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return port <= 65535;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
