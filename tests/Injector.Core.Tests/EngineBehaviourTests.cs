using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Sidecars.Contract;
using Injector.Core.Patching;
using Injector.Core.Tests.Support;

namespace Injector.Core.Tests;

public sealed class EngineBehaviourTests
{
    private static readonly InjectionEngine Engine = new();

    private static JsonObject Pod(string annotations, string containers = """[{"name":"app","image":"nginx","command":["/app"]}]""", string extraSpec = "") =>
        JsonNode.Parse($$$"""{"metadata":{"name":"p","annotations":{{{annotations}}}},"spec":{"containers":{{{containers}}}{{{extraSpec}}}}}""")!.AsObject();

    private static JsonObject Injected(JsonObject pod, InjectorConfig? config = null)
    {
        var result = Engine.Inject(pod, config ?? InjectorConfig.Default);
        Assert.Equal(InjectionDecision.Injected, result.Decision);
        return Rfc6902.Apply(pod, JsonPatchSerializer.ToJson(result.Patch));
    }

    [Fact]
    public void Another_webhook_appending_after_us_then_reinvocation_changes_nothing()
    {
        var ours = Injected(Pod("""{"sidecars.dev/inject":"appup,shawarma","shawarma.sidecars.dev/service":"web"}"""));
        // Istio (or Vault) runs after us and appends its own native sidecar and a volume.
        ours["spec"]!["initContainers"]!.AsArray().Add((JsonNode)new JsonObject { ["name"] = "istio-proxy", ["image"] = "proxyv2", ["restartPolicy"] = "Always" });
        ours["spec"]!["volumes"]!.AsArray().Add((JsonNode)new JsonObject { ["name"] = "istio-envoy", ["emptyDir"] = new JsonObject() });

        var again = Engine.Inject(ours, InjectorConfig.Default);

        Assert.Empty(again.Patch);
    }

    [Fact]
    public void Copied_manifest_with_stale_status_converges_to_one_set_of_sidecars()
    {
        var first = Injected(Pod("""{"sidecars.dev/inject":"appup","sidecars.dev/mode":"classic"}"""));
        var copied = first.DeepClone().AsObject();
        // Someone copies `kubectl get pod -o yaml` into a new manifest, switches mode and adds shawarma.
        var annotations = copied["metadata"]!["annotations"]!.AsObject();
        annotations["sidecars.dev/mode"] = "native";
        annotations["sidecars.dev/inject"] = "appup,shawarma";
        annotations["shawarma.sidecars.dev/service"] = "web";
        annotations[AnnotationKeys.Status] = annotations[AnnotationKeys.Status]!.GetValue<string>().Replace(InjectorConfig.Default.Revision, "0ldrev1s10n0", StringComparison.Ordinal);

        var result = Injected(copied);

        var containers = result["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        var inits = result["spec"]!["initContainers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["app"], containers);
        Assert.Equal(["appup", "shawarma"], inits);
        Assert.Single(result["spec"]!["volumes"]!.AsArray());
        Assert.Single(result["spec"]!["containers"]![0]!["volumeMounts"]!.AsArray());
        Assert.Contains(InjectorConfig.Default.Revision, result["metadata"]!["annotations"]![AnnotationKeys.Status]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Emptying_the_inject_list_removes_everything_we_added()
    {
        var original = Pod("""{"sidecars.dev/inject":"appup,proa"}""");
        var injected = Injected(original);
        injected["metadata"]!["annotations"]![AnnotationKeys.Inject] = "";

        var stripped = Injected(injected);

        var expected = original.DeepClone().AsObject();
        expected["metadata"]!["annotations"]![AnnotationKeys.Inject] = "";
        Assert.Equal(expected.ToJsonString(), stripped.ToJsonString());
    }

    [Fact]
    public void Proa_reinvocation_never_wraps_twice()
    {
        var pod = Pod("""{"sidecars.dev/inject":"proa"}""", """[{"name":"app","image":"x","command":["/app/server"],"args":["-v"]}]""");
        var once = Injected(pod);
        var twice = Injected(once);
        var thrice = Injected(twice);

        Assert.Equal(once.ToJsonString(), thrice.ToJsonString());
        var args = thrice["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal(["--", "/app/server", "-v"], args);
        Assert.Equal(["/sidecars/proa/proa"], thrice["spec"]!["containers"]![0]!["command"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void Config_revision_change_updates_images_and_status_in_place()
    {
        var first = Injected(Pod("""{"sidecars.dev/inject":"appup"}"""));
        var newer = InjectorConfig.Parse("""
            sidecars:
              appup:
                image: registry.example.com/appup:9.9.9
            """);

        var result = Engine.Inject(first, newer);

        Assert.Contains(result.Patch, op => op.Path == "/spec/initContainers/0/image" && op.Value!.GetValue<string>() == "registry.example.com/appup:9.9.9");
        Assert.DoesNotContain(result.Patch, op => op.Op == "remove");
        Assert.NotEqual(InjectorConfig.Default.Revision, newer.Revision);
    }

    [Fact]
    public void Image_annotation_is_ignored_with_a_warning_unless_config_allows_it()
    {
        var pod = Pod("""{"sidecars.dev/inject":"appup","appup.sidecars.dev/image":"evil.example.com/appup:latest"}""");
        var refused = Engine.Inject(pod, InjectorConfig.Default);
        Assert.Contains(refused.Warnings, w => w.Contains("allowImageOverride", StringComparison.Ordinal));
        Assert.Equal(InjectorConfig.Default.Sidecars["appup"].Image, refused.Pod!["spec"]!["initContainers"]![0]!["image"]!.GetValue<string>());

        var allowed = Engine.Inject(pod, InjectorConfig.Parse("allowImageOverride: true"));
        Assert.Equal("evil.example.com/appup:latest", allowed.Pod!["spec"]!["initContainers"]![0]!["image"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"sidecars.dev/inject":"appup","appup.sidecars.dev/initial":"maybe"}""", "use up or down")]
    [InlineData("""{"sidecars.dev/inject":"appup","appup.sidecars.dev/container":"nope"}""", "no container named 'nope'; the pod's containers are app")]
    [InlineData("""{"sidecars.dev/inject":"shawarma","shawarma.sidecars.dev/service-labels":"app"}""", "comma-separated key=value pairs")]
    [InlineData("""{"sidecars.dev/inject":"shawarma","shawarma.sidecars.dev/service":"web","shawarma.sidecars.dev/url":"localhost/x"}""", "absolute http(s) URL")]
    [InlineData("""{"sidecars.dev/inject":"shawarma","shawarma.sidecars.dev/service":"web","shawarma.sidecars.dev/log-level":"loud"}""", "panic, fatal, error, warn, info, debug, trace")]
    [InlineData("""{"sidecars.dev/inject":"shawarma","shawarma.sidecars.dev/service":"web","shawarma.sidecars.dev/disable-notifier":"yes"}""", "use true or false")]
    [InlineData("""{"sidecars.dev/inject":"proa","proa.sidecars.dev/shutdown-http-get":"ftp://x"}""", "not an absolute http(s) URL")]
    [InlineData("""{"sidecars.dev/inject":"proa","proa.sidecars.dev/command":"[1,2]"}""", "not a JSON array of strings")]
    public void Bad_annotation_values_are_denied_with_what_would_be_right(string annotations, string expected)
    {
        var pod = Pod(annotations, """[{"name":"app","image":"x"}]""");

        var result = Engine.Inject(pod, InjectorConfig.Default);

        Assert.Equal(InjectionDecision.Denied, result.Decision);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
        Assert.Empty(result.Patch);
    }

    [Fact]
    public void A_user_container_named_like_a_sidecar_is_a_conflict_not_a_silent_overwrite()
    {
        var pod = Pod("""{"sidecars.dev/inject":"appup"}""", """[{"name":"app","image":"x"},{"name":"appup","image":"bambash/appup"}]""");

        var result = Engine.Inject(pod, InjectorConfig.Default);

        Assert.Equal(InjectionDecision.Denied, result.Decision);
        Assert.Contains("already has a container named 'appup'", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pods_without_opt_in_are_skipped_without_a_patch()
    {
        var result = Engine.Inject(Pod("""{"other":"x"}"""), InjectorConfig.Default);

        Assert.Equal(InjectionDecision.Skipped, result.Decision);
        Assert.Equal(SkipReasons.NotOptedIn, result.Reason);
    }
}
