using System.Globalization;
using Sidecars.Contract;
using Sidecars.Runtime.Logging;

namespace AppUp.Configuration;

/// <summary>
/// Turns the command line and the environment into <see cref="AppUpOptions"/>. Pure (both are passed in) so every
/// invalid value and its message is unit-tested. An empty variable counts as unset, as in most tools, because
/// Kubernetes manifests often template <c>value: ""</c>.
/// </summary>
internal static class OptionsParser
{
    public const string FileVariable = AppUpContract.UpFileVariable;
    public const string PortVariable = AppUpContract.PortVariable;
    public const string InitialVariable = AppUpContract.InitialVariable;

    /// <summary>The only arguments: <c>--log-format json|text</c> (also <c>--log-format=text</c>).</summary>
    public static bool TryParse(IReadOnlyList<string> args, Func<string, string?> getEnvironmentVariable, LogFormat defaultFormat, out AppUpOptions? options, out string? error)
    {
        options = null;
        var formatText = NullIfEmpty(getEnvironmentVariable(LogContract.FormatVariable));
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == LogContract.FormatOption && i + 1 < args.Count)
            {
                formatText = args[++i];
            }
            else if (args[i].StartsWith(LogContract.FormatOption + "=", StringComparison.Ordinal))
            {
                formatText = args[i][(LogContract.FormatOption.Length + 1)..];
            }
            else
            {
                error = $"unknown argument '{args[i]}'; appup takes only {LogContract.FormatOption} {LogContract.JsonFormat}|{LogContract.TextFormat} and is configured with {FileVariable}, {PortVariable} and {InitialVariable}";
                return false;
            }
        }

        if (!LogSettings.TryParseFormat(formatText, defaultFormat, out var format, out error)
            || !LogSettings.TryParseLevel(NullIfEmpty(getEnvironmentVariable(LogContract.LevelVariable)), LogLevel.Info, out var level, out error))
        {
            return false;
        }

        var file = NullIfEmpty(getEnvironmentVariable(FileVariable)) ?? AppUpContract.StandaloneUpFilePath;
        if (!TryParseFile(file, out var fullPath, out error))
        {
            return false;
        }

        var port = AppUpContract.DefaultPort;
        var portText = NullIfEmpty(getEnvironmentVariable(PortVariable));
        if (portText is not null && !TryParsePort(portText, out port))
        {
            error = $"invalid {PortVariable} '{portText}': expected a TCP port number from 1 to 65535 (default {AppUpContract.DefaultPort}; 0 picks a free port)";
            return false;
        }

        var initial = InitialState.Up;
        var initialText = NullIfEmpty(getEnvironmentVariable(InitialVariable));
        if (initialText is not null)
        {
            if (initialText.Equals(AppUpContract.InitialUp, StringComparison.OrdinalIgnoreCase))
            {
                initial = InitialState.Up;
            }
            else if (initialText.Equals(AppUpContract.InitialDown, StringComparison.OrdinalIgnoreCase))
            {
                initial = InitialState.Down;
            }
            else
            {
                error = $"invalid {InitialVariable} '{initialText}': expected '{AppUpContract.InitialUp}' (create the file at start, the default) or '{AppUpContract.InitialDown}' (remove it at start)";
                return false;
            }
        }

        options = new AppUpOptions(fullPath!, port, initial, level, format);
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
            error = $"invalid {FileVariable} '{file}': expected a file path such as {AppUpContract.StandaloneUpFilePath}, not a directory";
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
