using System.Globalization;
using Shawarma.Logging;

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
        ["service"] = "SHAWARMA_SERVICE",
        ["service-labels"] = "SHAWARMA_SERVICE_LABELS",
        ["pod"] = "MY_POD_NAME",
        ["namespace"] = "MY_POD_NAMESPACE",
        ["url"] = "SHAWARMA_URL",
        ["disable-notifier"] = "SHAWARMA_DISABLE_STATE_NOTIFIER",
        ["listen-port"] = "SHAWARMA_LISTEN_PORT",
        ["log-level"] = "LOG_LEVEL",
        ["kubeconfig"] = null,
    };

    public static ParseResult Parse(IReadOnlyList<string> args, Func<string, string?> env)
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
            return Fail("no command given; the command is 'monitor'");
        }

        if (command != "monitor")
        {
            return Fail($"unknown command '{command}'; the command is 'monitor'");
        }

        string? Get(string flag) =>
            given.TryGetValue(flag, out var v) ? v
            : EnvByFlag[flag] is { } envName && env(envName) is { Length: > 0 } e ? e
            : null;

        var service = NullIfBlank(Get("service"));
        var labelsText = NullIfBlank(Get("service-labels"));
        if (service is null && labelsText is null)
        {
            return Fail("no service to monitor: give --service (SHAWARMA_SERVICE) or --service-labels (SHAWARMA_SERVICE_LABELS)");
        }

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (labelsText is not null && !TryParseLabels(labelsText, labels, out var labelError))
        {
            return Fail(labelError);
        }

        var pod = NullIfBlank(Get("pod"));
        if (pod is null)
        {
            return Fail("no pod name: give --pod or MY_POD_NAME (a fieldRef to metadata.name)");
        }

        var ns = NullIfBlank(Get("namespace"));
        if (ns is null)
        {
            return Fail("no namespace: give --namespace or MY_POD_NAMESPACE (a fieldRef to metadata.namespace)");
        }

        var urlText = NullIfBlank(Get("url")) ?? "http://localhost/applicationstate";
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
        {
            return Fail($"--url '{urlText}' is not an absolute http(s) URL");
        }

        var disableText = NullIfBlank(Get("disable-notifier")) ?? "false";
        if (!TryParseBool(disableText, out var disable))
        {
            return Fail($"--disable-notifier '{disableText}' is not a boolean (true/false)");
        }

        var portText = NullIfBlank(Get("listen-port")) ?? "8099";
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return Fail($"--listen-port '{portText}' is not a port number (1-65535)");
        }

        var levelText = NullIfBlank(Get("log-level")) ?? "warn";
        if (!Log.TryParseLevel(levelText, out var level))
        {
            return Fail($"--log-level '{levelText}' is not one of panic, fatal, error, warn, info, debug, trace");
        }

        return new ParseResult(
            new MonitorOptions(service, labels, pod, ns, url, disable, port, level, NullIfBlank(Get("kubeconfig"))),
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
