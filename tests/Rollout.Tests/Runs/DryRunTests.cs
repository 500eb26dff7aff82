using System.Text.Json;
using System.Text.Json.Nodes;
using Rollout.Tests.Support;
using TestKit.Kube;

namespace Rollout.Tests.Runs;

/// <summary>Without --confirm nothing is written; --dry-run=server sends the patches with dryRun=All and changes nothing.</summary>
public sealed class DryRunTests
{
    [Theory]
    [InlineData]
    [InlineData("--confirm=false")]
    [InlineData("--confirm", "false")]
    [InlineData("--dry-run=client")]
    [InlineData("--dry-run", "client", "--include-statefulset", "--include-daemonset")]
    public async Task A_dry_run_sends_no_write_and_says_what_would_restart_and_why(params string[] args)
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web", "appup,shawarma");
        world.Deployment("shop", "cart", "shawarma");
        world.StatefulSet("db", "pg");
        world.DaemonSet("ops", "agent");

        var run = await CliRun.AgainstAsync(world, args);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(world.Kube.Requests.Writes());
        Assert.Contains("Deployment shop/web  2     appup image 0.1.0 -> 0.2.0", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("shop/cart", run.Out, StringComparison.Ordinal);
        Assert.Contains("This was a dry run", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_dry_run_sends_every_patch_with_dryRun_All_and_changes_nothing()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.StatefulSet("db", "pg");
        var specChanges = 0;
        world.Kube.Store.Changed += c =>
        {
            if (c.Before is null || !KubeJson.SemanticEquals(c.Before["spec"], c.After["spec"]) || !KubeJson.SemanticEquals(c.Before["metadata"]?["annotations"], c.After["metadata"]?["annotations"]))
            {
                Interlocked.Increment(ref specChanges);
            }
        };

        var run = await CliRun.AgainstAsync(world, "--dry-run=server", "--include-statefulset");

        Assert.True(run.ExitCode == 0, run.ToString());
        var writes = world.Kube.Requests.Writes();
        Assert.Equal(2, writes.Count);
        Assert.All(writes, w => Assert.Equal("All", w.Query["dryRun"]));
        Assert.Equal(0, specChanges); // only the simulated controllers' status writes happened
        Assert.Equal(1, world.Kube.Store.Get(ResourceTypes.Deployment, "shop", "web")!.LongAt("metadata.generation"));
        Assert.Contains("accepted  Deployment shop/web", run.Out, StringComparison.Ordinal);
        Assert.Contains("accepted  StatefulSet db/pg", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_dry_run_reports_what_RBAC_would_refuse()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Kube.Faults.Add(TestKit.Kube.Server.KubeFault.Forbidden("jane"), r => r.Verb == "patch");

        var run = await CliRun.AgainstAsync(world, "--dry-run=server");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("failed  Deployment shop/web  the restart patch was forbidden (HTTP 403)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_one_object_per_line_and_ends_with_the_summary()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.JobPod("shop", "migrate");

        var run = await CliRun.AgainstAsync(world, "--confirm", "--log-format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Error);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.All(lines, l => Assert.NotNull(l["time"]));
        Assert.Contains(lines, l => (string?)l["event"] == "rollout.started" && (string?)l["name"] == "web");
        Assert.Contains(lines, l => (string?)l["event"] == "rollout.finished" && (string?)l["result"] == "restarted");
        var summary = lines[^1];
        Assert.Equal("summary", (string?)summary["event"]);
        Assert.Equal(0, (int)summary["exitCode"]!);
        Assert.Equal(1, (int)summary.At("counts.restarted")!);
        Assert.Equal(1, (int)summary.At("counts.skipped")!);
        var rows = summary["rows"]!.AsArray().Select(r => ((string?)r!["result"], (string?)r["subject"])).ToList();
        Assert.Contains(("restarted", "Deployment shop/web"), rows);
        Assert.Contains(("skipped", "Job shop/migrate"), rows);
    }

    [Fact]
    public async Task On_a_terminal_a_progress_line_is_drawn_on_stderr_and_never_when_redirected()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Deployment("shop", "cart");

        var terminal = await CliRun.RunAsync(["--kubeconfig", world.Kubeconfig, "--poll-interval", "50ms", "--confirm"], terminal: true);
        var redirected = await CliRun.AgainstAsync(world, "--confirm");

        Assert.Contains("[0/2 done, 0 failed, 1 in flight: Deployment shop/cart]", terminal.Error, StringComparison.Ordinal);
        Assert.Contains("\r\u001b[K", terminal.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("in flight", redirected.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', redirected.Out + redirected.Error);
        Assert.Contains("RESULT", terminal.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_injector_config_can_come_from_a_local_file()
    {
        await using var world = await World.StartAsync();
        world.Deployment("shop", "web");
        var file = world.Directory.Write("config.yaml", Configs.AppUpImage("0.3.0"));

        var run = await CliRun.AgainstAsync(world, "--config", file);
        var both = await CliRun.AgainstAsync(world, "--config", file, "--injector-config", "x");
        var bad = await CliRun.AgainstAsync(world, "--config", world.Directory.Write("bad.yaml", "sidecars: [1"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("appup image 0.1.0 -> 0.3.0", run.Out, StringComparison.Ordinal);
        Assert.Equal(2, both.ExitCode);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("cannot read the injector config", bad.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", bad.Error, StringComparison.Ordinal); // a sentence, not a stack trace
        _ = JsonSerializer.Serialize(run.ExitCode);
    }
}
