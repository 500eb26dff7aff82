using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Tests.Support;
using Sidecars.Contract;

namespace Injector.Core.Tests.ApiServer;

/// <summary>
/// The injector inside kube-apiserver's admission sequence (see <see cref="AdmissionChain"/>): in-tree plugins,
/// other webhooks before and after ours, the reinvocation round. Whatever others add to our sidecars survives,
/// and a further round changes nothing.
/// </summary>
public sealed class AdmissionChainTests
{
    public static TheoryData<string> Orders => new(ChainOrders.Names);

    private static JsonObject AllSidecarsPod(bool automountOff = false)
    {
        var pod = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod",
             "metadata":{"generateName":"web-","namespace":"shop","labels":{"app":"web"},
               "annotations":{"sidecars.dev/inject":"appup,shawarma,proa","shawarma.sidecars.dev/service":"web"}},
             "spec":{"serviceAccountName":"web","containers":[{"name":"app","image":"registry.example.com/web:1.4.2",
               "command":["/app/server"],"args":["--listen",":8080"],
               "livenessProbe":{"httpGet":{"path":"/live","port":8080}}}]}}
            """)!.AsObject();
        if (automountOff)
        {
            pod["spec"]!["automountServiceAccountToken"] = false;
        }

        return pod;
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Token_mounts_and_other_webhooks_additions_survive_reinvocation(string order)
    {
        var webhooks = ChainOrders.Webhooks(order);
        var chain = new AdmissionChain(AdmissionChain.StandardPlugins(), webhooks);

        var run = chain.Admit(AllSidecarsPod());

        Assert.True(run.Reinvoked, "the in-tree plugins changed our sidecars, so the API server reinvokes us");
        Assert.Equal(["appup", "shawarma", "proa-init"], ChainExpectations.SidecarContainers(run.Pod!));
        ChainExpectations.AssertSettled(chain, webhooks, run);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void With_automount_off_shawarma_and_the_proa_target_get_the_projected_token(string order)
    {
        var webhooks = ChainOrders.Webhooks(order);
        var chain = new AdmissionChain(AdmissionChain.StandardPlugins(), webhooks);

        var run = chain.Admit(AllSidecarsPod(automountOff: true));

        ChainExpectations.AssertSettled(chain, webhooks, run);
        var spec = run.Pod!["spec"]!.AsObject();
        foreach (var name in new[] { "shawarma", "app" })
        {
            var container = PodDefaults.Items(spec, "initContainers").Concat(PodDefaults.Items(spec, "containers")).Single(c => PodDefaults.Text(c["name"]) == name);
            Assert.Contains(PodDefaults.Items(container, "volumeMounts"), m =>
                PodDefaults.Text(m["name"]) == ServiceAccountContract.TokenVolumeName && PodDefaults.Text(m["mountPath"]) == ServiceAccountPlugin.MountPath);
        }
    }

    [Fact]
    public void Limit_range_defaults_on_our_sidecars_are_kept()
    {
        var limitRanger = new LimitRangerPlugin(
            new Dictionary<string, string> { ["cpu"] = "500m", ["ephemeral-storage"] = "1Gi" },
            new Dictionary<string, string> { ["cpu"] = "100m" });
        IReadOnlyList<IMutatingWebhook> webhooks = [new InjectorWebhook(), new VaultLikeWebhook()];
        var chain = new AdmissionChain([new ServiceAccountPlugin(), new DefaultTolerationSecondsPlugin(), limitRanger], webhooks);

        var run = chain.Admit(AllSidecarsPod());

        ChainExpectations.AssertSettled(chain, webhooks, run);
        var appup = PodDefaults.Items(run.Pod!["spec"]!.AsObject(), "initContainers").Single(c => PodDefaults.Text(c["name"]) == "appup");
        Assert.Equal("500m", appup["resources"]!["limits"]!["cpu"]!.GetValue<string>());
        Assert.Equal("5m", appup["resources"]!["requests"]!["cpu"]!.GetValue<string>());
        Assert.Equal("32Mi", appup["resources"]!["limits"]!["memory"]!.GetValue<string>());
    }

    [Fact]
    public void A_probe_another_webhook_rewrote_is_kept_and_no_longer_claimed()
    {
        // Istio after us rewrites appup's readiness probe to its own health port; on reinvocation ours is gone.
        IReadOnlyList<IMutatingWebhook> webhooks = [new InjectorWebhook(), new IstioLikeWebhook()];
        var chain = new AdmissionChain(AdmissionChain.StandardPlugins(), webhooks);

        var run = chain.Admit(AllSidecarsPod());

        ChainExpectations.AssertSettled(chain, webhooks, run);
        var app = PodDefaults.Items(run.Pod!["spec"]!.AsObject(), "containers").Single(c => PodDefaults.Text(c["name"]) == "app");
        Assert.Equal("/app-health/app/readyz", PodDefaults.Text(app["readinessProbe"]!["httpGet"]!["path"]));
        Assert.Contains(run.CallsTo(InjectorWebhook.WebhookName).Last().Response.Warnings, w => w.Contains("readinessProbe", StringComparison.Ordinal));
        var status = InjectionStatus.TryParse(run.Pod["metadata"]!["annotations"]![AnnotationKeys.Status]!.GetValue<string>(), out _)!;
        Assert.DoesNotContain("readinessProbe", status.Targets["app"].Set.Keys);
    }

    [Fact]
    public void A_config_rollout_between_the_rounds_converges_to_the_new_images()
    {
        // Round 0 is answered by a replica with the old config, round 1 by one that moved the images elsewhere.
        var moved = InjectorConfig.Parse("sidecars:\n  appup:\n    image: registry.corp.example/mirror/appup:0.2.0\n  shawarma:\n    image: registry.corp.example/mirror/shawarma:0.2.0\n");
        IReadOnlyList<IMutatingWebhook> webhooks = [new InjectorWebhook([InjectorConfig.Default, moved]), new VaultLikeWebhook()];
        var chain = new AdmissionChain(AdmissionChain.StandardPlugins(), webhooks);

        var run = chain.Admit(AllSidecarsPod());

        ChainExpectations.AssertSettled(chain, webhooks, run);
        var inits = PodDefaults.Items(run.Pod!["spec"]!.AsObject(), "initContainers").ToDictionary(c => PodDefaults.Text(c["name"])!);
        Assert.Equal("registry.corp.example/mirror/appup:0.2.0", PodDefaults.Text(inits["appup"]["image"]));
        Assert.Equal("registry.corp.example/mirror/shawarma:0.2.0", PodDefaults.Text(inits["shawarma"]["image"]));
        Assert.Equal(["appup", "shawarma", "proa-init"], ChainExpectations.SidecarContainers(run.Pod!));
    }

    public static TheoryData<string, string> GoldenOrders()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in GoldenScenario.Names().Where(n => GoldenScenario.Load(n).IsPodCreate))
        {
            foreach (var order in ChainOrders.Names)
            {
                data.Add(scenario, order);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenOrders))]
    public void Golden_pods_settle_in_every_chain(string scenario, string order)
    {
        var golden = GoldenScenario.Load(scenario);
        var webhooks = ChainOrders.Webhooks(order);
        var chain = new AdmissionChain(AdmissionChain.StandardPlugins(), webhooks);

        var run = chain.Admit(golden.RequestObject, golden.Review["request"]!["namespace"]!.GetValue<string>());

        if (golden.Expected!["allowed"]!.GetValue<bool>())
        {
            ChainExpectations.AssertSettled(chain, webhooks, run);
        }
        else
        {
            Assert.Equal(golden.Expected["statusMessage"]!.GetValue<string>(), run.Denied);
        }
    }
}
