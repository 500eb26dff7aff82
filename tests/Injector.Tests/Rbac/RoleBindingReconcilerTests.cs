using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Injector.Rbac;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sidecars.Kube;
using TestKit;
using TestKit.Kube;
using TestKit.Kube.Server;

namespace Injector.Tests.Rbac;

/// <summary>
/// The RoleBinding loop against the stand-in API server (TestKit): real paging, watch streams, bookmarks, 410s,
/// create/get/update semantics with 409 and resourceVersions, and injected faults.
/// </summary>
public sealed class RoleBindingReconcilerTests : IAsyncLifetime
{
    private const string ShawarmaNative = """{"revision":"r1","sidecars":["shawarma"],"mode":"native","containers":[],"initContainers":["shawarma"],"volumes":[]}""";
    private const string ProaAndShawarmaClassic = """{"revision":"r1","mode":"classic","containers":["shawarma"],"initContainers":["proa-init"],"volumes":["sidecars-proa"]}""";
    private const string AppUpOnly = """{"revision":"r1","sidecars":["appup"],"containers":["appup"],"initContainers":[],"volumes":["sidecars-appup"]}""";

    private static readonly RoleBindingReconcilerOptions Options = new()
    {
        ClusterRoles = RoleBindingReconcilerOptions.ParseClusterRoles("shawarma=injector-shawarma,proa=injector-proa"),
        MinBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(2),
        ResyncPeriod = TimeSpan.FromHours(1),
        PageSize = 2,
    };

    private readonly TempDirectory _dir = new();
    private readonly ListLogger _log = new();
    private KubeApiServer _server = null!;
    private RoleBindingReconciler? _running;

    public async Task InitializeAsync() => _server = await KubeApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.StopAsync(CancellationToken.None);
            Assert.False(_running.ExecuteTask?.IsFaulted ?? false, _running.ExecuteTask?.Exception?.ToString());
        }

        Assert.Empty(_server.Requests.Where(r => r.Method == "DELETE"));
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<RoleBindingReconciler> StartAsync(RoleBindingReconcilerOptions? options = null)
    {
        var client = KubeApiClient.Create(_server.WriteKubeconfig(_dir.File("kubeconfig")));
        _running = new RoleBindingReconciler(client, options ?? Options, _log, TimeProvider.System);
        await _running.StartAsync(CancellationToken.None);
        return _running;
    }

    private void Pod(string ns, string name, string? serviceAccount, string? status, bool notify = true)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { ["app"] = name, ["sidecars.dev/injected"] = "true" },
        };
        if (status is not null)
        {
            metadata["annotations"] = new JsonObject { ["sidecars.dev/status"] = status };
        }

        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app:1" }) };
        if (serviceAccount is not null)
        {
            spec["serviceAccountName"] = serviceAccount;
        }

        _server.Store.Put(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec }, notify);
    }

    private JsonObject Binding(string ns, string name, string clusterRole, string sa, bool ours, string sidecar = "shawarma")
    {
        var labels = new JsonObject { ["team"] = "payments" };
        if (ours)
        {
            labels["app.kubernetes.io/managed-by"] = "sidecars-injector";
            labels["sidecars.dev/sidecar"] = sidecar;
        }

        return _server.Store.Put(new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = clusterRole },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = sa, ["namespace"] = ns }),
        });
    }

    private JsonObject? Stored(string ns, string name) => _server.Store.Get(ResourceTypes.RoleBinding, ns, name);

    private IReadOnlyList<RecordedRequest> Writes(string method, string? ns = null) =>
        _server.Requests.Where(r => r.Method == method && r.Is(ResourceTypes.RoleBinding) && (ns is null || r.Namespace == ns));

    private IReadOnlyList<RecordedRequest> PodLists => _server.Requests.Where(r => r.Verb == "list" && r.Is(ResourceTypes.Pod));

    private Task Eventually(Func<bool> condition, string what) =>
        TestKit.Eventually.TrueAsync(condition, what, diagnostics: Dump);

    private Task Watching() => Eventually(() => _server.Store.OpenWatches(ResourceTypes.Pod) == 1, "the pod watch to open");

    private string Dump() =>
        "log:\n  " + string.Join("\n  ", _log.Entries.Select(e => $"{e.Id} {e.Level} {e.Message}"))
        + "\nrequests:\n  " + string.Join("\n  ", _server.Requests.All);

    [Fact]
    public async Task Creates_each_binding_once_for_injected_pods_listed_in_pages_and_ignores_the_rest()
    {
        Pod("shop", "web-1", null, ShawarmaNative);
        Pod("shop", "web-2", "default", ShawarmaNative);
        Pod("batch", "job-1", "worker", ProaAndShawarmaClassic);
        Pod("shop", "up-1", "default", AppUpOnly);
        Pod("other", "no-status", "default", null);
        Pod("other", "bad-status", "default", "{not json");
        var reconciler = await StartAsync();
        await Watching();
        await Eventually(() => reconciler.Ensured.Count == 3, "three bindings");

        // Six pods in pages of two: three list requests joined by continue tokens, then a watch from the list's version.
        Assert.Equal(3, PodLists.Count);
        Assert.All(PodLists, r => Assert.Equal("sidecars.dev/injected=true", r.Query["labelSelector"]));
        Assert.Equal([false, true, true], PodLists.Select(r => r.Query["continue"] is not null));
        var watch = Assert.Single(_server.Requests.Where(r => r.IsWatch));
        Assert.Equal("true", watch.Query["allowWatchBookmarks"]);

        var web = Stored("shop", "sidecars-dev-shawarma-default")!;
        Assert.Equal("sidecars-injector", web["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.Equal("injector-shawarma", web.StringAt("roleRef.name"));
        var subject = Assert.Single(web["subjects"]!.AsArray())!;
        Assert.Equal(("ServiceAccount", "default", "shop"), ((string?)subject["kind"], (string?)subject["name"], (string?)subject["namespace"]));
        Assert.Equal(["injector-proa", "injector-shawarma"], _server.Store.List(ResourceTypes.RoleBinding, "batch").Select(b => b.StringAt("roleRef.name")).Order());
        Assert.Empty(_server.Store.List(ResourceTypes.RoleBinding, "other"));
        Assert.Single(Writes("POST", "shop"));
        Assert.Empty(Writes("PUT"));
        Assert.Contains(_log.Entries, e => e.Id == 510 && e.Message.Contains("other/bad-status", StringComparison.Ordinal));

        // The server closing the watch: resumed from the last resourceVersion, nothing created twice.
        _server.Store.CloseWatches();
        await Eventually(() => _server.Requests.WatchCount(ResourceTypes.Pod) == 2 && _server.Store.OpenWatches(ResourceTypes.Pod) == 1, "the watch to reopen");
        Assert.Equal(3, PodLists.Count);
        Assert.Equal(3, Writes("POST").Count);
    }

    [Fact]
    public async Task Watch_events_create_bindings_for_new_pods_and_deleted_pods_keep_theirs()
    {
        var reconciler = await StartAsync();
        await Watching();
        Pod("late", "p", "api", ProaAndShawarmaClassic);
        await Eventually(() => reconciler.Ensured.Count == 2, "bindings for the watched pod");
        Assert.Equal(2, _server.Store.List(ResourceTypes.RoleBinding, "late").Count);

        // The DELETED event comes first in the stream; a later pod's binding shows it was handled.
        _server.Store.Delete(ResourceTypes.Pod, "late", "p");
        Pod("later", "q", "api", ShawarmaNative);
        await Eventually(() => reconciler.Ensured.Count == 3, "the later pod's binding");
        Assert.Equal(2, _server.Store.List(ResourceTypes.RoleBinding, "late").Count);
    }

    [Fact]
    public async Task Resumes_from_a_bookmark_and_lists_again_after_410()
    {
        Pod("shop", "web-1", "default", ShawarmaNative);
        var reconciler = await StartAsync();
        await Watching();

        // A bookmark moves the resourceVersion; the next watch starts from it, without a list.
        Pod("unrelated", "x", "default", AppUpOnly, notify: false);
        _server.Store.SendBookmarks();
        var bookmark = _server.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        _server.Store.CloseWatches(); // the stream ends after the bookmark already queued on it
        await Eventually(() => _server.Requests.WatchCount(ResourceTypes.Pod) == 2, "a second watch");
        Assert.Equal(bookmark, _server.Requests.Where(r => r.IsWatch)[1].Query["resourceVersion"]);
        Assert.Single(PodLists);

        // A pod whose event was compacted away, then 410: the relist finds it.
        Pod("gap", "missed", "sa", ShawarmaNative, notify: false);
        _server.Store.ExpireWatches();
        // Ensured is recorded after the API answered the POST, so after the binding is stored.
        await Eventually(() => Stored("gap", "sidecars-dev-shawarma-sa") is not null && reconciler.Ensured.Count == 2, "the binding of the pod only a relist sees");
        Assert.Equal(2, PodLists.Count(r => r.Query["continue"] is null));
        Assert.Contains(_log.Entries, e => e.Id == 508 && e.Message.Contains("410", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resync_recreates_a_binding_someone_deleted()
    {
        Pod("shop", "web-1", "default", ShawarmaNative);
        var reconciler = await StartAsync(new RoleBindingReconcilerOptions
        {
            ClusterRoles = Options.ClusterRoles,
            MinBackoff = Options.MinBackoff,
            MaxBackoff = Options.MaxBackoff,
            ResyncPeriod = TimeSpan.FromSeconds(1),
        });
        await Eventually(() => Stored("shop", "sidecars-dev-shawarma-default") is not null, "the binding");
        _server.Store.Delete(ResourceTypes.RoleBinding, "shop", "sidecars-dev-shawarma-default");

        // No pod changed, no watch event: only the resync can bring it back.
        await Eventually(() => Stored("shop", "sidecars-dev-shawarma-default") is not null, "the binding recreated by the resync");
        Assert.Equal(2, Writes("POST", "shop").Count);
        Assert.True(PodLists.Count >= 2);
        Assert.Single(reconciler.Ensured);
    }

    [Fact]
    public async Task Tolerates_409_and_leaves_an_identical_binding_alone()
    {
        Pod("shop", "web-1", "default", ShawarmaNative);
        Pod("shop", "web-2", "default", ShawarmaNative);
        var before = Binding("shop", "sidecars-dev-shawarma-default", "injector-shawarma", "default", ours: true);
        var reconciler = await StartAsync();
        await Watching();
        _server.Store.CloseWatches(); // another round: the binding is remembered, not asked for again
        await Eventually(() => _server.Requests.WatchCount(ResourceTypes.Pod) == 2, "a second watch");

        Assert.Equal([409], Writes("POST").Select(r => r.StatusCode));
        Assert.Single(_server.Requests.Where(r => r.Method == "GET" && r.Is(ResourceTypes.RoleBinding)));
        Assert.Empty(Writes("PUT"));
        Assert.Equal(before.ResourceVersion(), Stored("shop", "sidecars-dev-shawarma-default")!.ResourceVersion());
        Assert.Contains(_log.Entries, e => e.Id == 503);
        Assert.DoesNotContain(_log.Entries, e => e.Id == 506);
        Assert.Single(reconciler.Ensured);
    }

    [Fact]
    public async Task Repairs_a_drifted_binding_of_its_own_once_keeping_what_others_added()
    {
        Pod("shop", "web-1", "default", ShawarmaNative);
        var drifted = Binding("shop", "sidecars-dev-shawarma-default", "injector-shawarma", "someone-else", ours: true);
        await StartAsync();
        await Eventually(() => _log.Entries.Any(e => e.Id == 502), "the repair");

        var put = Assert.Single(Writes("PUT"));
        Assert.Equal(drifted.ResourceVersion(), JsonNode.Parse(put.Body)!["metadata"]!["resourceVersion"]!.GetValue<string>()); // optimistic concurrency
        var repaired = Stored("shop", "sidecars-dev-shawarma-default")!;
        Assert.Equal("default", Assert.Single(repaired["subjects"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal("payments", repaired["metadata"]!["labels"]!["team"]!.GetValue<string>());
    }

    [Fact]
    public async Task Never_touches_a_binding_it_did_not_create_or_whose_role_changed()
    {
        Pod("shop", "web-1", "default", ShawarmaNative);
        Pod("batch", "job-1", "worker", ProaAndShawarmaClassic);
        var foreign = Binding("shop", "sidecars-dev-shawarma-default", "team-role", "ops", ours: false);
        var oldRole = Binding("batch", "sidecars-dev-proa-worker", "old-proa", "worker", ours: true, sidecar: "proa");
        var reconciler = await StartAsync();
        await Eventually(() => reconciler.Ensured.Count == 3, "every binding decided");

        Assert.Empty(Writes("PUT"));
        Assert.Empty(Writes("PATCH"));
        Assert.Equal(foreign.ResourceVersion(), Stored("shop", "sidecars-dev-shawarma-default")!.ResourceVersion());
        Assert.Equal(oldRole.ResourceVersion(), Stored("batch", "sidecars-dev-proa-worker")!.ResourceVersion());
        Assert.Contains("shop/sidecars-dev-shawarma-default", Assert.Single(_log.Entries, e => e.Id == 504).Message, StringComparison.Ordinal);
        Assert.Contains("old-proa", Assert.Single(_log.Entries, e => e.Id == 505).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Survives_api_errors_and_retries_until_the_binding_exists()
    {
        // The list fails twice (500, then 403), the first create is forbidden, the second hangs past the request
        // timeout: the loop backs off, retries and gets there.
        Pod("shop", "web-1", "default", ShawarmaNative);
        _server.Faults.FailNext(KubeFault.InternalError("etcdserver: leader changed"), 1, r => r.Verb == "list");
        _server.Faults.FailNext(KubeFault.Forbidden("system:serviceaccount:sidecars-system:injector"), 1, r => r.Verb == "list");
        _server.Faults.FailNext(KubeFault.Forbidden("system:serviceaccount:sidecars-system:injector"), 1, r => r.Verb == "create");
        _server.Faults.FailNext(KubeFault.Hang(), 1, r => r.Verb == "create");
        var reconciler = await StartAsync();
        await Eventually(() => reconciler.Ensured.Count == 1, "the binding to be created after errors");

        Assert.NotNull(Stored("shop", "sidecars-dev-shawarma-default"));
        Assert.Equal(3, Writes("POST").Count);
        Assert.Contains(_log.Entries, e => e.Id == 507 && e.Message.Contains("HTTP 500", StringComparison.Ordinal));
        Assert.Contains(_log.Entries, e => e.Id == 507 && e.Message.Contains("HTTP 403", StringComparison.Ordinal));
        Assert.Contains(_log.Entries, e => e.Id == 506 && e.Message.Contains("HTTP 403", StringComparison.Ordinal));
        Assert.Contains(_log.Entries, e => e.Id == 506 && e.Message.Contains("HTTP 0", StringComparison.Ordinal)); // the timed-out create
        Assert.Equal(2, _log.Entries.Count(e => e.Id == 506));
        Assert.Equal(2, _log.Entries.Count(e => e.Id == 511));
        Assert.Contains(_log.Entries, e => e.Id == 501);
    }

    [Fact]
    public void Starting_without_a_usable_kubeconfig_fails_in_one_sentence()
    {
        var services = new ServiceCollection();
        var missing = Assert.Throws<InvalidOperationException>(() => services.AddRoleBindingLoop(Options, kubeconfig: _dir.File("absent")));
        Assert.Equal($"the RoleBinding loop (--sidecar-clusterroles) cannot reach the Kubernetes API: cannot read kubeconfig '{_dir.File("absent")}': the file does not exist", missing.Message);

        var path = _server.WriteKubeconfig(_dir.File("kubeconfig"));
        var context = Assert.Throws<InvalidOperationException>(() => services.AddRoleBindingLoop(Options, kubeconfig: path, context: "prod"));
        Assert.EndsWith($"kubeconfig {path} has no context named 'prod'", context.Message, StringComparison.Ordinal);
        Assert.Empty(services);

        services.AddRoleBindingLoop(Options, kubeconfig: path, context: "testkit");
        Assert.Contains(services, d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService));
    }

    internal sealed class ListLogger : ILogger
    {
        private readonly ConcurrentQueue<(int Id, LogLevel Level, string Message)> _queue = new();

        public IReadOnlyList<(int Id, LogLevel Level, string Message)> Entries => _queue.ToList();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _queue.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}
