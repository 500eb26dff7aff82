using Sidecars.Contract;
using Sidecars.Runtime.Logging;

namespace Proa.Cli;

/// <summary>
/// Hand-written parser: the grammar is tiny and a library would cost binary size and AOT trimming trouble.
/// Options end at "--" or at the first argument that is not an option, so "proa ls -l" works too.
/// </summary>
internal static class OptionsParser
{
    private const string KubeconfigOption = "--kubeconfig";

    public static ParseOutcome Parse(IReadOnlyList<string> args, Func<string, string?> getEnv, LogFormat defaultFormat)
    {
        var formatText = getEnv(LogContract.FormatVariable);
        var gets = new List<Uri>();
        var posts = new List<Uri>();
        TimeSpan? startupTimeout = ProaOptions.DefaultStartupTimeout;
        string? kubeconfig = null;
        var verbose = false;

        var i = 0;
        while (i < args.Count)
        {
            var arg = args[i];
            if (arg == ProaContract.CommandSeparator)
            {
                i++;
                break;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                break;
            }

            if (arg is "-h" or "--help")
            {
                return ParseOutcome.Help();
            }

            if (arg is "-v" or "--verbose")
            {
                verbose = true;
                i++;
                continue;
            }

            var (name, inlineValue) = SplitInline(arg);
            if (name is not (ProaContract.ShutdownHttpGetOption or ProaContract.ShutdownHttpPostOption or ProaContract.StartupTimeoutOption
                or KubeconfigOption or LogContract.FormatOption))
            {
                return ParseOutcome.Fail($"unknown option '{arg}' (use -- before a command that starts with '-')");
            }

            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
                i++;
            }
            else if (i + 1 < args.Count)
            {
                value = args[i + 1];
                i += 2;
            }
            else
            {
                return ParseOutcome.Fail($"option '{name}' needs a value");
            }

            switch (name)
            {
                case ProaContract.ShutdownHttpGetOption:
                case ProaContract.ShutdownHttpPostOption:
                    if (!TryParseHttpUrl(value, out var url))
                    {
                        return ParseOutcome.Fail($"{name}: '{value}' is not an absolute http:// or https:// URL");
                    }

                    (name == ProaContract.ShutdownHttpGetOption ? gets : posts).Add(url);
                    break;
                case ProaContract.StartupTimeoutOption:
                    if (!DurationParser.TryParse(value, out var timeout, out var why))
                    {
                        return ParseOutcome.Fail($"{ProaContract.StartupTimeoutOption}: '{value}' {why}");
                    }

                    startupTimeout = timeout == TimeSpan.Zero ? null : timeout;
                    break;
                case LogContract.FormatOption:
                    formatText = value;
                    break;
                default:
                    if (value.Length == 0)
                    {
                        return ParseOutcome.Fail($"{KubeconfigOption}: empty path");
                    }

                    kubeconfig = value;
                    break;
            }
        }

        if (!LogSettings.TryParseFormat(formatText, defaultFormat, out var format, out var formatError))
        {
            return ParseOutcome.Fail(formatError!);
        }

        if (i >= args.Count)
        {
            return ParseOutcome.Fail("no command given; usage: proa [OPTIONS] [--] COMMAND [ARGS...]");
        }

        var command = args[i];
        if (command.Length == 0)
        {
            return ParseOutcome.Fail("the command is an empty string");
        }

        var rest = new List<string>();
        for (var j = i + 1; j < args.Count; j++)
        {
            rest.Add(args[j]);
        }

        return ParseOutcome.Ok(new ProaOptions(gets, posts, startupTimeout, kubeconfig, verbose, format, command, rest));
    }

    private static (string Name, string? Value) SplitInline(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
    }

    private static bool TryParseHttpUrl(string value, out Uri url)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
        {
            url = parsed;
            return true;
        }

        url = null!;
        return false;
    }
}
