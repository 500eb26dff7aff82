using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Runtime.InteropServices;
using Shawarma.Tests.Fakes;
using TestKit;
using TestKit.Kube;
using TestKit.Kube.Server;

namespace Shawarma.Tests.EndToEnd;

/// <summary>The real shawarma process against a stand-in API server and a stand-in app.</summary>
[Collection(SerialProcesses.Name)]
public sealed class MonitorProcessTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Pod_becoming_ready_posts_exactly_one_active_and_removal_posts_inactive()
    {
        await using var s = await Scenario.CreateAsync();
        s.Upsert(Objects.Slice("web-abc12", "web",
            Objects.Endpoint("web-other-1", true, "10.244.0.5"),
            Objects.Endpoint(Scenario.Pod, false)));
        s.Upsert(Objects.Slice("other-xyz", "other", Objects.Endpoint(Scenario.Pod, true)));
        var process = s.Start("--service", "web");

        // First full list processed: the initial state is sent once.
        await s.WaitForDeliveredAsync(1, "initial state");
        Assert.Equal(Scenario.Inactive, s.App!.Delivered.Single());
        Assert.Equal(Scenario.Inactive, await s.GetStateAsync());
        Assert.Contains("labelSelector=kubernetes.io%2Fservice-name%3Dweb", s.Api.Requests.All[0].QueryString, StringComparison.Ordinal);

        // Pod becomes ready in the watch.
        await Eventually.TrueAsync(() => s.OpenWatches(ResourceTypes.EndpointSlice) > 0, "watch open", diagnostics: s.Diagnostics);
        s.Upsert(Objects.Slice("web-abc12", "web",
            Objects.Endpoint("web-other-1", true, "10.244.0.5"),
            Objects.Endpoint(Scenario.Pod, true)));
        await s.WaitForDeliveredAsync(2, "active");
        Assert.Equal(Scenario.Active("web"), s.App.Delivered.ElementAt(1));
        Assert.Equal(Scenario.Active("web"), await s.GetStateAsync());

        // Changes that do not change the state, and a bookmark, post nothing.
        s.Upsert(Objects.Slice("web-abc12", "web",
            Objects.Endpoint("web-other-1", false, "10.244.0.5"),
            Objects.Endpoint(Scenario.Pod, true)));
        s.Upsert(Objects.Slice("web-def34", "web", Objects.Endpoint("web-other-2", true, "10.244.0.6")));
        s.Api.Store.SendBookmarks();

        // Removed from the slice: inactive.
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint("web-other-1", true, "10.244.0.5")));
        await s.WaitForDeliveredAsync(3, "inactive");
        Assert.Equal([Scenario.Inactive, Scenario.Active("web"), Scenario.Inactive], s.App.Delivered.ToArray());
        Assert.All(s.App.ContentTypes, ct => Assert.StartsWith("application/json", ct, StringComparison.Ordinal));
        Assert.Equal(Scenario.Inactive, await s.GetStateAsync());

        await s.StopAsync();
        Assert.Equal(3, s.App.Delivered.Count);
    }

    [Fact]
    public async Task Pod_ready_at_start_posts_active_without_an_inactive_flap()
    {
        await using var s = await Scenario.CreateAsync();
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Scenario.Pod, null))); // ready absent = ready
        var process = s.Start("--service", "web");

        await s.WaitForDeliveredAsync(1, "initial state");
        Assert.Equal(Scenario.Active("web"), s.App!.Delivered.Single());
        Assert.Equal(Scenario.Active("web"), await s.GetStateAsync());

        // The state server: health, 404, 405.
        using var http = new HttpClient();
        var health = await http.GetAsync($"http://127.0.0.1:{s.ListenPort}/_health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{s.ListenPort}/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync($"http://127.0.0.1:{s.ListenPort}/deploymentstate", new StringContent("x"))).StatusCode);
        var state = await http.GetAsync($"http://127.0.0.1:{s.ListenPort}/deploymentstate?x=1");
        Assert.Equal("application/json", state.Content.Headers.ContentType!.MediaType);

        process.Signal(PosixSignal.SIGINT);
        Assert.Equal(0, await process.WaitForExitAsync(ExitDeadline));
        Assert.Single(s.App.Delivered);
    }

    [Fact]
    public async Task Watch_closed_by_server_reconnects_and_410_Gone_relists()
    {
        await using var s = await Scenario.CreateAsync();
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Scenario.Pod, true)));
        var process = s.Start("--service", "web");
        await s.WaitForDeliveredAsync(1, "initial active");
        await Eventually.TrueAsync(() => s.OpenWatches(ResourceTypes.EndpointSlice) > 0, "watch open", diagnostics: s.Diagnostics);

        // Server closes the stream; a change made while no watch is open arrives on the resumed watch.
        s.Api.Store.CloseWatches();
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Scenario.Pod, false)));
        await s.WaitForDeliveredAsync(2, "inactive after reconnect");
        Assert.Equal(Scenario.Inactive, s.App!.Delivered.Last());
        Assert.Equal(Scenario.Inactive, await s.GetStateAsync());
        Assert.Equal(1, s.Lists(ResourceTypes.EndpointSlice)); // resumed from resourceVersion, no relist
        await Eventually.TrueAsync(() => s.OpenWatches(ResourceTypes.EndpointSlice) > 0, "watch reopened", diagnostics: s.Diagnostics);

        // History compacted: a change no watch will ever report, then 410 Gone -> relist sees it.
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Scenario.Pod, true)), notify: false);
        s.Api.Store.ExpireWatches();
        await s.WaitForDeliveredAsync(3, "active after relist");
        Assert.Equal(Scenario.Active("web"), s.App.Delivered.Last());
        Assert.Equal(Scenario.Active("web"), await s.GetStateAsync());
        Assert.Equal(2, s.Lists(ResourceTypes.EndpointSlice));
        Assert.Contains("410", process.Output, StringComparison.Ordinal);

        await s.StopAsync();
    }

    [Fact]
    public async Task Api_403_and_500_back_off_and_keep_serving_the_last_known_state()
    {
        await using var s = await Scenario.CreateAsync();
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Scenario.Pod, true)));
        var process = s.Start("--service", "web");
        await s.WaitForDeliveredAsync(1, "initial active");
        await Eventually.TrueAsync(() => s.OpenWatches(ResourceTypes.EndpointSlice) > 0, "watch open", diagnostics: s.Diagnostics);

        // Force a relist that meets errors: 500 (plain body), 403 (Status body), 500. The last known state is served
        // throughout, checked on every poll until all three faults were served (with a deadline: a hang fails).
        bool Slices(RecordedRequest r) => r.Is(ResourceTypes.EndpointSlice);
        s.Api.Faults.FailNext(KubeFault.PlainText(500), 1, Slices);
        s.Api.Faults.FailNext(KubeFault.Forbidden("system:serviceaccount:shop:default"), 1, Slices);
        s.Api.Faults.FailNext(KubeFault.InternalError(), 1, Slices);
        s.Api.Store.ExpireWatches();
        var states = new List<string?>();
        await Eventually.TrueAsync(
            async () =>
            {
                states.Add(await s.GetStateAsync());
                return s.Api.Faults.Served == 3;
            },
            "three faults served",
            diagnostics: s.Diagnostics);
        Assert.All(states, state => Assert.Equal(Scenario.Active("web"), state));

        Assert.Contains("403", process.Output, StringComparison.Ordinal);
        Assert.Contains("is forbidden", process.Output, StringComparison.Ordinal);
        Assert.Single(s.App!.Delivered);

        // Recovered: new changes flow again.
        await Eventually.TrueAsync(() => s.OpenWatches(ResourceTypes.EndpointSlice) > 0, "watch reopened", diagnostics: s.Diagnostics);
        s.Delete(ResourceTypes.EndpointSlice, "web-abc12");
        await s.WaitForDeliveredAsync(2, "inactive after recovery");
        Assert.Equal(Scenario.Inactive, s.App.Delivered.Last());
        Assert.Equal(Scenario.Inactive, await s.GetStateAsync());

        await s.StopAsync();
    }

    [Fact]
    public async Task App_answering_503_gets_the_state_once_it_is_back()
    {
        await using var s = await Scenario.CreateAsync();
        s.App!.FailWith = 503;
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Scenario.Pod, true)));
        var process = s.Start("--service", "web");

        await Eventually.TrueAsync(() => s.App.Attempts >= 3, "three failed POST attempts", diagnostics: s.Diagnostics);
        Assert.Empty(s.App.Delivered);
        Assert.Equal(Scenario.Active("web"), await s.GetStateAsync());
        Assert.Contains("503", process.Output, StringComparison.Ordinal);

        s.App.FailWith = 0;
        await s.WaitForDeliveredAsync(1, "active once the app is back");
        Assert.Equal(Scenario.Active("web"), s.App.Delivered.Single());

        await s.StopAsync();
        Assert.Single(s.App.Delivered);
    }

    [Fact]
    public async Task App_not_listening_yet_gets_only_the_current_state_when_it_starts()
    {
        await using var s = await Scenario.CreateAsync(startApp: false);
        var appPort = FreePort.Next();
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Scenario.Pod, false)));
        var process = s.Start(new Uri($"http://127.0.0.1:{appPort}/applicationstate"), "--service", "web");

        await Eventually.TrueAsync(() => process.Output.Contains("will retry", StringComparison.Ordinal), "a failed POST", diagnostics: s.Diagnostics);
        Assert.Equal(Scenario.Inactive, await s.GetStateAsync());

        // The state moves on while the app is away: the newer state supersedes the pending one.
        await Eventually.TrueAsync(() => s.OpenWatches(ResourceTypes.EndpointSlice) > 0, "watch open", diagnostics: s.Diagnostics);
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Scenario.Pod, true)));
        await s.WaitForStateAsync(Scenario.Active("web"), "active while app is away");

        var app = await s.StartAppAsync(appPort);
        await s.WaitForDeliveredAsync(1, "state after the app started");
        Assert.Equal(Scenario.Active("web"), app.Delivered.Single());

        await s.StopAsync();
        Assert.Single(app.Delivered);
    }

    [Fact]
    public async Task Service_labels_select_services_and_follow_service_changes()
    {
        await using var s = await Scenario.CreateAsync();
        s.Upsert(Objects.Service("web", ("app", "shop"), ("tier", "front")));
        s.Upsert(Objects.Service("web-canary", ("app", "shop"), ("tier", "canary")));
        s.Upsert(Objects.Service("admin", ("app", "backoffice")));
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint("web-other-1", true)));
        s.Upsert(Objects.Slice("web-canary-q1", "web-canary", Objects.Endpoint(Scenario.Pod, true)));
        s.Upsert(Objects.Slice("admin-z9", "admin", Objects.Endpoint(Scenario.Pod, true)));
        var process = s.Start("--service-labels", "app=shop");

        await s.WaitForDeliveredAsync(1, "initial state");
        Assert.Equal(Scenario.Active("web-canary"), s.App!.Delivered.Single());

        // The pod joins "web" too.
        await Eventually.TrueAsync(() => s.OpenWatches(ResourceTypes.EndpointSlice) > 0 && s.OpenWatches(ResourceTypes.Service) > 0, "watches open", diagnostics: s.Diagnostics);
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint("web-other-1", true), Objects.Endpoint(Scenario.Pod, true)));
        await s.WaitForDeliveredAsync(2, "active in both");
        Assert.Equal(Scenario.Active("web", "web-canary"), s.App.Delivered.Last());

        // Relabelled out of the selection: the service no longer counts.
        s.Upsert(Objects.Service("web-canary", ("app", "retired")));
        s.Upsert(Objects.Service("web", ("app", "retired")));
        await s.WaitForStateAsync(Scenario.Inactive, "no matching service");
        await s.WaitForDeliveredAsync(3, "inactive");
        Assert.Equal(Scenario.Inactive, s.App.Delivered.Last());

        await s.StopAsync();
    }

    [Fact]
    public async Task Service_name_and_labels_must_both_match()
    {
        await using var s = await Scenario.CreateAsync();
        s.Upsert(Objects.Service("web", ("app", "shop")));
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Scenario.Pod, true)));
        var process = s.Start("--service", "web", "--service-labels", "app=other");

        await s.WaitForDeliveredAsync(1, "initial state");
        Assert.Equal(Scenario.Inactive, s.App!.Delivered.Single());

        await Eventually.TrueAsync(() => s.OpenWatches(ResourceTypes.Service) > 0, "services watch open", diagnostics: s.Diagnostics);
        s.Upsert(Objects.Service("web", ("app", "other")));
        await s.WaitForDeliveredAsync(2, "active once labels match");
        Assert.Equal(Scenario.Active("web"), s.App.Delivered.Last());

        await s.StopAsync();
    }

    [Fact]
    public async Task Disabled_notifier_posts_nothing_but_serves_the_state()
    {
        await using var s = await Scenario.CreateAsync();
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Scenario.Pod, true)));
        var process = s.Start("--service", "web", "--disable-notifier");

        await s.WaitForStateAsync(Scenario.Active("web"), "active");
        Assert.Equal(0, s.App!.Attempts);

        await s.StopAsync();
        Assert.Equal(0, s.App.Attempts);
    }

    [Fact]
    public async Task Missing_service_exits_1_with_a_clear_message()
    {
        await using var process = ShawarmaProgram.Start(["monitor", "--pod", "p", "--namespace", "n"]);
        Assert.Equal(1, await process.WaitForExitAsync(ExitDeadline));
        Assert.Contains("no service to monitor", process.Output, StringComparison.Ordinal);
        Assert.Contains("--service", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_pod_exits_1_and_env_configures_everything()
    {
        await using (var noPod = ShawarmaProgram.Start(["monitor"], new Dictionary<string, string?> { ["SHAWARMA_SERVICE"] = "web", ["MY_POD_NAMESPACE"] = "n" }))
        {
            Assert.Equal(1, await noPod.WaitForExitAsync(ExitDeadline));
            Assert.Contains("MY_POD_NAME", noPod.Output, StringComparison.Ordinal);
        }

        await using var s = await Scenario.CreateAsync();
        s.Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Scenario.Pod, true)));
        await using var process = ShawarmaProgram.Start(["monitor"], new Dictionary<string, string?>
        {
            ["SHAWARMA_SERVICE"] = "web",
            ["MY_POD_NAME"] = Scenario.Pod,
            ["MY_POD_NAMESPACE"] = Objects.Namespace,
            ["SHAWARMA_URL"] = s.App!.Url.ToString(),
            ["SHAWARMA_LISTEN_PORT"] = s.ListenPort.ToString(),
            ["KUBECONFIG"] = s.Kubeconfig,
        });
        await Eventually.TrueAsync(() => s.App.Delivered.Count == 1, "env-configured POST", diagnostics: () => process.Output);
        Assert.Equal(Scenario.Active("web"), s.App.Delivered.Single());
        Assert.Equal(Scenario.Active("web"), await s.GetStateAsync());
        process.Signal(PosixSignal.SIGTERM);
        Assert.Equal(0, await process.WaitForExitAsync(ExitDeadline));
    }

    [Fact]
    public async Task State_server_handles_keep_alive_and_pipelined_requests()
    {
        await using var s = await Scenario.CreateAsync();
        await s.StartActiveAsync("--service", "web", "--disable-notifier");

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, s.ListenPort);
        var stream = client.GetStream();
        var request = "GET /deploymentstate HTTP/1.1\r\nHost: x\r\n\r\nGET /_health HTTP/1.1\r\nHost: x\r\n\r\nGET /deploymentstate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray();
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var all = await reader.ReadToEndAsync(); // ends because the last request asked to close
        Assert.Equal(3, all.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.Equal(2, all.Split(Scenario.Active("web")).Length - 1);

        await s.StopAsync();
    }
}
