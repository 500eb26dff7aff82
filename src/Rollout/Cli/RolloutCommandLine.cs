using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using Rollout.Execution;
using Rollout.Output;
using Rollout.Planning;
using Rollout.Scheduling;
using Rollout.Selection;
using Rollout.Watch;

namespace Rollout.Cli;

/// <summary>
/// <c>sidecar-rollout [options]</c> (a one-shot run) and <c>sidecar-rollout watch [options]</c> on System.CommandLine:
/// every flag of k8s-sidecar-rollout with its name and default, as real booleans (<c>--confirm</c>,
/// <c>--confirm=true</c>, <c>--confirm false</c>; anything else is an error), help on every verb, <c>--version</c>, and a
/// usage error as one line on stderr with exit code 2.
/// </summary>
public static class RolloutCommandLine
{
    public const string Description = """
        Finds the workloads whose injected sidecars are out of date - their pods would be injected differently under
        the injector's current config - and restarts them at a bounded pace. Without --confirm it only reports what
        it would restart and why. With --sidecar-container-name it selects by container name instead (the original
        k8s-sidecar-rollout's rule).

        Exit codes: 0 everything selected was restarted, skipped with a reason or timed out (a timeout may still
        complete; see --timeout-is-failure), or a dry run; 1 a rollout failed, a restart was refused, the cluster or
        the injector config could not be read, or the run was interrupted; 2 bad command line.
        """;

    public static CliRequest Parse(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var common = new CommonOptions();
        var run = new RunCommandOptions();
        var watch = new WatchCommandOptions();
        CliRequest? request = null;

        // Not RootCommand: it names itself after argv[0], and in the image that is the shared /usr/local/bin/entrypoint link.
        var root = new Command("sidecar-rollout", Description) { Options = { new HelpOption(), new VersionOption() } };
        common.AddTo(root);
        run.AddTo(root, common);
        root.SetAction(result => request = new CliRequest.Run(run.Bind(result, common)));

        var watchCommand = new Command("watch", """
            Runs in the cluster: watches the injector's ConfigMap and the pods, and after a config change restarts the
            workloads whose sidecars are out of date, one per namespace at a time, at most one start per --interval,
            each workload at most once per --cooldown. Skips workloads annotated sidecars.dev/auto-rollout: "false".
            Emits an Event per restart, serves /healthz, /readyz and /metrics on --health-port, and acts only while it
            holds the Lease.
            """);
        common.AddTo(watchCommand);
        watch.AddTo(watchCommand);
        watchCommand.SetAction(result => request = new CliRequest.Watch(watch.Bind(result, common)));
        root.Subcommands.Add(watchCommand);

        if (BadBooleanValue(args) is { } badBoolean)
        {
            stderr.WriteLine($"error: {badBoolean} (see 'sidecar-rollout --help')");
            return new CliRequest.Done(ExitCodes.Usage);
        }

        var parsed = root.Parse(args.ToArray());
        if (parsed.Errors.Count > 0)
        {
            var verb = parsed.CommandResult.Command == root ? "sidecar-rollout" : "sidecar-rollout " + parsed.CommandResult.Command.Name;
            stderr.WriteLine($"error: {parsed.Errors[0].Message} (see '{verb} --help')");
            return new CliRequest.Done(ExitCodes.Usage);
        }

        var code = parsed.Invoke(new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // the program handles SIGINT/SIGTERM itself (finish what is in flight)
        });
        return request ?? new CliRequest.Done(code);
    }

    /// <summary>
    /// <c>--confirm=yes</c> would otherwise read as the flag plus a stray argument: a value attached to a boolean flag
    /// must be true or false, and the error says so.
    /// </summary>
    private static string? BadBooleanValue(IReadOnlyList<string> args)
    {
        foreach (var arg in args)
        {
            if (arg == "--")
            {
                break;
            }

            var split = arg.IndexOfAny(['=', ':']);
            if (split > 0 && BooleanFlags.Contains(arg[..split]) && !bool.TryParse(arg[(split + 1)..], out _))
            {
                return $"{arg[..split]}: '{arg[(split + 1)..]}' is not valid; use true or false";
            }
        }

        return null;
    }

    private static readonly HashSet<string> BooleanFlags = new(StringComparer.Ordinal)
    {
        "--confirm", "--include-daemonset", "--include-statefulset", "--exclude-deployments", "--timeout-is-failure",
    };

    internal static Option<string[]> Repeatable(string name, string description, string helpName, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        HelpName = helpName,
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.OneOrMore,
        CustomParser = result => result.Tokens
            .SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray(),
    };

    internal static Option<bool> Flag(string name, string description) => new(name)
    {
        Description = description + " (true or false; the flag alone means true)",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => false,
    };

    internal static Option<T> Parsed<T>(string name, string description, string helpName, Func<T> fallback, Func<string, T> parse, params string[] aliases)
    {
        var option = new Option<T>(name, aliases) { Description = description, HelpName = helpName };
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            try
            {
                return parse(text);
            }
            catch (FormatException ex)
            {
                result.AddError($"{name}: {ex.Message}");
                return default!;
            }
        };
        option.DefaultValueFactory = _ => fallback();
        return option;
    }

    internal static int Count(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n >= min && n <= max ? n : throw new FormatException($"'{text}' is out of range: use {min} to {max}")
            : throw new FormatException($"'{text}' is not a whole number");

    internal static TimeSpan Duration(string text) =>
        Durations.TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);

    internal static string NonEmpty(string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new FormatException("needs a value") : text.Trim();

    internal static Verbosity Level(string text) => text.Trim().ToLowerInvariant() switch
    {
        "debug" => Verbosity.Debug,
        "info" => Verbosity.Info,
        "warn" or "warning" => Verbosity.Warn,
        "error" => Verbosity.Error,
        _ => throw new FormatException($"'{text}' is not a level; use debug, info, warn or error"),
    };

    internal static OutputFormat Format(string text) => text.Trim().ToLowerInvariant() switch
    {
        "text" => OutputFormat.Text,
        "json" => OutputFormat.Json,
        _ => throw new FormatException($"'{text}' is not a format; use text or json"),
    };

    /// <summary>Flags of both verbs: cluster access, the injector config, what to select, how to restart and log.</summary>
    internal sealed class CommonOptions
    {
        public Option<string?> Kubeconfig { get; } = Parsed<string?>("--kubeconfig", "Kubeconfig file [default: KUBECONFIG, else ~/.kube/config, else in-cluster]", "FILE", () => null, NonEmpty);

        public Option<string?> Context { get; } = Parsed<string?>("--context", "Kubeconfig context to use [default: its current-context]", "NAME", () => null, NonEmpty);

        public Option<string> InjectorNamespace { get; } = Parsed("--injector-namespace", "Namespace of the injector's ConfigMap", "NAMESPACE", () => Kube.InjectorConfigSource.DefaultNamespace, NonEmpty);

        public Option<string> InjectorConfig { get; } = Parsed("--injector-config", "Name of the injector's ConfigMap (key config.yaml)", "NAME", () => Kube.InjectorConfigSource.DefaultConfigMap, NonEmpty);

        public Option<string[]> IncludeNamespace { get; } = Repeatable("--include-namespace", "Only these namespaces (repeatable, or comma-separated) [default: all]", "NAMESPACE");

        public Option<string[]> ExcludeNamespace { get; } = Repeatable("--exclude-namespace", "Never these namespaces (repeatable, or comma-separated)", "NAMESPACE");

        public Option<bool> IncludeDaemonSet { get; } = Flag("--include-daemonset", "Also restart DaemonSets");

        public Option<bool> IncludeStatefulSet { get; } = Flag("--include-statefulset", "Also restart StatefulSets");

        public Option<bool> ExcludeDeployments { get; } = Flag("--exclude-deployments", "Do not restart Deployments");

        public Option<string?> Selector { get; } = Parsed<string?>("--selector", "Only pods matching this label selector (e.g. app=web,tier!=cache)", "SELECTOR", () => null, NonEmpty, "-l");

        public Option<string> AnnotationPrefix { get; } = Parsed("--annotation-prefix", "Prefix of the restart annotations <prefix>.rollout.timestamp and <prefix>.rollout.reason", "PREFIX", () => RestartPatch.DefaultPrefix, Prefix);

        public Option<TimeSpan?> Timeout { get; } = Parsed<TimeSpan?>("--timeout", "How long to wait for one rollout to complete (e.g. 300s, 10m) [default: 300s]", "DURATION", () => null, t => Duration(t));

        public Option<int> ChunkSize { get; } = Parsed("--chunk-size", "Objects per list page, as kubectl's --chunk-size", "N", () => 500, t => Count(t, 1, 100_000));

        public Option<Verbosity?> LogLevel { get; } = Parsed<Verbosity?>("--log-level", "debug, info, warn or error [default: info]", "LEVEL", () => null, t => Level(t));

        public void AddTo(Command command)
        {
            foreach (var option in new Option[]
            {
                Kubeconfig, Context, InjectorNamespace, InjectorConfig, IncludeNamespace, ExcludeNamespace, IncludeDaemonSet,
                IncludeStatefulSet, ExcludeDeployments, Selector, AnnotationPrefix, Timeout, ChunkSize, LogLevel,
            })
            {
                command.Options.Add(option);
            }
        }

        public SelectionFilters Filters(ParseResult result, DateTimeOffset? startedBefore = null) => new()
        {
            IncludeNamespaces = (result.GetValue(IncludeNamespace) ?? []).ToHashSet(StringComparer.Ordinal),
            ExcludeNamespaces = (result.GetValue(ExcludeNamespace) ?? []).ToHashSet(StringComparer.Ordinal),
            IncludeDeployments = !result.GetValue(ExcludeDeployments),
            IncludeStatefulSets = result.GetValue(IncludeStatefulSet),
            IncludeDaemonSets = result.GetValue(IncludeDaemonSet),
            StartedBefore = startedBefore,
        };

        private static string Prefix(string text) =>
            RestartPatch.ValidatePrefix(text.Trim()) is { } error ? throw new FormatException(error) : text.Trim();
    }

    /// <summary>Flags of the one-shot run.</summary>
    internal sealed class RunCommandOptions
    {
        private readonly Option<string[]> _sidecarContainerName = Repeatable("--sidecar-container-name",
            "Select pods by container name (containers and initContainers; repeatable) instead of by sidecar drift", "NAME");

        private readonly Option<bool> _confirm = Flag("--confirm", "Restart; without it, only report what would restart and why");

        private readonly Option<int> _parallel = Parsed("--parallel-rollouts", "Rollouts in flight at once", "N", () => 1, t => Count(t, 1, 1000));

        private readonly Option<int> _maxPerNamespace = Parsed("--max-per-namespace", "Rollouts in flight at once in one namespace", "N", () => 1, t => Count(t, 1, 1000));

        private readonly Option<int> _maxFailures = Parsed("--max-failures", "Start no new rollout after this many failures (0: no limit)", "N", () => 0, t => Count(t, 0, 1_000_000));

        private readonly Option<DateTimeOffset?> _startedBefore = Parsed<DateTimeOffset?>("--only-started-before",
            "Only pods started before this time (RFC 3339; '2025-05-01 13:00' is read as UTC) [default: now]", "TIME", () => null, t => StartedBefore.Parse(t));

        private readonly Option<DryRunMode?> _dryRun = Parsed<DryRunMode?>("--dry-run",
            "none; client (report only, the default without --confirm); server (send the restarts with dryRun=All: RBAC and admission are checked, nothing changes) [default: none]",
            "none|client|server", () => null, t => DryRun(t));

        private readonly Option<bool> _timeoutIsFailure = Flag("--timeout-is-failure", "Count a rollout that is not complete after --timeout as a failure (exit 1)");

        private readonly Option<OutputFormat?> _logFormat = Parsed<OutputFormat?>("--log-format", "text (lines and tables) or json (one object per event, then a summary) [default: text]", "text|json", () => null, t => Format(t));

        private readonly Option<TimeSpan?> _pollInterval = Parsed<TimeSpan?>("--poll-interval", "How often a rollout's status is read [default: 2s]", "DURATION", () => null, t => Duration(t));

        private readonly Option<string?> _config = Parsed<string?>("--config", "A local injector config file, instead of the ConfigMap", "FILE", () => null, NonEmpty);

        public void AddTo(Command command, CommonOptions common)
        {
            _pollInterval.Hidden = true;
            foreach (var option in new Option[] { _sidecarContainerName, _config, _confirm, _dryRun, _parallel, _maxPerNamespace, _maxFailures, _startedBefore, _timeoutIsFailure, _logFormat, _pollInterval })
            {
                command.Options.Add(option);
            }

            command.Validators.Add(result =>
            {
                var config = result.GetResult(_config) is { Implicit: false };
                var configMap = result.GetResult(common.InjectorConfig) is { Implicit: false } || result.GetResult(common.InjectorNamespace) is { Implicit: false };
                if (config && configMap)
                {
                    result.AddError("--config reads a local file; --injector-namespace/--injector-config name the ConfigMap: give one or the other");
                }

                if (result.GetValue(_confirm) && result.GetValue(_dryRun) == DryRunMode.Client)
                {
                    result.AddError("--confirm restarts and --dry-run=client only reports: give one or the other");
                }
            });
        }

        public RunOptions Bind(ParseResult result, CommonOptions common) => new()
        {
            SidecarContainerNames = result.GetValue(_sidecarContainerName) ?? [],
            Confirm = result.GetValue(_confirm),
            DryRun = result.GetValue(_dryRun) ?? DryRunMode.None,
            Scheduler = new SchedulerOptions(result.GetValue(_parallel), result.GetValue(_maxPerNamespace), result.GetValue(_maxFailures)),
            Rollout = new RolloutSettings
            {
                AnnotationPrefix = result.GetValue(common.AnnotationPrefix)!,
                ServerDryRun = result.GetValue(_dryRun) == DryRunMode.Server,
                Timeout = result.GetValue(common.Timeout) ?? TimeSpan.FromSeconds(300),
                PollInterval = result.GetValue(_pollInterval) ?? TimeSpan.FromSeconds(2),
            },
            TimeoutIsFailure = result.GetValue(_timeoutIsFailure),
            Filters = common.Filters(result, result.GetValue(_startedBefore)),
            LabelSelector = result.GetValue(common.Selector),
            Kubeconfig = result.GetValue(common.Kubeconfig),
            Context = result.GetValue(common.Context),
            InjectorNamespace = result.GetValue(common.InjectorNamespace)!,
            InjectorConfigMap = result.GetValue(common.InjectorConfig)!,
            ConfigFile = result.GetValue(_config),
            LogLevel = result.GetValue(common.LogLevel) ?? Verbosity.Info,
            LogFormat = result.GetValue(_logFormat) ?? OutputFormat.Text,
            ChunkSize = result.GetValue(common.ChunkSize),
        };

        private static DryRunMode DryRun(string text) => text.Trim().ToLowerInvariant() switch
        {
            "none" or "false" => DryRunMode.None,
            "client" or "true" => DryRunMode.Client,
            "server" => DryRunMode.Server,
            _ => throw new FormatException($"'{text}' is not valid; use none, client or server"),
        };
    }

    /// <summary>Flags of <c>watch</c>.</summary>
    internal sealed class WatchCommandOptions
    {
        private readonly Option<TimeSpan?> _interval = Parsed<TimeSpan?>("--interval", "Least time between two restarts [default: 1m]", "DURATION", () => null, t => Duration(t));

        private readonly Option<TimeSpan?> _cooldown = Parsed<TimeSpan?>("--cooldown", "Least time between two restarts of one workload [default: 1h]", "DURATION", () => null, t => Duration(t));

        private readonly Option<TimeSpan?> _settle = Parsed<TimeSpan?>("--settle", "Wait after a config change before restarting, so the injector has loaded it [default: 2m]", "DURATION", () => null, t => Duration(t));

        private readonly Option<int> _parallel = Parsed("--parallel-rollouts", "Restarts in flight at once (one per namespace at most)", "N", () => 3, t => Count(t, 1, 100));

        private readonly Option<int> _healthPort = Parsed("--health-port", "Port of /healthz, /readyz and /metrics (plain HTTP)", "PORT", () => 8080, t => Count(t, 0, 65535));

        private readonly Option<string> _leaseName = Parsed("--lease-name", "Name of the Lease that elects the acting replica", "NAME", () => "sidecar-rollout", NonEmpty);

        private readonly Option<string?> _leaseNamespace = Parsed<string?>("--lease-namespace", "Namespace of the Lease [default: POD_NAMESPACE, else --injector-namespace]", "NAMESPACE", () => null, NonEmpty);

        private readonly Option<string?> _identity = Parsed<string?>("--identity", "This replica's name in the Lease [default: POD_NAME plus a random suffix]", "NAME", () => null, NonEmpty);

        private readonly Option<OutputFormat?> _logFormat = Parsed<OutputFormat?>("--log-format", "text or json [default: json when stdout is not a terminal]", "text|json", () => null, t => Format(t));

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _interval, _cooldown, _settle, _parallel, _healthPort, _leaseName, _leaseNamespace, _identity, _logFormat })
            {
                command.Options.Add(option);
            }
        }

        public WatchOptions Bind(ParseResult result, CommonOptions common) => new()
        {
            Filters = common.Filters(result),
            LabelSelector = result.GetValue(common.Selector),
            Kubeconfig = result.GetValue(common.Kubeconfig),
            Context = result.GetValue(common.Context),
            InjectorNamespace = result.GetValue(common.InjectorNamespace)!,
            InjectorConfigMap = result.GetValue(common.InjectorConfig)!,
            AnnotationPrefix = result.GetValue(common.AnnotationPrefix)!,
            Timeout = result.GetValue(common.Timeout) ?? TimeSpan.FromSeconds(300),
            Interval = result.GetValue(_interval) ?? TimeSpan.FromMinutes(1),
            Cooldown = result.GetValue(_cooldown) ?? TimeSpan.FromHours(1),
            Settle = result.GetValue(_settle) ?? TimeSpan.FromMinutes(2),
            Parallel = result.GetValue(_parallel),
            HealthPort = result.GetValue(_healthPort),
            LeaseName = result.GetValue(_leaseName)!,
            LeaseNamespace = result.GetValue(_leaseNamespace),
            Identity = result.GetValue(_identity),
            LogLevel = result.GetValue(common.LogLevel) ?? Verbosity.Info,
            LogFormat = result.GetValue(_logFormat),
            ChunkSize = result.GetValue(common.ChunkSize),
        };
    }
}
