using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TestKit.Kube;

namespace TestKit.Tests.Kube;

/// <summary>Exact wire shapes, read with a raw HttpClient.</summary>
public sealed class WireTests
{
    [Fact]
    public async Task Not_found_is_a_status_object_with_details()
    {
        await using var kube = await StandIn.StartAsync();
        using var http = kube.Server.CreateHttpClient();

        using var response = await http.GetAsync("/apis/apps/v1/namespaces/shop/deployments/web");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \"web\" not found","reason":"NotFound","details":{"name":"web","group":"apps","kind":"deployments"},"code":404}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_paths_and_verbs_answer_like_the_api_server()
    {
        await using var kube = await StandIn.StartAsync();
        using var http = kube.Server.CreateHttpClient();

        using var unknown = await http.GetAsync("/apis/nothing.example.com/v1/namespaces/shop/things");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("the server could not find the requested resource", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var post = await http.PostAsync("/api/v1/namespaces/shop/configmaps/name", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);

        using var badPatch = await http.PatchAsync("/api/v1/namespaces/shop/configmaps/x", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, badPatch.StatusCode);
    }

    [Fact]
    public async Task List_items_of_built_in_types_carry_no_kind_and_the_list_carries_its_resource_version()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "a"));
        using var http = kube.Server.CreateHttpClient();

        var list = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/shop/configmaps"))!.AsObject();

        Assert.Equal("ConfigMapList", (string?)list["kind"]);
        Assert.Equal("v1", (string?)list["apiVersion"]);
        Assert.Equal(kube.Server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)list["metadata"]!["resourceVersion"]);
        var item = list["items"]![0]!.AsObject();
        Assert.False(item.ContainsKey("kind"));
        Assert.False(item.ContainsKey("apiVersion"));
        Assert.Equal("a", (string?)item["metadata"]!["name"]);
    }

    [Fact]
    public async Task A_watch_is_newline_delimited_json_events_in_a_chunked_response()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "a"));
        using var http = kube.Server.CreateHttpClient();
        using var response = await http.GetAsync("/api/v1/namespaces/shop/configmaps?watch=1&allowWatchBookmarks=true&timeoutSeconds=1", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked is true || response.Version.Major >= 2);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        var added = JsonNode.Parse(lines[0])!;
        Assert.Equal("ADDED", (string?)added["type"]);
        Assert.Equal("ConfigMap", (string?)added["object"]!["kind"]);
        Assert.Equal("v1", (string?)added["object"]!["apiVersion"]);
        var bookmark = JsonNode.Parse(lines[1])!;
        Assert.Equal("BOOKMARK", (string?)bookmark["type"]);
        Assert.Equal($$$"""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"{{{kube.Server.Store.ResourceVersion}}}","creationTimestamp":null}}""", bookmark["object"]!.ToJsonString());
    }

    [Fact]
    public async Task Watching_from_a_compacted_version_sends_200_and_one_error_event()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "a"));
        kube.Server.Store.Compact();
        using var http = kube.Server.CreateHttpClient();

        using var response = await http.GetAsync("/api/v1/namespaces/shop/configmaps?watch=true&resourceVersion=5");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($$$"""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 ({{{kube.Server.Store.CompactedResourceVersion}}})","reason":"Expired","code":410}}""" + "\n", body);
    }

    [Fact]
    public async Task Send_initial_events_ends_the_initial_state_with_an_annotated_bookmark()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "a"));
        using var http = kube.Server.CreateHttpClient();

        var body = await http.GetStringAsync("/api/v1/namespaces/shop/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1");
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();

        Assert.Equal("ADDED", (string?)lines[0]["type"]);
        Assert.Equal("BOOKMARK", (string?)lines[1]["type"]);
        Assert.Equal("true", (string?)lines[1]["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);

        using var invalid = await http.GetAsync("/api/v1/namespaces/shop/configmaps?watch=1&sendInitialEvents=true&timeoutSeconds=1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
    }

    [Fact]
    public async Task Discovery_lists_groups_and_resources()
    {
        await using var kube = await StandIn.StartAsync();
        using var http = kube.Server.CreateHttpClient();

        var groups = JsonNode.Parse(await http.GetStringAsync("/apis"))!;
        var apps = JsonNode.Parse(await http.GetStringAsync("/apis/apps/v1"))!;
        var version = JsonNode.Parse(await http.GetStringAsync("/version"))!;

        Assert.Contains(groups["groups"]!.AsArray(), g => (string?)g!["name"] == "coordination.k8s.io");
        Assert.Contains(apps["resources"]!.AsArray(), r => (string?)r!["name"] == "deployments/status");
        Assert.Equal("1", (string?)version["major"]);
    }

    [Fact]
    public async Task Creating_with_a_resource_version_is_an_internal_error_as_in_etcd3_storage()
    {
        await using var kube = await StandIn.StartAsync();
        using var http = kube.Server.CreateHttpClient();

        using var response = await http.PostAsync("/api/v1/namespaces/shop/configmaps",
            new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"12"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("resourceVersion should not be set on objects to be created", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_namespace_mismatch_between_body_and_path_answers_400()
    {
        await using var kube = await StandIn.StartAsync();
        using var http = kube.Server.CreateHttpClient();

        using var response = await http.PostAsync("/api/v1/namespaces/shop/configmaps",
            new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"other"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the namespace of the provided object does not match the namespace sent on the request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
