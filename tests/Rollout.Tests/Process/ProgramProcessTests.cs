using System.Runtime.InteropServices;
using Rollout.Tests.Support;
using TestKit.Kube;
using TestKit.Processes;

namespace Rollout.Tests.Process;

/// <summary>The real program as a process: exit codes, signals, and the kubectl plugin name.</summary>
[Collection(nameof(ProgramProcessTests))]
public sealed class ProgramProcessTests
{
    private static readonly string[] CleanEnvironment = ["KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"];

    [Fact]
    public async Task Version_help_and_usage_errors()
    {
        var version = await TestProcess.RunAsync(Spec("--version"));
        var help = await TestProcess.RunAsync(Spec("--help"));
        var usage = await TestProcess.RunAsync(Spec("--parallel-rollouts", "-3"));

        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("0.1.0", version.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--sidecar-container-name", help.StdOut, StringComparison.Ordinal);
        Assert.Equal(2, usage.ExitCode);
        Assert.Single(usage.StdErr.Trim().Split('\n'));
    }

    [Fact]
    public async Task No_kubeconfig_anywhere_is_exit_1_with_one_sentence()
    {
        using var home = new TempDirectory();
        var result = await TestProcess.RunAsync(Spec("--confirm") with
        {
            Environment = new Dictionary<string, string?> { ["HOME"] = home.Path },
        });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot use the kubeconfig: no kubeconfig found", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_context_is_exit_1_with_one_sentence()
    {
        await using var world = await World.StartAsync();

        var result = await TestProcess.RunAsync(Spec("--kubeconfig", world.Kubeconfig, "--context", "prod"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("prod", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KUBECONFIG_with_several_files_is_merged_and_context_picks_one()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        var other = world.Directory.Write("other", """
            apiVersion: v1
            kind: Config
            clusters: [{name: elsewhere, cluster: {server: "https://127.0.0.1:1"}}]
            contexts: [{name: elsewhere, context: {cluster: elsewhere, user: nobody}}]
            users: [{name: nobody, user: {token: x}}]
            current-context: elsewhere
            """);

        var result = await TestProcess.RunAsync(Spec("--context", "testkit") with
        {
            Environment = new Dictionary<string, string?> { ["KUBECONFIG"] = $"{other}:{world.Kubeconfig}" },
        });

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("appup image 0.1.0 -> 0.2.0", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGINT_with_rollouts_in_flight_starts_nothing_new_finishes_them_and_reports()
    {
        await using var world = await World.StartAsync(TimeSpan.FromMilliseconds(40));
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        for (var i = 0; i < 4; i++)
        {
            world.Deployment($"ns{i}", "web", replicas: 6);
        }

        await using var process = TestProcess.Start(Spec("--kubeconfig", world.Kubeconfig, "--poll-interval", "50ms", "--confirm", "--parallel-rollouts", "2"));
        await Eventually.TrueAsync(() => world.InFlight.InFlight.Count == 2, "two rollouts in flight");
        process.Signal(PosixSignal.SIGINT);
        var code = await process.WaitForExitAsync();

        Assert.Equal(1, code);
        Assert.Equal(2, world.Kube.Requests.Writes(ResourceTypes.Deployment).Count);
        Assert.Empty(world.InFlight.InFlight);
        Assert.Contains("interrupted: no new rollout starts", process.StdErr, StringComparison.Ordinal);
        Assert.Contains("2 not started, 2 restarted", process.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_twice_stops_waiting_and_still_prints_the_summary()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Deployments.SetBehavior("shop", "web", TestKit.Kube.Simulation.RolloutBehavior.Ignore);

        await using var process = TestProcess.Start(Spec("--kubeconfig", world.Kubeconfig, "--poll-interval", "50ms", "--confirm", "--timeout", "10m"));
        await Eventually.TrueAsync(() => world.Kube.Requests.Writes().Count == 1, "the restart sent");
        process.Signal(PosixSignal.SIGTERM);
        await process.WaitForLineAsync("interrupted: no new rollout starts", stream: OutputStream.StdErr);
        process.Signal(PosixSignal.SIGTERM);
        var code = await process.WaitForExitAsync();

        Assert.Equal(0, code);
        Assert.Contains("interrupted while waiting (may still complete)", process.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installed_as_kubectl_sidecar_rollout_it_runs_as_a_kubectl_plugin()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        // kubectl runs kubectl-sidecar_rollout for "kubectl sidecar-rollout" from PATH, with the remaining arguments.
        using var bin = new TempDirectory();
        var plugin = Path.Combine(bin.Path, "kubectl-sidecar_rollout");
        File.CreateSymbolicLink(plugin, Path.Combine(AppContext.BaseDirectory, "sidecar-rollout"));

        var result = await TestProcess.RunAsync(new ProcessSpec(plugin, ["--version"])
        {
            Environment = new Dictionary<string, string?> { ["DOTNET_ROOT"] = Path.GetDirectoryName(DotnetHost.Path) },
        });

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.StartsWith("0.1.0", result.StdOut, StringComparison.Ordinal);
    }

    private static ProcessSpec Spec(params string[] args) =>
        ProcessSpec.DotnetFromTestOutput("sidecar-rollout.dll", args) with { RemoveEnvironment = CleanEnvironment };
}
