using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using TestKit.Kube;

namespace TestKit.Tests.Kube;

/// <summary>Lists with limit/continue and resourceVersion semantics, driven by KubernetesClient.</summary>
public sealed class ListPagingTests
{
    [Fact]
    public async Task Pages_through_every_object_once_with_one_snapshot_resource_version()
    {
        await using var kube = await StandIn.StartAsync();
        for (var i = 0; i < 25; i++)
        {
            kube.Server.Store.Create(Objects.ConfigMap("shop", $"cm-{i:D2}"));
        }

        kube.Server.Store.Create(Objects.ConfigMap("other", "elsewhere"));
        var names = new List<string>();
        var versions = new HashSet<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 10, continueParameter: next);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            versions.Add(page.Metadata.ResourceVersion);
            next = page.Metadata.ContinueProperty;
            pages++;
            if (next is not null)
            {
                Assert.Equal(25 - names.Count, page.Metadata.RemainingItemCount);
            }
        }
        while (next is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"cm-{i:D2}"), names);
        Assert.Single(versions);
        Assert.Equal(3, kube.Server.Requests.ListCount(ResourceTypes.ConfigMap));
    }

    [Fact]
    public async Task Later_pages_show_the_first_page_snapshot_not_later_writes()
    {
        await using var kube = await StandIn.StartAsync();
        for (var i = 0; i < 6; i++)
        {
            kube.Server.Store.Create(Objects.ConfigMap("shop", $"cm-{i}"));
        }

        var first = await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 3);
        kube.Server.Store.Create(Objects.ConfigMap("shop", "cm-9"));
        kube.Server.Store.Delete(ResourceTypes.ConfigMap, "shop", "cm-5");
        var second = await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 3, continueParameter: first.Metadata.ContinueProperty);

        Assert.Equal(["cm-3", "cm-4", "cm-5"], second.Items.Select(i => i.Metadata.Name));
        Assert.Null(second.Metadata.ContinueProperty);
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        var fresh = await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop");
        Assert.Equal(["cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "cm-9"], fresh.Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task An_expired_continue_token_answers_410_with_a_token_to_go_on_inconsistently()
    {
        await using var kube = await StandIn.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            kube.Server.Store.Create(Objects.ConfigMap("shop", $"cm-{i}"));
        }

        var first = await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 2);
        kube.Server.Store.Create(Objects.ConfigMap("shop", "cm-late"));
        kube.Server.Store.Compact();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 2, continueParameter: first.Metadata.ContinueProperty));

        Assert.Equal(HttpStatusCode.Gone, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!.AsObject();
        Assert.Equal("Expired", (string?)status["reason"]);
        Assert.Equal(410, (int)status["code"]!);
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result.", (string?)status["message"]);
        var inconsistent = (string?)status["metadata"]!["continue"];
        Assert.NotNull(inconsistent);
        var rest = await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 10, continueParameter: inconsistent);
        Assert.Equal(["cm-2", "cm-3", "cm-late"], rest.Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task Continue_tokens_have_the_api_servers_format()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "a"));
        kube.Server.Store.Create(Objects.ConfigMap("shop", "b"));
        var page = await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", limit: 1);
        var token = page.Metadata.ContinueProperty!;
        Assert.DoesNotContain('=', token);
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/').PadRight((token.Length + 3) / 4 * 4, '=')));
        Assert.Equal($"{{\"v\":\"meta.k8s.io/v1\",\"rv\":{page.Metadata.ResourceVersion},\"start\":\"a\\u0000\"}}", json);
    }

    [Fact]
    public async Task Exact_resource_version_lists_the_past_and_too_old_answers_410()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "a"));
        var before = kube.Server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        kube.Server.Store.Create(Objects.ConfigMap("shop", "b"));

        var past = await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", resourceVersion: before, resourceVersionMatch: "Exact");
        Assert.Equal(["a"], past.Items.Select(i => i.Metadata.Name));
        Assert.Equal(before, past.Metadata.ResourceVersion);

        kube.Server.Store.Compact();
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", resourceVersion: before, resourceVersionMatch: "Exact"));
        Assert.Equal(HttpStatusCode.Gone, error.Response.StatusCode);
        Assert.Contains("The resourceVersion for the provided list is too old.", error.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resource_version_zero_is_served_whole_ignoring_the_limit()
    {
        await using var kube = await StandIn.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            kube.Server.Store.Create(Objects.ConfigMap("shop", $"cm-{i}"));
        }

        var list = await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", resourceVersion: "0", limit: 2);

        Assert.Equal(5, list.Items.Count);
        Assert.Null(list.Metadata.ContinueProperty);
    }

    [Fact]
    public async Task Invalid_resource_version_match_combinations_answer_422()
    {
        await using var kube = await StandIn.StartAsync();
        var noVersion = await Assert.ThrowsAsync<HttpOperationException>(() =>
            kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", resourceVersionMatch: "NotOlderThan"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noVersion.Response.StatusCode);
        Assert.Contains("resourceVersionMatch is forbidden unless resourceVersion is provided", noVersion.Response.Content, StringComparison.Ordinal);

        var exactZero = await Assert.ThrowsAsync<HttpOperationException>(() =>
            kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", resourceVersion: "0", resourceVersionMatch: "Exact"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, exactZero.Response.StatusCode);
    }

    [Fact]
    public async Task A_resource_version_from_the_future_answers_504_too_large()
    {
        await using var kube = await StandIn.StartAsync(new() { TooLargeResourceVersionWait = TimeSpan.FromMilliseconds(100) });
        var future = (kube.Server.Store.ResourceVersion + 100).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", resourceVersion: future, resourceVersionMatch: "NotOlderThan"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, error.Response.StatusCode);
        Assert.Contains("Too large resource version", error.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Selectors_filter_lists_and_pages_count_only_matches()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "a", new() { ["tier"] = "web", ["env"] = "prod" }));
        kube.Server.Store.Create(Objects.ConfigMap("shop", "b", new() { ["tier"] = "db", ["env"] = "prod" }));
        kube.Server.Store.Create(Objects.ConfigMap("shop", "c", new() { ["tier"] = "web" }));
        kube.Server.Store.Create(Objects.ConfigMap("shop", "d"));

        async Task<string[]> Names(string? labels = null, string? fields = null) =>
            (await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop", labelSelector: labels, fieldSelector: fields)).Items.Select(i => i.Metadata.Name).ToArray();

        Assert.Equal(["a", "c"], await Names("tier=web"));
        Assert.Equal(["a", "c"], await Names("tier==web"));
        Assert.Equal(["b", "d"], await Names("tier!=web"));
        Assert.Equal(["a", "b", "c"], await Names("tier in (web, db)"));
        Assert.Equal(["b", "d"], await Names("tier notin (web)"));
        Assert.Equal(["a", "b"], await Names("env"));
        Assert.Equal(["c", "d"], await Names("!env"));
        Assert.Equal(["a"], await Names("tier=web,env=prod"));
        Assert.Equal(["b"], await Names(fields: "metadata.name=b"));
        Assert.Equal(["a", "c", "d"], await Names(fields: "metadata.name!=b"));
        Assert.Equal(["c"], await Names("tier=web", "metadata.name!=a"));

        var bad = await Assert.ThrowsAsync<HttpOperationException>(() => Names("tier in (web"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Response.StatusCode);
        var badField = await Assert.ThrowsAsync<HttpOperationException>(() => Names(fields: "spec.nodeName=x"));
        Assert.Equal(HttpStatusCode.BadRequest, badField.Response.StatusCode);
        Assert.Contains("field label not supported: spec.nodeName", badField.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_wide_lists_span_namespaces_and_cluster_scoped_resources_have_none()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("a", "x"));
        kube.Server.Store.Create(Objects.ConfigMap("b", "y"));
        await kube.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } });

        var all = await kube.Client.CoreV1.ListConfigMapForAllNamespacesAsync();
        var namespaces = await kube.Client.CoreV1.ListNamespaceAsync();

        Assert.Equal(["a/x", "b/y"], all.Items.Select(i => i.Metadata.NamespaceProperty + "/" + i.Metadata.Name));
        var shop = Assert.Single(namespaces.Items);
        Assert.Null(shop.Metadata.NamespaceProperty);
        Assert.Equal("shop", shop.Metadata.Labels["kubernetes.io/metadata.name"]);
    }
}
