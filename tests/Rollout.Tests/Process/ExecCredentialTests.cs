using Rollout.Tests.Support;
using TestKit.Kube.Server;

namespace Rollout.Tests.Process;

/// <summary>
/// A kubeconfig whose user is an exec credential plugin (aws eks get-token, gke-gcloud-auth-plugin, kubelogin): the
/// token it prints is used, and a plugin that fails, is missing or prints nonsense is one sentence and exit 1.
/// </summary>
public sealed class ExecCredentialTests
{
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string Plugin(World world, string name, string body)
    {
        var path = world.Directory.Write(name, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static string Credential(string token) =>
        "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" + token + "\"}}'";

    private static async Task<World> WorldAsync()
    {
        var world = await World.StartAsync(options: new KubeApiServerOptions
        {
            RequireAuthentication = true,
            Tokens = new Dictionary<string, string> { [KubeApiServer.DefaultToken] = "admin", ["from-plugin"] = "plugin-user" },
        });
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        return world;
    }

    [Fact]
    public async Task The_token_an_exec_plugin_prints_is_used()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        await using var world = await WorldAsync();
        var kubeconfig = world.Kube.WriteKubeconfig(world.Directory.File("exec-kubeconfig"), KubeconfigUser.Exec(Plugin(world, "plugin.sh", Credential("from-plugin"))));

        var run = await CliRun.RunAsync(["--kubeconfig", kubeconfig, "--confirm", "--poll-interval", "50ms"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("restarted  Deployment shop/web", run.Out, StringComparison.Ordinal);
        Assert.All(world.Kube.Requests.All, r => Assert.Equal("plugin-user", r.User));
    }

    public static TheoryData<string, string> FailingPlugins => new()
    {
        { "exits 1", "echo 'error: the SSO session has expired; run aws sso login' >&2; exit 1" },
        { "prints nothing", "exit 0" },
        { "prints nonsense", "echo '<html>login</html>'" },
        { "prints another apiVersion", """echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"from-plugin"}}'""" },
        { "prints a token the server refuses", Credential("expired") },
        { "is not there", "" },
    };

    [Theory]
    [MemberData(nameof(FailingPlugins))]
    public async Task A_failing_exec_plugin_is_exit_1_with_one_sentence(string what, string body)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        await using var world = await WorldAsync();
        var plugin = what == "is not there" ? world.Directory.File("no-such-plugin") : Plugin(world, "plugin.sh", body);
        var kubeconfig = world.Kube.WriteKubeconfig(world.Directory.File("exec-kubeconfig"), KubeconfigUser.Exec(plugin));

        var run = await CliRun.RunAsync(["--kubeconfig", kubeconfig, "--confirm", "--poll-interval", "50ms"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("ERROR", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, run.ToString());
        Assert.False(run.Error.Contains("   at ", StringComparison.Ordinal) || run.Error.Contains("Exception", StringComparison.Ordinal), run.ToString());
        Assert.Empty(world.Kube.Requests.Writes());
        if (what == "exits 1")
        {
            Assert.Contains("the SSO session has expired", errors[0], StringComparison.Ordinal);
        }
    }
}
