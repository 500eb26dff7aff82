using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using TestKit.Kube;
using TestKit.Kube.Server;

namespace TestKit.Tests.Kube;

/// <summary>Faults injected per request, as KubernetesClient sees them.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task Forbidden_answers_with_the_rbac_authorizers_message_for_the_request()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Faults.FailNext(KubeFault.Forbidden("system:serviceaccount:shop:rollout"), when: r => r.Verb == "list" && r.Is(ResourceTypes.Pod));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoreV1.ListNamespacedPodAsync("shop"));

        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("pods is forbidden: User \"system:serviceaccount:shop:rollout\" cannot list resource \"pods\" in API group \"\" in the namespace \"shop\"", (string?)status["message"]);
        Assert.Equal("Forbidden", (string?)status["reason"]);
        Assert.Empty((await kube.Client.CoreV1.ListNamespacedPodAsync("shop")).Items); // used up after one request
    }

    [Fact]
    public async Task Too_many_requests_carries_retry_after()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Faults.FailNext(KubeFault.TooManyRequests(TimeSpan.FromSeconds(2)));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoreV1.ListNamespacedPodAsync("shop"));

        Assert.Equal((HttpStatusCode)429, error.Response.StatusCode);
        Assert.Equal("2", error.Response.Headers["Retry-After"].Single());
        Assert.Equal(2, (int)JsonNode.Parse(error.Response.Content)!["details"]!["retryAfterSeconds"]!);
    }

    [Fact]
    public async Task Internal_errors_and_plain_proxy_errors_are_served_for_the_matching_requests_only()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Faults.FailNext(KubeFault.InternalError(), 2, r => r.Verb == "get");
        kube.Server.Faults.FailNext(KubeFault.PlainText(502, "Bad Gateway\n"), 1, r => r.Verb == "list");

        var first = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoreV1.ReadNamespacedConfigMapAsync("x", "shop"));
        Assert.Equal(HttpStatusCode.InternalServerError, first.Response.StatusCode);
        Assert.Equal("InternalError", (string?)JsonNode.Parse(first.Response.Content)!["reason"]);
        var proxy = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop"));
        Assert.Equal(HttpStatusCode.BadGateway, proxy.Response.StatusCode);
        Assert.Equal("Bad Gateway\n", proxy.Response.Content);
        Assert.Equal(HttpStatusCode.InternalServerError, (await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoreV1.ReadNamespacedConfigMapAsync("x", "shop"))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoreV1.ReadNamespacedConfigMapAsync("x", "shop"))).Response.StatusCode);
        Assert.Equal(3, kube.Server.Faults.Served);
    }

    [Fact]
    public async Task A_hang_lasts_until_the_client_gives_up()
    {
        await using var kube = await StandIn.StartAsync();
        using var hang = kube.Server.Faults.Add(KubeFault.Hang());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => kube.Client.CoreV1.ListNamespacedPodAsync("shop", cancellationToken: cancel.Token));

        Assert.Equal(1, kube.Server.Requests.Count(r => r.Fault == "hang"));
    }

    [Fact]
    public async Task A_reset_connection_and_a_cut_off_body_fail_the_request()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "a"));
        kube.Server.Faults.FailNext(KubeFault.ResetConnection());
        await Assert.ThrowsAsync<HttpRequestException>(() => kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop"));

        kube.Server.Faults.FailNext(KubeFault.PartialBody(0.5));
        var partial = await Record.ExceptionAsync(() => kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop"));
        Assert.NotNull(partial);

        Assert.Single((await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop")).Items);
    }

    [Fact]
    public async Task A_slow_body_still_arrives_whole()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "a"));
        kube.Server.Faults.FailNext(KubeFault.SlowBody(TimeSpan.FromMilliseconds(5), chunkSize: 64));

        var list = await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop");

        Assert.Equal("a", Assert.Single(list.Items).Metadata.Name);
        Assert.Equal("slow body", kube.Server.Requests.All.Single().Fault);
    }

    [Fact]
    public async Task Requests_are_recorded_with_what_the_server_made_of_them_and_the_most_in_flight()
    {
        await using var kube = await StandIn.StartAsync();
        using var slow = kube.Server.Faults.Add(KubeFault.Delay(TimeSpan.FromMilliseconds(300)), r => r.Verb == "get");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoreV1.ReadNamespacedConfigMapAsync("x", "shop"))));
        await kube.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{}", V1Patch.PatchType.MergePatch), "x", "shop")
            .ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Equal(4, kube.Server.Requests.MaxInFlight);
        var patch = kube.Server.Requests.Writes(ResourceTypes.ConfigMap).Single();
        Assert.Equal(("PATCH", "/api/v1/namespaces/shop/configmaps/x", "{}", "application/merge-patch+json; charset=utf-8", 404),
            (patch.Method, patch.Path, patch.Body, patch.ContentType, patch.StatusCode));
        Assert.Equal(("patch", "shop", "x"), (patch.Verb, patch.Namespace, patch.Name));
    }
}
