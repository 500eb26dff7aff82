using System.Globalization;
using System.Text.Json.Nodes;
using TestKit;
using TestKit.Kube;
using TestKit.Kube.Server;
using TestKit.Processes;

namespace Proa.Tests.Infrastructure;

/// <summary>One end-to-end setup: temp dir, stand-in API server (TestKit) serving <c>pod</c>, shutdown recorder, kubeconfig.</summary>
internal sealed class Scenario : IAsyncDisposable
{
    private readonly List<TestProcess> _runs = [];

    private Scenario(TempDirectory dir, KubeApiServer api, ShutdownRecorder shutdown, string kubeconfig)
    {
        Dir = dir;
        Api = api;
        Shutdown = shutdown;
        Kubeconfig = kubeconfig;
    }

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public TempDirectory Dir { get; }

    public KubeApiServer Api { get; }

    public ShutdownRecorder Shutdown { get; }

    public string Kubeconfig { get; }

    /// <summary>Pod lists (proa lists its pod by name) and pod watches served so far.</summary>
    public int Lists => Api.Requests.ListCount(ResourceTypes.Pod);

    public int Watches => Api.Requests.WatchCount(ResourceTypes.Pod);

    public static async Task<Scenario> StartAsync(JsonObject pod)
    {
        var dir = new TempDirectory("proa-tests-");
        var api = await KubeApiServer.StartAsync();
        api.Store.Put(pod);
        var shutdown = await ShutdownRecorder.StartAsync();
        return new Scenario(dir, api, shutdown, api.WriteKubeconfig(dir.File("kubeconfig"), ns: TestPods.Namespace));
    }

    /// <summary>Replaces the pod (a MODIFIED event on open watches); returns its new resourceVersion.</summary>
    public long Publish(JsonObject pod) =>
        long.Parse(Api.Store.Put(pod).ResourceVersion()!, CultureInfo.InvariantCulture);

    /// <summary>The next <paramref name="count"/> pod lists answer 500 (an API server hiccup).</summary>
    public void FailNextLists(int count) =>
        Api.Faults.FailNext(KubeFault.InternalError(), count, r => r.Verb == "list" && r.Is(ResourceTypes.Pod));

    /// <summary>
    /// The next <paramref name="count"/> pod watches (or every one, with null) find their resourceVersion compacted: 200
    /// and a 410 ERROR event, as the watch cache answers.
    /// </summary>
    public void ExpireWatches(int? count)
    {
        var left = count ?? int.MaxValue;
        Api.Faults.Add(KubeFault.Delay(TimeSpan.Zero), r =>
        {
            if (r.IsWatch && r.Is(ResourceTypes.Pod) && Interlocked.Decrement(ref left) >= 0)
            {
                Api.Store.ExpireWatches();
            }

            return false;
        });
    }

    public Task WaitForWatchesAsync(int count, string what) =>
        Eventually.TrueAsync(() => Watches >= count, what, Deadline, () => string.Join("\n", Api.Requests.All));

    /// <summary>Runs proa with the kubeconfig, the pod's identity, <paramref name="options"/>, then "--" and the command.</summary>
    public TestProcess Run(IEnumerable<string> options, IEnumerable<string> command, IReadOnlyDictionary<string, string?>? extraEnvironment = null)
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
        var run = ProaProgram.Start(args, env);
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
