using System.Text.Json.Nodes;
using Rollout.Drift;
using Rollout.Tests.Support;
using TestKit.Kube;

namespace Rollout.Tests.Drift;

/// <summary>
/// Drift precision: pods injected under the built-in config, then judged by the engine under a changed one. Only
/// the sidecar whose config changed is reported, with what changed; a change that alters no sidecar marks nothing.
/// </summary>
public sealed class DriftDetectorTests
{
    [Theory]
    [InlineData("appup")]
    [InlineData("shawarma")]
    [InlineData("proa")]
    [InlineData("appup,shawarma,proa")]
    public void Same_config_marks_nothing(string inject)
    {
        var pod = Pods.Injected(inject, Configs.Old);

        var drift = new DriftDetector(Configs.Old).Inspect(pod);

        Assert.Null(drift.Blocker);
        Assert.Empty(drift.Sidecars);
    }

    [Fact]
    public void Changing_appups_image_marks_only_appup_and_names_both_versions()
    {
        var detector = new DriftDetector(Configs.Parse(Configs.AppUpImage("0.2.0")));

        var appupOnly = detector.Inspect(Pods.Injected("appup", Configs.Old));
        var shawarmaOnly = detector.Inspect(Pods.Injected("shawarma", Configs.Old));
        var both = detector.Inspect(Pods.Injected("appup,shawarma", Configs.Old));

        Assert.Equal("appup image 0.1.0 -> 0.2.0", Assert.Single(appupOnly.Sidecars).ToString());
        Assert.Empty(shawarmaOnly.Sidecars);
        Assert.Equal("appup image 0.1.0 -> 0.2.0", Assert.Single(both.Sidecars).ToString());
    }

    [Theory]
    [InlineData("appup")]
    [InlineData("shawarma")]
    [InlineData("proa")]
    [InlineData("appup,shawarma,proa")]
    public void A_config_change_that_alters_no_sidecar_marks_nothing(string inject)
    {
        var pod = Pods.Injected(inject, Configs.Old);

        var drift = new DriftDetector(Configs.Parse(Configs.AllowImageOverride)).Inspect(pod);

        Assert.NotEqual(Configs.Old.Revision, Configs.Parse(Configs.AllowImageOverride).Revision);
        Assert.Empty(drift.Sidecars);
    }

    [Fact]
    public void Another_sidecars_change_leaves_a_pod_alone()
    {
        var detector = new DriftDetector(Configs.Parse(Configs.ProaImage("0.3.0")));

        Assert.Empty(detector.Inspect(Pods.Injected("appup,shawarma", Configs.Old)).Sidecars);
        Assert.Equal("proa image 0.1.0 -> 0.3.0", Assert.Single(detector.Inspect(Pods.Injected("proa", Configs.Old)).Sidecars).ToString());
    }

    [Fact]
    public void A_resource_change_names_the_field_and_both_values()
    {
        var drift = new DriftDetector(Configs.Parse(Configs.ShawarmaMemoryLimit("64Mi"))).Inspect(Pods.Injected("appup,shawarma", Configs.Old));

        var shawarma = Assert.Single(drift.Sidecars);
        Assert.Equal("shawarma", shawarma.Sidecar);
        Assert.Equal(["resources.limits.memory 48Mi -> 64Mi"], shawarma.Changes);
    }

    [Fact]
    public void A_version_1_status_is_still_read_and_as_precise()
    {
        var detector = new DriftDetector(Configs.Parse(Configs.AppUpImage("0.2.0")));

        var appup = detector.Inspect(Pods.WithVersion1Status(Pods.Injected("appup,shawarma", Configs.Old)));
        var unchanged = new DriftDetector(Configs.Old).Inspect(Pods.WithVersion1Status(Pods.Injected("appup,shawarma", Configs.Old)));

        Assert.Equal("appup image 0.1.0 -> 0.2.0", Assert.Single(appup.Sidecars).ToString());
        Assert.Empty(unchanged.Sidecars);
    }

    [Fact]
    public void What_other_admission_plugins_added_to_our_sidecars_is_not_drift()
    {
        // The ServiceAccount admission plugin mounts the token into every container, ours included.
        var pod = Pods.Injected("appup,shawarma", Configs.Old);
        foreach (var container in ((JsonArray)pod.At("spec.initContainers")!).OfType<JsonObject>())
        {
            var mounts = container["volumeMounts"] as JsonArray ?? [];
            mounts.Add(new JsonObject { ["name"] = "kube-api-access-x7k2p", ["mountPath"] = "/var/run/secrets/kubernetes.io/serviceaccount", ["readOnly"] = true });
            container["volumeMounts"] = mounts;
        }

        Assert.Empty(new DriftDetector(Configs.Old).Inspect(pod).Sidecars);
        Assert.Equal("appup image 0.1.0 -> 0.2.0", Assert.Single(new DriftDetector(Configs.Parse(Configs.AppUpImage("0.2.0"))).Inspect(pod).Sidecars).ToString());
    }

    [Fact]
    public void A_pod_without_status_is_not_ours_to_judge()
    {
        var pod = JsonNode.Parse("""{"metadata":{"name":"p","annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","image":"x"}]}}""")!.AsObject();

        var drift = new DriftDetector(Configs.Old).Inspect(pod);

        Assert.Empty(drift.Sidecars);
        Assert.Null(drift.Blocker);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"sidecars\":")]
    public void A_damaged_status_blocks_with_the_reason(string status)
    {
        var pod = Pods.Injected("appup", Configs.Old);
        pod.Metadata()["annotations"]![AnnotationKeys.Status] = status;

        var drift = new DriftDetector(Configs.Old).Inspect(pod);

        Assert.Empty(drift.Sidecars);
        Assert.Contains("cannot be read", drift.Blocker, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forged_status_naming_someone_elses_container_never_crashes_or_marks_them()
    {
        var pod = Pods.Injected("appup", Configs.Old);
        ((JsonArray)pod.At("spec.containers")!).Add(new JsonObject { ["name"] = "istio-proxy", ["image"] = "istio/proxyv2:1.22" });
        pod.Metadata()["annotations"]![AnnotationKeys.Status] =
            """{"version":2,"sidecars":["appup","istio"],"containers":["istio-proxy"],"initContainers":["appup"],"volumes":["istio-envoy"]}""";

        var drift = new DriftDetector(Configs.Old).Inspect(pod);

        Assert.DoesNotContain(drift.Sidecars, s => s.Sidecar == "istio");
    }

    [Fact]
    public void A_pod_the_injector_would_now_deny_blocks_its_workload()
    {
        // The app's container takes the port appup is configured for after a config change would matter; here the
        // pod itself asks for an invalid appup port, which the injector denies.
        var pod = Pods.Injected("appup", Configs.Old);
        pod.Metadata()["annotations"]![AnnotationKeys.AppUpPort] = "99999";

        var drift = new DriftDetector(Configs.Old).Inspect(pod);

        Assert.Empty(drift.Sidecars);
        Assert.StartsWith("the injector would now deny its pods", drift.Blocker, StringComparison.Ordinal);
    }
}
