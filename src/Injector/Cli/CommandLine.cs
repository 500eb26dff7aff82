using System.Globalization;

namespace Injector.Cli;

/// <summary>
/// Hand-rolled parsing of <c>injector [serve] [flags]</c> and <c>injector inject -f FILE|-</c>: two verbs and a
/// dozen flags do not justify a framework, and errors can name the exact flag and its valid form.
/// </summary>
internal static class CommandLine
{
    public const string Usage = """
        injector: Kubernetes mutating admission webhook that injects the shawarma, appup and proa sidecars.

        Usage:
          injector [serve] [flags]        run the webhook (default verb)
          injector inject -f FILE|- [--config FILE]
                                          inject offline: print the manifests with sidecars added

        serve flags (environment variable in brackets; the flag wins):
          --port N                  HTTPS port of POST /mutate (INJECTOR_PORT, default 8443)
          --health-port N           plain HTTP port of /healthz, /readyz, /metrics (INJECTOR_HEALTH_PORT, default 8080)
          --listen-address ADDR     bind address, * for all (INJECTOR_LISTEN_ADDRESS, default *)
          --tls-cert-file FILE      PEM certificate (chain); reloaded on change (INJECTOR_TLS_CERT_FILE)
          --tls-key-file FILE       PEM private key; reloaded on change (INJECTOR_TLS_KEY_FILE)
                                    without both, a self-signed CA and certificate are generated
          --self-signed-dir DIR     where the self-signed CA goes (INJECTOR_SELF_SIGNED_DIR, default a temp dir)
          --config FILE             YAML config, reloaded on change (INJECTOR_CONFIG, default built-in)
          --sidecar-clusterroles S  shawarma=ROLE,proa=ROLE: keep RoleBindings for injected pods
                                    (INJECTOR_SIDECAR_CLUSTERROLES, default off)
          --max-request-bytes N     AdmissionReview body cap (INJECTOR_MAX_REQUEST_BYTES, default 3145728)
          --log-format json|text    (INJECTOR_LOG_FORMAT, default json)
          --log-level LEVEL         debug, info, warn, error or none (INJECTOR_LOG_LEVEL, default info)
        """;

    public static ServeOptions ParseServe(IReadOnlyList<string> args, Func<string, string?> env)
    {
        var options = new ServeOptions
        {
            Port = Int(env("INJECTOR_PORT"), "INJECTOR_PORT", 8443),
            HealthPort = Int(env("INJECTOR_HEALTH_PORT"), "INJECTOR_HEALTH_PORT", 8080),
            ListenAddress = env("INJECTOR_LISTEN_ADDRESS") ?? "*",
            TlsCertFile = NullIfEmpty(env("INJECTOR_TLS_CERT_FILE")),
            TlsKeyFile = NullIfEmpty(env("INJECTOR_TLS_KEY_FILE")),
            SelfSignedDir = NullIfEmpty(env("INJECTOR_SELF_SIGNED_DIR")),
            ConfigFile = NullIfEmpty(env("INJECTOR_CONFIG")),
            SidecarClusterRoles = NullIfEmpty(env("INJECTOR_SIDECAR_CLUSTERROLES")),
            MaxRequestBytes = Int(env("INJECTOR_MAX_REQUEST_BYTES"), "INJECTOR_MAX_REQUEST_BYTES", 3 * 1024 * 1024),
            JsonLogs = LogFormat(env("INJECTOR_LOG_FORMAT") ?? "json", "INJECTOR_LOG_FORMAT"),
            LogLevel = Level(env("INJECTOR_LOG_LEVEL") ?? "info", "INJECTOR_LOG_LEVEL"),
        };

        for (int i = 0; i < args.Count; i++)
        {
            var (flag, value) = Split(args, ref i);
            options = flag switch
            {
                "--port" => options with { Port = Port(Need(flag, value), flag) },
                "--health-port" => options with { HealthPort = Port(Need(flag, value), flag) },
                "--listen-address" => options with { ListenAddress = Need(flag, value) },
                "--tls-cert-file" => options with { TlsCertFile = Need(flag, value) },
                "--tls-key-file" => options with { TlsKeyFile = Need(flag, value) },
                "--self-signed-dir" => options with { SelfSignedDir = Need(flag, value) },
                "--config" => options with { ConfigFile = Need(flag, value) },
                "--sidecar-clusterroles" => options with { SidecarClusterRoles = NullIfEmpty(Need(flag, value)) },
                "--max-request-bytes" => options with { MaxRequestBytes = Int(Need(flag, value), flag, 0) },
                "--log-format" => options with { JsonLogs = LogFormat(Need(flag, value), flag) },
                "--log-level" => options with { LogLevel = Level(Need(flag, value), flag) },
                _ => throw new UsageException($"unknown flag '{args[i]}' for serve; run 'injector --help' for the list"),
            };
        }

        if ((options.TlsCertFile is null) != (options.TlsKeyFile is null))
        {
            throw new UsageException("--tls-cert-file and --tls-key-file go together: give both, or neither for a self-signed certificate");
        }

        try
        {
            Rbac.RoleBindingReconcilerOptions.ParseClusterRoles(options.SidecarClusterRoles);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }

        if (options.MaxRequestBytes < 1024)
        {
            throw new UsageException("--max-request-bytes must be at least 1024");
        }

        return options;
    }

    public static InjectOptions ParseInject(IReadOnlyList<string> args, Func<string, string?> env)
    {
        string? file = null;
        var config = NullIfEmpty(env("INJECTOR_CONFIG"));
        for (int i = 0; i < args.Count; i++)
        {
            var (flag, value) = Split(args, ref i);
            switch (flag)
            {
                case "-f" or "--filename":
                    file = Need(flag, value);
                    break;
                case "--config":
                    config = Need(flag, value);
                    break;
                default:
                    throw new UsageException($"unknown flag '{args[i]}' for inject; usage: injector inject -f FILE|- [--config FILE]");
            }
        }

        return new InjectOptions(file ?? throw new UsageException("inject needs -f FILE (or -f - for standard input)"), config);
    }

    private static (string Flag, string? Value) Split(IReadOnlyList<string> args, ref int i)
    {
        var arg = args[i];
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
        {
            return (arg[..eq], arg[(eq + 1)..]);
        }

        if (!arg.StartsWith('-'))
        {
            throw new UsageException($"unexpected argument '{arg}'; run 'injector --help' for usage");
        }

        string? value = i + 1 < args.Count ? args[i + 1] : null;
        if (value is not null)
        {
            i++;
        }

        return (arg, value);
    }

    private static string Need(string flag, string? value) =>
        value ?? throw new UsageException($"{flag} needs a value");

    private static int Port(string text, string what)
    {
        var port = Int(text, what, 0);
        return port is >= 0 and <= 65535 ? port : throw new UsageException($"{what}: '{text}' is not a port (0-65535)");
    }

    private static int Int(string? text, string what, int fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new UsageException($"{what}: '{text}' is not a whole number");
    }

    private static bool LogFormat(string text, string what) => text switch
    {
        "json" => true,
        "text" => false,
        _ => throw new UsageException($"{what}: '{text}' is not valid; use json or text"),
    };

    private static LogLevel Level(string text, string what) => text.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "none" => LogLevel.None,
        _ => throw new UsageException($"{what}: '{text}' is not valid; use debug, info, warn, error or none"),
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
