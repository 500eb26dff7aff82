using System.Text.Json.Nodes;

namespace Proa.Tests.Infrastructure;

/// <summary>One end-to-end setup: temp dir, stand-in API serving <c>pod</c>, shutdown recorder, kubeconfig.</summary>
internal sealed class Scenario : IAsyncDisposable
{
    private readonly List<ProaRun> _runs = [];

    private Scenario(TempDir dir, FakeKubeApi api, ShutdownRecorder shutdown, string kubeconfig)
    {
        Dir = dir;
        Api = api;
        Shutdown = shutdown;
        Kubeconfig = kubeconfig;
    }

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public TempDir Dir { get; }

    public FakeKubeApi Api { get; }

    public ShutdownRecorder Shutdown { get; }

    public string Kubeconfig { get; }

    public static async Task<Scenario> StartAsync(JsonObject pod)
    {
        var dir = new TempDir();
        var api = await FakeKubeApi.StartAsync(pod);
        var shutdown = await ShutdownRecorder.StartAsync();
        return new Scenario(dir, api, shutdown, api.WriteKubeconfig(dir.Path));
    }

    /// <summary>Runs proa with the kubeconfig, the pod's identity, <paramref name="options"/>, then "--" and the command.</summary>
    public ProaRun Run(IEnumerable<string> options, IEnumerable<string> command, IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["POD_NAME"] = TestPods.Name,
            ["POD_NAMESPACE"] = TestPods.Namespace,
            ["PROA_CONTAINER_NAME"] = "app",
        };
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        var args = new List<string> { "--kubeconfig", Kubeconfig };
        args.AddRange(options);
        args.Add("--");
        args.AddRange(command);
        var run = ProaRun.Start(args, env);
        _runs.Add(run);
        return run;
    }

    /// <summary>A POSIX sh command line (quoted by the caller as one argument).</summary>
    public static string[] Sh(string script) => ["sh", "-c", script];

    public async ValueTask DisposeAsync()
    {
        foreach (var run in _runs)
        {
            await run.DisposeAsync();
        }

        await Shutdown.DisposeAsync();
        await Api.DisposeAsync();
        Dir.Dispose();
    }
}
