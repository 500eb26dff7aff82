using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Injector.Rbac;
using k8s;
using Microsoft.Extensions.Logging;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Injector.Tests.Rbac;

/// <summary>The RoleBinding loop against a stand-in API server speaking real Kubernetes JSON.</summary>
public sealed class RoleBindingReconcilerTests : IDisposable
{
    private const string PodsPath = "/api/v1/pods";
    private const string Rbac = "/apis/rbac.authorization.k8s.io/v1/namespaces";
    private const string ShawarmaNative = """{"revision":"r1","sidecars":["shawarma"],"mode":"native","containers":[],"initContainers":["shawarma"],"volumes":[]}""";
    private const string ProaAndShawarmaClassic = """{"revision":"r1","mode":"classic","containers":["shawarma"],"initContainers":["proa-init"],"volumes":["sidecars-proa"]}""";
    private const string AppUpOnly = """{"revision":"r1","sidecars":["appup"],"containers":["appup"],"initContainers":[],"volumes":["sidecars-appup"]}""";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ListLogger _log = new();

    public void Dispose() => _server.Stop();

    private static readonly RoleBindingReconcilerOptions Options = new()
    {
        ClusterRoles = RoleBindingReconcilerOptions.ParseClusterRoles("shawarma=injector-shawarma,proa=injector-proa"),
        MinBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(2),
        ResyncPeriod = TimeSpan.FromHours(1),
    };

    private RoleBindingReconciler Reconciler() =>
        new(new Kubernetes(new KubernetesClientConfiguration { Host = _server.Url! }), Options, _log, TimeProvider.System);

    private static JsonObject PodJson(string ns, string name, string? serviceAccount, string? status)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["uid"] = Guid.NewGuid().ToString(),
            ["resourceVersion"] = "100",
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

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
    }

    private static string PodList(params JsonObject[] pods) => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "PodList",
        ["metadata"] = new JsonObject { ["resourceVersion"] = "12345" },
        ["items"] = new JsonArray(pods.Select(p => (JsonNode)p).ToArray()),
    }.ToJsonString();

    private static string Status(int code, string reason, string message) => new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    }.ToJsonString();

    private static string RoleBindingJson(string ns, string name, string clusterRole, string sa, bool ours, string sidecar = "shawarma")
    {
        var labels = new JsonObject();
        if (ours)
        {
            labels["app.kubernetes.io/managed-by"] = "sidecars-injector";
            labels["sidecars.dev/sidecar"] = sidecar;
        }

        return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["resourceVersion"] = "777", ["labels"] = labels },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = clusterRole },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = sa, ["namespace"] = ns }),
        }.ToJsonString();
    }

    private void GivenPods(string podList)
    {
        // Watch: an empty stream that the server closes shortly after (the loop then re-lists).
        _server.Given(Request.Create().WithPath(PodsPath).UsingGet().WithParam("watch", "true")).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("").WithDelay(100));
        _server.Given(Request.Create().WithPath(PodsPath).UsingGet().WithParam("labelSelector", "sidecars.dev/injected=true")).AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(podList));
    }

    private void GivenCreateReturns(string ns, int status, string body) =>
        _server.Given(Request.Create().WithPath($"{Rbac}/{ns}/rolebindings").UsingPost()).AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private void GivenCreateEchoes(string ns) =>
        _server.Given(Request.Create().WithPath($"{Rbac}/{ns}/rolebindings").UsingPost()).AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("{{{request.body}}}").WithTransformer());

    private List<ILogEntry> Requests(string method, string pathPrefix) =>
        _server.LogEntries.Where(e => e.RequestMessage!.Method == method && e.RequestMessage!.Path.StartsWith(pathPrefix, StringComparison.Ordinal)).ToList();

    private int Lists => _server.LogEntries.Count(e => e.RequestMessage!.Path == PodsPath && !(e.RequestMessage!.RawQuery ?? "").Contains("watch=true"));

    private static async Task Eventually(Func<bool> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(25);
        }
    }

    private async Task RunUntil(RoleBindingReconciler r, Func<bool> condition, string what)
    {
        using var cts = new CancellationTokenSource();
        await r.StartAsync(cts.Token);
        try
        {
            await Eventually(condition, what);
        }
        finally
        {
            await r.StopAsync(CancellationToken.None);
        }

        Assert.False(r.ExecuteTask?.IsFaulted ?? false, r.ExecuteTask?.Exception?.ToString());
        Assert.Empty(Requests("DELETE", "/"));
    }

    [Fact]
    public async Task Creates_each_binding_once_for_injected_pods_and_ignores_the_rest()
    {
        GivenPods(PodList(
            PodJson("shop", "web-1", null, ShawarmaNative),
            PodJson("shop", "web-2", "default", ShawarmaNative),
            PodJson("batch", "job-1", "worker", ProaAndShawarmaClassic),
            PodJson("shop", "up-1", "default", AppUpOnly),
            PodJson("other", "no-status", "default", null),
            PodJson("other", "bad-status", "default", "{not json")));
        GivenCreateEchoes("shop");
        GivenCreateEchoes("batch");

        var reconciler = Reconciler();
        await RunUntil(reconciler, () => Lists >= 4, "several list/watch cycles");

        var shop = Requests("POST", $"{Rbac}/shop/");
        Assert.True(shop.Count == 1, Dump());
        var created = JsonNode.Parse(Assert.Single(shop).RequestMessage!.Body!)!;
        Assert.Equal("sidecars-dev-shawarma-default", (string?)created["metadata"]!["name"]);
        Assert.Equal("sidecars-injector", (string?)created["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
        Assert.Equal("injector-shawarma", (string?)created["roleRef"]!["name"]);
        Assert.Equal("ClusterRole", (string?)created["roleRef"]!["kind"]);
        var subject = Assert.Single(created["subjects"]!.AsArray())!;
        Assert.Equal(("ServiceAccount", "default", "shop"), ((string?)subject["kind"], (string?)subject["name"], (string?)subject["namespace"]));

        var batch = Requests("POST", $"{Rbac}/batch/").Select(e => (string?)JsonNode.Parse(e.RequestMessage!.Body!)!["roleRef"]!["name"]).Order();
        Assert.Equal(["injector-proa", "injector-shawarma"], batch);
        Assert.Empty(Requests("POST", $"{Rbac}/other/"));
        Assert.Empty(Requests("PUT", Rbac));
        Assert.Equal(3, reconciler.Ensured.Count);
        Assert.Contains(_log.Entries, e => e.Id == 501);
    }

    [Fact]
    public async Task Tolerates_409_and_leaves_an_identical_binding_alone()
    {
        GivenPods(PodList(PodJson("shop", "web-1", "default", ShawarmaNative)));
        GivenCreateReturns("shop", 409, Status(409, "AlreadyExists", "rolebindings.rbac.authorization.k8s.io \"sidecars-dev-shawarma-default\" already exists"));
        _server.Given(Request.Create().WithPath($"{Rbac}/shop/rolebindings/sidecars-dev-shawarma-default").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(RoleBindingJson("shop", "sidecars-dev-shawarma-default", "injector-shawarma", "default", ours: true)));

        await RunUntil(Reconciler(), () => Lists >= 4, "several list/watch cycles");

        Assert.Single(Requests("POST", Rbac));   // remembered after the first 409
        Assert.Single(Requests("GET", Rbac));
        Assert.Empty(Requests("PUT", Rbac));
        Assert.DoesNotContain(_log.Entries, e => e.Id == 506);
    }

    [Fact]
    public async Task Repairs_a_drifted_binding_of_its_own_once()
    {
        GivenPods(PodList(PodJson("shop", "web-1", "default", ShawarmaNative)));
        GivenCreateReturns("shop", 409, Status(409, "AlreadyExists", "already exists"));
        _server.Given(Request.Create().WithPath($"{Rbac}/shop/rolebindings/sidecars-dev-shawarma-default").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(RoleBindingJson("shop", "sidecars-dev-shawarma-default", "injector-shawarma", "someone-else", ours: true)));
        _server.Given(Request.Create().WithPath($"{Rbac}/shop/rolebindings/sidecars-dev-shawarma-default").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{{{request.body}}}").WithTransformer());

        await RunUntil(Reconciler(), () => Lists >= 3, "several list/watch cycles");

        var put = JsonNode.Parse(Assert.Single(Requests("PUT", Rbac)).RequestMessage!.Body!)!;
        Assert.Equal("777", (string?)put["metadata"]!["resourceVersion"]); // optimistic concurrency kept
        Assert.Equal("default", (string?)Assert.Single(put["subjects"]!.AsArray())!["name"]);
        Assert.Contains(_log.Entries, e => e.Id == 502);
    }

    [Fact]
    public async Task Never_touches_a_binding_it_did_not_create()
    {
        GivenPods(PodList(PodJson("shop", "web-1", "default", ShawarmaNative)));
        GivenCreateReturns("shop", 409, Status(409, "AlreadyExists", "already exists"));
        _server.Given(Request.Create().WithPath($"{Rbac}/shop/rolebindings/sidecars-dev-shawarma-default").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(RoleBindingJson("shop", "sidecars-dev-shawarma-default", "team-role", "ops", ours: false)));

        await RunUntil(Reconciler(), () => Lists >= 3, "several list/watch cycles");

        Assert.Empty(Requests("PUT", Rbac));
        Assert.Empty(Requests("PATCH", Rbac));
        var foreign = Assert.Single(_log.Entries, e => e.Id == 504);
        Assert.Contains("shop/sidecars-dev-shawarma-default", foreign.Message);
    }

    [Fact]
    public async Task Survives_api_errors_and_retries_until_the_binding_exists()
    {
        // The list fails twice (500, then 403), the first create is forbidden, the second create times out:
        // the loop backs off, retries and gets there.
        _server.Given(Request.Create().WithPath(PodsPath).UsingGet().WithParam("watch", "true")).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("").WithDelay(100));
        var list = Request.Create().WithPath(PodsPath).UsingGet().WithParam("labelSelector", "sidecars.dev/injected=true");
        _server.Given(list).AtPriority(5).InScenario("list").WillSetStateTo("forbidden")
            .RespondWith(Response.Create().WithStatusCode(500).WithHeader("Content-Type", "application/json").WithBody(Status(500, "InternalError", "etcdserver: leader changed")));
        _server.Given(list).AtPriority(5).InScenario("list").WhenStateIs("forbidden").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json").WithBody(Status(403, "Forbidden", "pods is forbidden")));
        _server.Given(list).AtPriority(5).InScenario("list").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(PodList(PodJson("shop", "web-1", "default", ShawarmaNative))));

        var create = Request.Create().WithPath($"{Rbac}/shop/rolebindings").UsingPost();
        _server.Given(create).InScenario("create").WillSetStateTo("slow")
            .RespondWith(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json")
                .WithBody(Status(403, "Forbidden", "user cannot bind clusterrole injector-shawarma")));
        _server.Given(create).InScenario("create").WhenStateIs("slow").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(201).WithBody("{}").WithDelay(TimeSpan.FromSeconds(3)));
        _server.Given(create).InScenario("create").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("{{{request.body}}}").WithTransformer());

        var reconciler = Reconciler();
        await RunUntil(reconciler, () => reconciler.Ensured.Count == 1, "the binding to be created after errors");

        Assert.InRange(Requests("POST", Rbac).Count, 2, 3); // the stand-in may not log the request the client abandoned
        Assert.Contains(_log.Entries, e => e.Id == 507 && e.Message.Contains("HTTP 500"));
        Assert.Contains(_log.Entries, e => e.Id == 507 && e.Message.Contains("HTTP 403"));
        Assert.Contains(_log.Entries, e => e.Id == 506 && e.Message.Contains("HTTP 403"));
        Assert.Contains(_log.Entries, e => e.Id == 506 && e.Message.Contains("HTTP 0")); // the timed-out create
        Assert.Equal(2, _log.Entries.Count(e => e.Id == 506));
        Assert.Contains(_log.Entries, e => e.Id == 501);
    }

    [Fact]
    public async Task Watch_events_create_bindings_for_new_pods()
    {
        var added = JsonSerializer.Serialize(new { type = "ADDED", @object = PodJson("late", "p", "api", ProaAndShawarmaClassic) });
        _server.Given(Request.Create().WithPath(PodsPath).UsingGet().WithParam("watch", "true")).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(added + "\n").WithDelay(100));
        _server.Given(Request.Create().WithPath(PodsPath).UsingGet()).AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(PodList()));
        GivenCreateEchoes("late");

        var reconciler = Reconciler();
        await RunUntil(reconciler, () => reconciler.Ensured.Count == 2, "bindings for the watched pod");

        var watch = _server.LogEntries.First(e => (e.RequestMessage!.RawQuery ?? "").Contains("watch=true")).RequestMessage!.RawQuery!;
        Assert.Contains("resourceVersion=12345", watch);
        Assert.Contains("labelSelector=sidecars.dev%2Finjected%3Dtrue", watch);
        Assert.Equal(2, Requests("POST", $"{Rbac}/late/").Count);
    }

    private string Dump() => string.Join('\n', _log.Entries.Select(e => $"{e.Id} {e.Level} {e.Message}"));

    internal sealed class ListLogger : ILogger
    {
        public ConcurrentQueue<(int Id, LogLevel Level, string Message)> Queue { get; } = new();

        public IReadOnlyList<(int Id, LogLevel Level, string Message)> Entries => Queue.ToList();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Queue.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}
