using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Injector.Cli;

/// <summary>
/// The options of <c>injector [serve]</c>: each flag, its environment variable and its default in one place, parsed
/// into <see cref="ServeOptions"/>. Added both to the root command (serve is the default verb) and to <c>serve</c>.
/// </summary>
internal sealed class ServeCommandLine
{
    private readonly Option<int> _port;
    private readonly Option<int> _healthPort;
    private readonly Option<string> _listenAddress;
    private readonly Option<string?> _tlsCertFile;
    private readonly Option<string?> _tlsKeyFile;
    private readonly Option<string?> _selfSignedDir;
    private readonly Option<string?> _config;
    private readonly Option<string?> _sidecarClusterRoles;
    private readonly Option<string?> _kubeconfig;
    private readonly Option<string?> _context;
    private readonly Option<long> _maxRequestBytes;
    private readonly Option<string> _logFormat;
    private readonly Option<string> _logLevel;

    public ServeCommandLine(Func<string, string?> env, bool stdoutIsTerminal)
    {
        var defaults = new ServeOptions();
        _port = EnvironmentOption.Create("--port", ["INJECTOR_PORT"], () => defaults.Port, Port,
            "HTTPS port of POST /mutate", "N", env);
        _healthPort = EnvironmentOption.Create("--health-port", ["INJECTOR_HEALTH_PORT"], () => defaults.HealthPort, Port,
            "Plain HTTP port of /healthz, /readyz and /metrics", "N", env);
        _listenAddress = EnvironmentOption.Create("--listen-address", ["INJECTOR_LISTEN_ADDRESS"], () => defaults.ListenAddress, Address,
            "Address to bind, * for every interface", "ADDR", env);
        _tlsCertFile = EnvironmentOption.Create("--tls-cert-file", ["INJECTOR_TLS_CERT_FILE"], () => null, Path,
            "PEM certificate (chain), reloaded on change; with --tls-key-file, or neither for a generated self-signed one", "FILE", env);
        _tlsKeyFile = EnvironmentOption.Create("--tls-key-file", ["INJECTOR_TLS_KEY_FILE"], () => null, Path,
            "PEM private key of --tls-cert-file, reloaded on change", "FILE", env);
        _selfSignedDir = EnvironmentOption.Create("--self-signed-dir", ["INJECTOR_SELF_SIGNED_DIR"], () => null, Path,
            "Where the generated CA and certificate go", "DIR", env, "a new temporary directory");
        _config = EnvironmentOption.Create("--config", ["INJECTOR_CONFIG"], () => null, Path,
            "YAML config, reloaded on change", "FILE", env, "built-in");
        _sidecarClusterRoles = EnvironmentOption.Create("--sidecar-clusterroles", ["INJECTOR_SIDECAR_CLUSTERROLES"], () => null, ClusterRoles,
            "shawarma=ROLE,proa=ROLE: keep a RoleBinding to ROLE for each service account of injected pods", "LIST", env, "off");
        // KUBECONFIG itself (a list, merged as kubectl does) is read by the API client when this is unset.
        _kubeconfig = EnvironmentOption.Create("--kubeconfig", ["INJECTOR_KUBECONFIG"], () => null, Path,
            "Kubeconfig of the API server for --sidecar-clusterroles", "FILE", env, "KUBECONFIG, else in-cluster in a pod, else ~/.kube/config");
        _context = EnvironmentOption.Create("--context", ["INJECTOR_CONTEXT"], () => null, Name,
            "Context of the kubeconfig to use", "NAME", env, "its current-context");
        _maxRequestBytes = EnvironmentOption.Create("--max-request-bytes", ["INJECTOR_MAX_REQUEST_BYTES"], () => defaults.MaxRequestBytes, RequestBytes,
            "Largest AdmissionReview body accepted; larger ones get HTTP 400", "N", env);
        _logFormat = EnvironmentOption.Create("--log-format", ["INJECTOR_LOG_FORMAT"], () => stdoutIsTerminal ? "text" : "json", LogFormat,
            "json (one object per line, the default when stdout is not a terminal) or text (human-readable)", "json|text", env);
        _logLevel = EnvironmentOption.Create("--log-level", ["INJECTOR_LOG_LEVEL"], () => "info", LogLevelName,
            "debug, info, warn, error or none", "LEVEL", env);
    }

    private IEnumerable<Option> All =>
    [
        _port, _healthPort, _listenAddress, _tlsCertFile, _tlsKeyFile, _selfSignedDir, _config, _sidecarClusterRoles,
        _kubeconfig, _context, _maxRequestBytes, _logFormat, _logLevel,
    ];

    /// <summary>Adds the options and the checks that span several of them to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetValue(_tlsCertFile) is null != result.GetValue(_tlsKeyFile) is null)
            {
                result.AddError("--tls-cert-file and --tls-key-file go together: give both, or neither for a self-signed certificate");
            }
        });
    }

    public ServeOptions Bind(ParseResult result) => new()
    {
        Port = result.GetValue(_port),
        HealthPort = result.GetValue(_healthPort),
        ListenAddress = result.GetValue(_listenAddress)!,
        TlsCertFile = result.GetValue(_tlsCertFile),
        TlsKeyFile = result.GetValue(_tlsKeyFile),
        SelfSignedDir = result.GetValue(_selfSignedDir),
        ConfigFile = result.GetValue(_config),
        SidecarClusterRoles = result.GetValue(_sidecarClusterRoles),
        Kubeconfig = result.GetValue(_kubeconfig),
        KubeContext = result.GetValue(_context),
        MaxRequestBytes = result.GetValue(_maxRequestBytes),
        JsonLogs = result.GetValue(_logFormat) == "json",
        LogLevel = Level(result.GetValue(_logLevel)!),
    };

    private static int Port(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port <= 65535 ? port : throw new FormatException($"'{text}' is not a port (0-65535)")
            : throw new FormatException($"'{text}' is not a whole number");

    private static long RequestBytes(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n is >= 1024 and <= int.MaxValue ? n : throw new FormatException($"'{text}' is out of range: must be at least 1024 and at most {int.MaxValue}")
            : throw new FormatException($"'{text}' is not a whole number");

    private static string Address(string text) =>
        text == "*" || (IPAddress.TryParse(text, out var ip) && ip.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            ? text
            : throw new FormatException($"'{text}' is not an IP address; use * for every interface");

    private static string? Path(string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new FormatException("needs a path") : text;

    private static string? Name(string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new FormatException("needs a name") : text;

    private static string? ClusterRoles(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            Rbac.RoleBindingReconcilerOptions.ParseClusterRoles(text);
            return text;
        }
        catch (FormatException ex)
        {
            // The parser names the flag itself; the caller prefixes the flag or environment variable actually used.
            throw new FormatException(ex.Message.Replace("--sidecar-clusterroles: ", "", StringComparison.Ordinal), ex);
        }
    }

    private static string LogFormat(string text) => text is "json" or "text"
        ? text
        : throw new FormatException($"'{text}' is not valid; use json or text");

    private static string LogLevelName(string text)
    {
        _ = Level(text); // validates
        return text.ToLowerInvariant();
    }

    private static LogLevel Level(string text) => text.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "none" => LogLevel.None,
        _ => throw new FormatException($"'{text}' is not valid; use debug, info, warn, error or none"),
    };
}
