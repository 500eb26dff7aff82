using System.Globalization;
using Sidecars.Contract;
using Sidecars.Runtime.Logging;

namespace Shawarma.Cli;

/// <summary>
/// Parses <c>shawarma [flags] monitor [flags]</c> like the original (urfave/cli): <c>--flag value</c>,
/// <c>--flag=value</c>, single or double dash; boolean flags take no value unless written <c>--flag=false</c>.
/// Every flag falls back to its environment variable; the command line wins.
/// </summary>
internal static class OptionsParser
{
    private static readonly Dictionary<string, string?> EnvByFlag = new(StringComparer.Ordinal)
    {
        ["service"] = ShawarmaContract.ServiceVariable,
        ["service-labels"] = ShawarmaContract.ServiceLabelsVariable,
        ["pod"] = ShawarmaContract.PodNameVariable,
        ["namespace"] = ShawarmaContract.PodNamespaceVariable,
        ["url"] = ShawarmaContract.UrlVariable,
        ["disable-notifier"] = ShawarmaContract.DisableNotifierVariable,
        ["listen-port"] = ShawarmaContract.ListenPortVariable,
        [LogContract.LevelOption[2..]] = LogContract.LevelVariable,
        [LogContract.FormatOption[2..]] = LogContract.FormatVariable,
        ["kubeconfig"] = null,
        ["context"] = null,
    };

    public static ParseResult Parse(IReadOnlyList<string> args, Func<string, string?> env, LogFormat defaultFormat)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        string? command = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-help" or "help")
            {
                return new ParseResult(null, true, null);
            }

            if (!arg.StartsWith('-') || arg == "-")
            {
                if (command is not null)
                {
                    return Fail($"unexpected argument '{arg}'");
                }

                command = arg;
                continue;
            }

            var name = arg.TrimStart('-');
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            if (!EnvByFlag.ContainsKey(name))
            {
                return Fail($"unknown flag '{arg}'");
            }

            if (value is null)
            {
                if (name == "disable-notifier")
                {
                    value = "true";
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    return Fail($"flag '--{name}' needs a value");
                }
            }

            given[name] = value;
        }

        if (command is null)
        {
            return Fail($"no command given; the command is '{ShawarmaContract.MonitorCommand}'");
        }

        if (command != ShawarmaContract.MonitorCommand)
        {
            return Fail($"unknown command '{command}'; the command is '{ShawarmaContract.MonitorCommand}'");
        }

        string? Get(string flag) =>
            given.TryGetValue(flag, out var v) ? v
            : EnvByFlag[flag] is { } envName && env(envName) is { Length: > 0 } e ? e
            : null;

        var service = NullIfBlank(Get("service"));
        var labelsText = NullIfBlank(Get("service-labels"));
        if (service is null && labelsText is null)
        {
            return Fail($"no service to monitor: give --service ({ShawarmaContract.ServiceVariable}) or --service-labels ({ShawarmaContract.ServiceLabelsVariable})");
        }

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (labelsText is not null && !TryParseLabels(labelsText, labels, out var labelError))
        {
            return Fail(labelError);
        }

        var pod = NullIfBlank(Get("pod"));
        if (pod is null)
        {
            return Fail($"no pod name: give --pod or {ShawarmaContract.PodNameVariable} (a fieldRef to metadata.name)");
        }

        var ns = NullIfBlank(Get("namespace"));
        if (ns is null)
        {
            return Fail($"no namespace: give --namespace or {ShawarmaContract.PodNamespaceVariable} (a fieldRef to metadata.namespace)");
        }

        var urlText = NullIfBlank(Get("url")) ?? ShawarmaContract.DefaultUrl;
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
        {
            return Fail($"--url '{urlText}' is not an absolute http(s) URL");
        }

        var disableText = NullIfBlank(Get("disable-notifier")) ?? "false";
        if (!TryParseBool(disableText, out var disable))
        {
            return Fail($"--disable-notifier '{disableText}' is not a boolean (true/false)");
        }

        var portText = NullIfBlank(Get("listen-port")) ?? ShawarmaContract.DefaultListenPort.ToString(CultureInfo.InvariantCulture);
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return Fail($"--listen-port '{portText}' is not a port number (1-65535)");
        }

        var levelText = NullIfBlank(Get(LogContract.LevelOption[2..])) ?? ShawarmaContract.DefaultLogLevel;
        if (!LogSettings.TryParseLevel(levelText, LogLevel.Warn, out var level, out var levelError))
        {
            return Fail($"--log-level: {levelError}");
        }

        if (!LogSettings.TryParseFormat(NullIfBlank(Get(LogContract.FormatOption[2..])), defaultFormat, out var format, out var formatError))
        {
            return Fail($"--log-format: {formatError}");
        }

        return new ParseResult(
            new MonitorOptions(service, labels, pod, ns, url, disable, port, level, format, NullIfBlank(Get("kubeconfig")), NullIfBlank(Get("context"))),
            false,
            null);
    }

    /// <summary>Go's strconv.ParseBool plus yes/no.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "1" or "t" or "true" or "yes" or "y" or "on": value = true; return true;
            case "0" or "f" or "false" or "no" or "n" or "off": value = false; return true;
            default: value = false; return false;
        }
    }

    private static bool TryParseLabels(string text, SortedDictionary<string, string> labels, out string error)
    {
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq > 0 ? part[..eq].Trim() : "";
            var value = eq > 0 ? part[(eq + 1)..].Trim().TrimStart('=') : "";
            if (key.Length == 0 || key.Contains('!', StringComparison.Ordinal) || value.Contains('=', StringComparison.Ordinal)
                || key.Contains(' ', StringComparison.Ordinal) || value.Contains(' ', StringComparison.Ordinal))
            {
                error = $"--service-labels: '{part}' is not label=value (expected label1=value1,label2=value2)";
                return false;
            }

            labels[key] = value;
        }

        error = labels.Count == 0 ? "--service-labels is empty (expected label1=value1,label2=value2)" : "";
        return labels.Count > 0;
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static ParseResult Fail(string message) => new(null, false, message);
}
