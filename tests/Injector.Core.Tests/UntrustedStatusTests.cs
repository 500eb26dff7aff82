using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Tests.Support;
using Sidecars.Contract;
using static Injector.Core.Tests.Support.EnginePods;

namespace Injector.Core.Tests;

/// <summary>
/// <c>sidecars.dev/status</c> is written by whoever creates the pod, as far as the API server is concerned: a forged,
/// stale or copied status never removes or rewrites what the injector did not add, and the user's later edits win.
/// </summary>
public sealed class UntrustedStatusTests
{
    private static string StatusJson(string json) => JsonValue.Create(json)!.ToJsonString();

    [Fact]
    public void Forged_status_cannot_remove_another_injectors_objects_or_restore_arbitrary_fields()
    {
        var forged = """{"containers":["istio-proxy"],"volumes":["istio-envoy"],"targets":{"app":{"set":{"securityContext":null}}}}""";
        var pod = Pod(
            $$"""{"sidecars.dev/inject":"appup","sidecars.dev/status":{{StatusJson(forged)}}}""",
            """[{"name":"app","image":"nginx","securityContext":{"runAsUser":1000}},{"name":"istio-proxy","image":"docker.io/istio/proxyv2:1.27.0"}]""",
            ""","volumes":[{"name":"istio-envoy","emptyDir":{"medium":"Memory"}}]""");

        var result = Pass(pod, out var outcome);

        Assert.Equal(["app", "istio-proxy"], Names(result, "containers"));
        Assert.Contains("istio-envoy", Names(result, "volumes"));
        Assert.Equal(1000, Container(result, "app")["securityContext"]!["runAsUser"]!.GetValue<int>());
        Assert.Contains(outcome.Warnings, w => w.Contains("istio-proxy", StringComparison.Ordinal) && w.Contains("left alone", StringComparison.Ordinal));
        Assert.Contains(outcome.Warnings, w => w.Contains("istio-envoy", StringComparison.Ordinal));
        Assert.Contains(outcome.Warnings, w => w.Contains("securityContext", StringComparison.Ordinal));
    }

    [Fact]
    public void Status_listing_user_env_and_mounts_does_not_remove_them()
    {
        var forged = """{"targets":{"app":{"env":["HOME","POD_NAME"],"volumeMounts":["data"]}}}""";
        var pod = Pod(
            $$"""{"sidecars.dev/inject":"appup","sidecars.dev/status":{{StatusJson(forged)}}}""",
            """[{"name":"app","image":"nginx","env":[{"name":"HOME","value":"/home/app"},{"name":"POD_NAME","value":"mine"}],"volumeMounts":[{"name":"data","mountPath":"/data"}]}]""",
            ""","volumes":[{"name":"data","emptyDir":{}}]""");

        var result = Pass(pod);

        var app = Container(result, "app");
        Assert.Equal(["HOME", "POD_NAME"], app["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        Assert.Equal("mine", app["env"]![1]!["value"]!.GetValue<string>());
        Assert.Contains(app["volumeMounts"]!.AsArray(), m => m!["name"]!.GetValue<string>() == "data");
    }

    [Fact]
    public void A_user_container_with_a_reserved_name_and_a_foreign_image_is_not_taken_for_ours()
    {
        var status = """{"initContainers":["appup"],"sidecars":["appup"]}""";
        var pod = Pod(
            $$"""{"sidecars.dev/inject":"appup","sidecars.dev/status":{{StatusJson(status)}}}""",
            extraSpec: ""","initContainers":[{"name":"appup","image":"example.com/someone-elses/appup:2","restartPolicy":"Always"}]""");

        var result = Inject(pod);

        Assert.Equal(InjectionDecision.Denied, result.Decision);
        Assert.Contains("already has a container named 'appup' that the injector did not add", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_status_recording_a_user_containers_image_does_not_make_it_ours()
    {
        var status = """{"version":2,"initContainers":["appup"],"sidecars":["appup"],"injected":{"appup":{"image":"example.com/mine/appup:2","hash":"x"}}}""";
        var pod = Pod(
            $$"""{"sidecars.dev/inject":"shawarma","shawarma.sidecars.dev/service":"web","sidecars.dev/status":{{StatusJson(status)}}}""",
            extraSpec: ""","initContainers":[{"name":"appup","image":"example.com/mine/appup:2","restartPolicy":"Always","env":[{"name":"MODE","value":"x"}]}]""");

        var result = Pass(pod, out var outcome);

        Assert.Equal(["appup", "shawarma"], Names(result, "initContainers"));
        Assert.Equal("example.com/mine/appup:2", Container(result, "appup")["image"]!.GetValue<string>());
        Assert.Contains(outcome.Warnings, w => w.Contains("'appup'", StringComparison.Ordinal) && w.Contains("left alone", StringComparison.Ordinal));
    }

    [Fact]
    public void Copied_pod_keeps_the_users_later_edits_to_args()
    {
        var injected = Pass(Pod("""{"sidecars.dev/inject":"proa"}""", """[{"name":"app","image":"x","command":["/app/server"],"args":["-v"]}]"""));
        var copied = injected.DeepClone().AsObject();
        var args = Container(copied, "app")["args"]!.AsArray();
        args[^1] = "-vv";   // the user edits the wrapped command line of the copied manifest
        args.Add((JsonNode)"--trace");

        var result = Pass(copied);

        Assert.Equal(["--", "/app/server", "-vv", "--trace"], Container(result, "app")["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["/sidecars/proa/proa"], Container(result, "app")["command"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void Removing_proa_from_a_copied_pod_unwraps_the_current_command_line_not_the_recorded_one()
    {
        var injected = Pass(Pod("""{"sidecars.dev/inject":"proa"}""", """[{"name":"app","image":"x","command":["/app/server"],"args":["-v"]}]"""));
        var copied = injected.DeepClone().AsObject();
        Container(copied, "app")["args"]!.AsArray()[^1] = "-vv";
        copied["metadata"]!["annotations"]![AnnotationKeys.Inject] = "appup";

        var result = Pass(copied);

        var app = Container(result, "app");
        Assert.Equal(["/app/server"], app["command"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["-vv"], app["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.DoesNotContain(app["env"]?.AsArray() ?? [], e => e!["name"]!.GetValue<string>() == ProaContract.PodNameVariable);
        Assert.DoesNotContain(ProaContract.InitContainerName, Names(result, "initContainers"));
    }

    [Fact]
    public void Copied_pod_whose_user_replaced_our_probe_keeps_the_users_probe()
    {
        var injected = Pass(Pod("""{"sidecars.dev/inject":"appup"}"""));
        var copied = injected.DeepClone().AsObject();
        Container(copied, "app")["readinessProbe"] = JsonNode.Parse("""{"tcpSocket":{"port":8080}}""");

        var result = Pass(copied, out var outcome);

        Assert.Equal("""{"tcpSocket":{"port":8080}}""", Container(result, "app")["readinessProbe"]!.ToJsonString());
        Assert.Contains(outcome.Warnings, w => w.Contains("readinessProbe", StringComparison.Ordinal));
        // And the next pass is stable: the probe is the user's now.
        var again = Inject(result);
        Assert.Empty(again.Patch);
    }

    [Fact]
    public void Reinvocation_converges_our_sidecar_in_place_keeping_what_others_added()
    {
        var injected = Pass(Pod("""{"sidecars.dev/inject":"appup,shawarma","shawarma.sidecars.dev/service":"web"}"""));
        var shawarma = Container(injected, "shawarma");
        shawarma["env"]!.AsArray().Add((JsonNode)new JsonObject { ["name"] = "VAULT_ADDR", ["value"] = "https://vault" });
        shawarma["envFrom"] = JsonNode.Parse("""[{"secretRef":{"name":"vault-env"}}]""");
        shawarma["volumeMounts"] = JsonNode.Parse("""[{"name":"kube-api-access-x1","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]""");
        shawarma["terminationMessagePath"] = "/dev/termination-log";
        shawarma["resources"]!["limits"]!["cpu"] = "500m";

        var again = Inject(injected);

        Assert.Empty(again.Patch);
    }

    [Fact]
    public void Config_change_converges_images_and_env_in_place_keeping_foreign_entries()
    {
        var injected = Pass(Pod("""{"sidecars.dev/inject":"shawarma","shawarma.sidecars.dev/service":"web"}"""));
        var shawarma = Container(injected, "shawarma");
        shawarma["env"]!.AsArray().Add((JsonNode)new JsonObject { ["name"] = "VAULT_ADDR", ["value"] = "https://vault" });
        injected["metadata"]!["annotations"]!["shawarma.sidecars.dev/log-level"] = "debug";
        var newer = InjectorConfig.Parse("sidecars:\n  shawarma:\n    image: registry.example.com/shawarma:9.9.9\n");

        var result = Pass(injected, newer);

        var updated = Container(result, "shawarma");
        Assert.Equal("registry.example.com/shawarma:9.9.9", updated["image"]!.GetValue<string>());
        var env = updated["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]?.GetValue<string>());
        Assert.Equal("debug", env[ShawarmaContract.LogLevelVariable]);
        Assert.Equal("https://vault", env["VAULT_ADDR"]);
    }

    [Fact]
    public void Mode_change_moves_our_sidecar_and_keeps_what_others_added()
    {
        var injected = Pass(Pod("""{"sidecars.dev/inject":"appup"}"""));
        Container(injected, "appup")["env"]!.AsArray().Add((JsonNode)new JsonObject { ["name"] = "VAULT_ADDR", ["value"] = "https://vault" });
        injected["metadata"]!["annotations"]![AnnotationKeys.Mode] = "classic";

        var result = Pass(injected);

        Assert.Empty(Names(result, "initContainers"));
        var appup = Container(result, "appup");
        Assert.Null(appup["restartPolicy"]);
        Assert.Contains(appup["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "VAULT_ADDR");
        Assert.Empty(Inject(result).Patch);
    }

    [Fact]
    public void A_pod_injected_by_the_previous_version_converges_with_only_its_status_rewritten()
    {
        // all-sidecars-native as the engine wrote it before issue 10: a version 1 status, no per-sidecar records.
        var pod = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "v1-status-all-sidecars-native.json")))!.AsObject();

        var result = Inject(pod);

        var op = Assert.Single(result.Patch);
        Assert.Equal("/metadata/annotations/sidecars.dev~1status", op.Path);
        var status = InjectionStatus.TryParse(op.Value!.GetValue<string>(), out _)!;
        Assert.Equal(InjectionStatus.CurrentVersion, status.Version);
        Assert.Equal(["appup", "proa", "shawarma"], status.Injected.Keys);
        Assert.Empty(Inject(Pass(pod)).Patch);
    }

    [Fact]
    public void Status_with_duplicate_keys_is_read_deterministically()
    {
        var injected = Pass(Pod("""{"sidecars.dev/inject":"appup"}"""));
        var status = Status(injected);
        var duplicated = "{\"containers\":[\"istio-proxy\"]," + status[1..];
        injected["metadata"]!["annotations"]![AnnotationKeys.Status] = duplicated;

        var first = Inject(injected);
        var second = Inject(injected);

        Assert.Equal(InjectionDecision.Injected, first.Decision);
        Assert.Equal(Patching.JsonPatchSerializer.ToJson(first.Patch), Patching.JsonPatchSerializer.ToJson(second.Patch));
    }
}
