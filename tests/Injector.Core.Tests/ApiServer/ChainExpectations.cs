using System.Text.Json.Nodes;
using Sidecars.Contract;

namespace Injector.Core.Tests.ApiServer;

/// <summary>What must hold for any pod that went through a chain with our webhook in it.</summary>
public static class ChainExpectations
{
    /// <summary>
    /// The stored pod is valid, every container (init and native sidecars included) has a token at the service
    /// account path unless automount is off, what the Vault-like and Istio-like webhooks added is there, and a
    /// further full admission of the stored pod changes nothing (our webhook answers without a patch).
    /// </summary>
    public static void AssertSettled(AdmissionChain chain, IReadOnlyList<IMutatingWebhook> webhooks, AdmissionRun run)
    {
        var pod = run.Pod;
        Assert.True(pod is not null, "denied: " + run.Denied);
        Assert.True(run.ValidationErrors.Count == 0, "the API server would reject the pod: " + string.Join("; ", run.ValidationErrors));

        var spec = pod!["spec"]!.AsObject();
        var containers = PodDefaults.Items(spec, "initContainers").Concat(PodDefaults.Items(spec, "containers")).ToList();
        var automount = spec["automountServiceAccountToken"] is not JsonValue v || !v.TryGetValue<bool>(out var b) || b;
        foreach (var container in containers)
        {
            var name = PodDefaults.Text(container["name"]);
            if (automount)
            {
                Assert.True(
                    PodDefaults.Items(container, "volumeMounts").Any(m => PodDefaults.Text(m["mountPath"]) == ServiceAccountPlugin.MountPath),
                    $"container '{name}' has no service account token mount:\n{pod.ToJsonString()}");
            }

            if (webhooks.OfType<VaultLikeWebhook>().Any())
            {
                Assert.True(VaultLikeWebhook.HasVault(container), $"container '{name}' lost what the Vault-like webhook added:\n{container.ToJsonString()}");
            }
        }

        if (webhooks.OfType<IstioLikeWebhook>().Any())
        {
            var names = containers.Select(c => PodDefaults.Text(c["name"])).ToList();
            Assert.Contains("istio-proxy", names);
            Assert.Contains("istio-init", names);
            // Every volume Istio's status lists (what it injected, here or before the pod was created) is there.
            var istioStatus = JsonNode.Parse(pod["metadata"]!["annotations"]![IstioLikeWebhook.StatusAnnotation]!.GetValue<string>())!;
            var volumes = PodDefaults.Items(spec, "volumes").Select(v => PodDefaults.Text(v["name"])).ToList();
            Assert.All(istioStatus["volumes"]!.AsArray(), v => Assert.Contains(v!.GetValue<string>(), volumes));
        }

        var again = chain.Admit(pod);
        Assert.True(again.Pod is not null, "a further admission was denied: " + again.Denied);
        var ours = again.CallsTo(InjectorWebhook.WebhookName).ToList();
        Assert.All(ours, call => Assert.True(call.Response.PatchJson is null, "a further round got a patch from us: " + call.Response.PatchJson));
        Assert.True(JsonNode.DeepEquals(pod, again.Pod), $"a further round changed the pod:\nbefore {pod.ToJsonString()}\nafter  {again.Pod!.ToJsonString()}");
    }

    /// <summary>The names of the sidecars our status says we injected, or none.</summary>
    public static IReadOnlyList<string> SidecarContainers(JsonObject pod) =>
        PodDefaults.Items(pod["spec"] as JsonObject, "initContainers").Concat(PodDefaults.Items(pod["spec"] as JsonObject, "containers"))
            .Select(c => PodDefaults.Text(c["name"]) ?? string.Empty)
            .Where(n => n is AppUpContract.ContainerName or ShawarmaContract.ContainerName or ProaContract.InitContainerName)
            .ToList();
}
