using Proa.Tests.Infrastructure;
using TestKit;
using TestKit.Kube.Server;

using Sidecars.Runtime.Tests.Support;

namespace Proa.Tests.EndToEnd;

/// <summary>Input proa does not control (its command line, the kubeconfig, the pod) never crashes it.</summary>
public sealed class HostileInputTests
{
    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("2000h")]
    [InlineData("1e400")]
    public async Task Startup_timeout_out_of_range_is_a_usage_error_in_one_sentence(string value)
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var proa = s.Run(["--startup-timeout", value], Scenario.Sh("exit 0"));
        Assert.Equal(2, await proa.WaitForExitAsync(Scenario.Deadline));
        Sentences.AssertNoCrashAndMentions(proa.StdErr, "--startup-timeout");
    }

    [Fact]
    public async Task Huge_termination_grace_period_keeps_the_commands_exit_code()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady().Set("spec.terminationGracePeriodSeconds", 5000000));
        var proa = s.Run([], Scenario.Sh("exit 7"));
        await proa.WaitForLineAsync("command exited with code 7", Scenario.Deadline);
        s.Publish(TestPods.AllReady().Set("spec.terminationGracePeriodSeconds", 5000000).Terminated("envoy", 0, "Completed"));
        Assert.Equal(7, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.DoesNotContain("Unhandled exception", proa.StdErr);
    }

    [Theory]
    [InlineData("deep")]
    [InlineData("mismatched key")]
    public async Task Hostile_kubeconfig_is_a_configuration_error_and_the_shutdown_still_runs(string kind)
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var path = s.Dir.File("hostile");
        if (kind == "deep")
        {
            File.WriteAllText(path, "current-context: " + new string('[', 100_000));
        }
        else
        {
            using var mine = s.Api.CertificateAuthority!.IssueClient("me");
            using var other = s.Api.CertificateAuthority!.IssueClient("other");
            s.Api.WriteKubeconfig(path, KubeconfigUser.ClientCertificate(mine));
            File.WriteAllText(path, File.ReadAllText(path).Replace(B64(mine.PrivateKeyPem), B64(other.PrivateKeyPem), StringComparison.Ordinal));
        }

        var proa = ProaProgram.Start(["--kubeconfig", path, "--shutdown-http-get", s.Shutdown.Url("/quit"), "--", "true"],
            new Dictionary<string, string?> { ["POD_NAME"] = TestPods.Name, ["POD_NAMESPACE"] = TestPods.Namespace });
        await using var _ = proa;
        Assert.Equal(5, await proa.WaitForExitAsync(Scenario.Deadline));
        Sentences.AssertNoCrashAndMentions(proa.StdErr, kind == "deep" ? path : "does not belong to its client-certificate");
        Assert.Contains("GET /quit (body 0 bytes)", s.Shutdown.Calls);
    }

    [Fact]
    public async Task Api_answering_every_watch_with_410_is_not_hammered()
    {
        await using var s = await Scenario.StartAsync(TestPods.NotReady());
        s.ExpireWatches(count: null);
        var proa = s.Run(["--startup-timeout", "4s"], Scenario.Sh("true"));
        Assert.Equal(3, await proa.WaitForExitAsync(Scenario.Deadline));
        // With backoff from 0.5 s doubling: about 4 relists in 4 s. Without it: thousands (6655 measured).
        Assert.InRange(s.Watches, 1, 8);
        Assert.InRange(s.Lists, 1, 8);
    }

    private static string B64(string text) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(text));
}
