using Rollout.Cli;
using Rollout.Output;

namespace Rollout.Tests.Cli;

/// <summary>Every flag of the original with its name and default, real booleans, and usage errors as exit 2.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Defaults_are_the_originals()
    {
        var options = Run();

        Assert.Empty(options.SidecarContainerNames);
        Assert.False(options.Confirm);
        Assert.True(options.ClientDryRun);
        Assert.Equal(1, options.Scheduler.Parallel);
        Assert.Equal(1, options.Scheduler.MaxPerNamespace);
        Assert.Equal(0, options.Scheduler.MaxFailures);
        Assert.Equal("sidecarRollout", options.Rollout.AnnotationPrefix);
        Assert.Equal(TimeSpan.FromSeconds(300), options.Rollout.Timeout);
        Assert.Empty(options.Filters.IncludeNamespaces);
        Assert.Empty(options.Filters.ExcludeNamespaces);
        Assert.True(options.Filters.IncludeDeployments);
        Assert.False(options.Filters.IncludeStatefulSets);
        Assert.False(options.Filters.IncludeDaemonSets);
        Assert.Null(options.Filters.StartedBefore);
        Assert.Equal(Verbosity.Info, options.LogLevel);
        Assert.Equal(OutputFormat.Text, options.LogFormat);
        Assert.Equal("sidecars-system", options.InjectorNamespace);
        Assert.Equal("injector-config", options.InjectorConfigMap);
        Assert.False(options.TimeoutIsFailure);
    }

    [Theory]
    [InlineData(true, "--confirm")]
    [InlineData(true, "--confirm=true")]
    [InlineData(true, "--confirm", "true")]
    [InlineData(true, "--confirm:True")]
    [InlineData(false, "--confirm=false")]
    [InlineData(false, "--confirm", "false")]
    [InlineData(false, "--confirm=False")]
    public void Booleans_are_real_booleans(bool expected, params string[] args) => Assert.Equal(expected, Run(args).Confirm);

    [Fact]
    public void The_originals_flags_with_their_spellings()
    {
        var options = Run(
            "--sidecar-container-name=istio-proxy", "--sidecar-container-name", "linkerd-proxy", "--confirm=true", "--parallel-rollouts", "10",
            "--annotation-prefix=myCompany", "--timeout=600s", "--exclude-namespace=kube-system", "--include-namespace=my-first-app",
            "--include-namespace=my-other-app", "--include-daemonset=true", "--include-statefulset=true", "--exclude-deployments=true",
            "--only-started-before=2022-05-01 13:00", "--log-level=debug", "--log-format=json");

        Assert.Equal(["istio-proxy", "linkerd-proxy"], options.SidecarContainerNames);
        Assert.False(options.ClientDryRun);
        Assert.Equal(10, options.Scheduler.Parallel);
        Assert.Equal("myCompany", options.Rollout.AnnotationPrefix);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Rollout.Timeout);
        Assert.Equal(["kube-system"], options.Filters.ExcludeNamespaces);
        Assert.Equal(["my-first-app", "my-other-app"], options.Filters.IncludeNamespaces.Order());
        Assert.True(options.Filters.IncludeDaemonSets);
        Assert.True(options.Filters.IncludeStatefulSets);
        Assert.False(options.Filters.IncludeDeployments);
        Assert.Equal(new DateTimeOffset(2022, 5, 1, 13, 0, 0, TimeSpan.Zero), options.Filters.StartedBefore);
        Assert.Equal(Verbosity.Debug, options.LogLevel);
        Assert.Equal(OutputFormat.Json, options.LogFormat);
    }

    [Fact]
    public void The_additions()
    {
        var options = Run("-l", "app=web", "--context", "prod", "--kubeconfig", "/tmp/k", "--max-per-namespace", "2", "--max-failures", "3",
            "--dry-run=server", "--timeout-is-failure", "--include-namespace", "a,b", "--injector-namespace", "inj", "--injector-config", "cfg");

        Assert.Equal("app=web", options.LabelSelector);
        Assert.Equal("prod", options.Context);
        Assert.Equal("/tmp/k", options.Kubeconfig);
        Assert.Equal(2, options.Scheduler.MaxPerNamespace);
        Assert.Equal(3, options.Scheduler.MaxFailures);
        Assert.Equal(DryRunMode.Server, options.DryRun);
        Assert.True(options.Rollout.ServerDryRun);
        Assert.False(options.ClientDryRun);
        Assert.True(options.TimeoutIsFailure);
        Assert.Equal(["a", "b"], options.Filters.IncludeNamespaces.Order());
        Assert.Equal("inj", options.InjectorNamespace);
        Assert.Equal("cfg", options.InjectorConfigMap);
    }

    [Theory]
    [InlineData("--confirm=yes", "--confirm: 'yes' is not valid; use true or false")]
    [InlineData("--include-daemonset=1", "--include-daemonset: '1' is not valid")]
    [InlineData("--parallel-rollouts=0", "--parallel-rollouts: '0' is out of range")]
    [InlineData("--parallel-rollouts=many", "--parallel-rollouts: 'many' is not a whole number")]
    [InlineData("--timeout=5", null)]
    [InlineData("--timeout=-5s", "--timeout: '-5s' is not a duration")]
    [InlineData("--timeout=0s", "--timeout: '0s' is out of range")]
    [InlineData("--only-started-before=yesterday", "--only-started-before: 'yesterday' is not a time")]
    [InlineData("--log-level=verbose", "--log-level: 'verbose' is not a level")]
    [InlineData("--log-format=yaml", "--log-format: 'yaml' is not a format")]
    [InlineData("--dry-run=maybe", "--dry-run: 'maybe' is not valid")]
    [InlineData("--annotation-prefix=Bad Prefix", "--annotation-prefix: 'Bad Prefix' does not make a valid annotation key")]
    [InlineData("--no-such-flag", "Unrecognized command or argument '--no-such-flag'")]
    public void Bad_values_are_usage_errors_in_one_line(string arg, string? error)
    {
        var stderr = new StringWriter();
        var request = RolloutCommandLine.Parse([arg], new StringWriter(), stderr);

        if (error is null)
        {
            Assert.IsType<CliRequest.Run>(request);
            return;
        }

        Assert.Equal(ExitCodes.Usage, Assert.IsType<CliRequest.Done>(request).Code);
        Assert.StartsWith("error: " + error, stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public void Help_exits_0_on_every_verb()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, Assert.IsType<CliRequest.Done>(RolloutCommandLine.Parse(["--help"], stdout, new StringWriter())).Code);
        Assert.Contains("--sidecar-container-name", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("Exit codes", stdout.ToString(), StringComparison.Ordinal);

        var watchHelp = new StringWriter();
        Assert.Equal(0, Assert.IsType<CliRequest.Done>(RolloutCommandLine.Parse(["watch", "--help"], watchHelp, new StringWriter())).Code);
        Assert.Contains("--cooldown", watchHelp.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Watch_has_its_own_flags_and_defaults()
    {
        var watch = Assert.IsType<CliRequest.Watch>(RolloutCommandLine.Parse(["watch", "--interval", "30s", "--exclude-namespace", "kube-system"], new StringWriter(), new StringWriter())).Options;

        Assert.Equal(TimeSpan.FromSeconds(30), watch.Interval);
        Assert.Equal(TimeSpan.FromHours(1), watch.Cooldown);
        Assert.Equal(TimeSpan.FromMinutes(2), watch.Settle);
        Assert.Equal(["kube-system"], watch.Filters.ExcludeNamespaces);
        Assert.Equal("sidecar-rollout", watch.LeaseName);
        Assert.Equal(8080, watch.HealthPort);
    }

    private static RunOptions Run(params string[] args)
    {
        var stderr = new StringWriter();
        var request = RolloutCommandLine.Parse(args, new StringWriter(), stderr);
        return Assert.IsType<CliRequest.Run>(request, exactMatch: true).Options;
    }
}
