namespace Proa.Cli;

/// <summary>
/// Hand-written parser: the grammar is tiny and a library would cost binary size and AOT trimming trouble.
/// Options end at "--" or at the first argument that is not an option, so "proa ls -l" works too.
/// </summary>
internal static class OptionsParser
{
    public static ParseOutcome Parse(IReadOnlyList<string> args)
    {
        var gets = new List<Uri>();
        var posts = new List<Uri>();
        TimeSpan? startupTimeout = ProaOptions.DefaultStartupTimeout;
        string? kubeconfig = null;
        var verbose = false;

        var i = 0;
        while (i < args.Count)
        {
            var arg = args[i];
            if (arg == "--")
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
            if (name is not ("--shutdown-http-get" or "--shutdown-http-post" or "--startup-timeout" or "--kubeconfig"))
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
                case "--shutdown-http-get":
                case "--shutdown-http-post":
                    if (!TryParseHttpUrl(value, out var url))
                    {
                        return ParseOutcome.Fail($"{name}: '{value}' is not an absolute http:// or https:// URL");
                    }

                    (name == "--shutdown-http-get" ? gets : posts).Add(url);
                    break;
                case "--startup-timeout":
                    if (!DurationParser.TryParse(value, out var timeout) || timeout < TimeSpan.Zero)
                    {
                        return ParseOutcome.Fail($"--startup-timeout: '{value}' is not a duration (examples: 90s, 5m, 1h30m, 120)");
                    }

                    startupTimeout = timeout == TimeSpan.Zero ? null : timeout;
                    break;
                default:
                    if (value.Length == 0)
                    {
                        return ParseOutcome.Fail("--kubeconfig: empty path");
                    }

                    kubeconfig = value;
                    break;
            }
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

        return ParseOutcome.Ok(new ProaOptions(gets, posts, startupTimeout, kubeconfig, verbose, command, rest));
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
