using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Patching;
using Injector.Core.Tests.ApiServer;
using Injector.Core.Tests.Support;
using Sidecars.Contract;

namespace Injector.Core.Tests;

/// <summary>
/// Over random pods (<see cref="PodGenerators"/>): the patch always applies, nothing the injector did not add is
/// removed or changed, the result is a pod the API server accepts, and a second pass changes nothing; pods that were
/// injected before converge when their annotations change, keeping what other webhooks added; and in a real
/// admission chain every pod settles.
/// </summary>
public sealed class InjectionPropertyTests
{
    private static readonly InjectionEngine Engine = new();

    private static string? Seed => Environment.GetEnvironmentVariable("CSCHECK_SEED");

    [Fact]
    public void Patch_applies_keeps_user_data_and_second_pass_is_a_no_op()
    {
        int injected = 0, denied = 0, forged = 0;
        PodGenerators.Pod.Sample(pod =>
        {
            var original = pod.DeepClone().AsObject();
            var result = Engine.Inject(pod, InjectorConfig.Default);
            Assert.True(JsonNode.DeepEquals(original, pod), "the engine must not mutate its input");
            if (pod["metadata"]!["annotations"]![AnnotationKeys.Status] is not null)
            {
                Interlocked.Increment(ref forged);
            }

            if (result.Decision != InjectionDecision.Injected)
            {
                Interlocked.Increment(ref denied);
                Assert.Empty(result.Patch);
                return;
            }

            if (result.Patch.Count > 0)
            {
                Interlocked.Increment(ref injected);
            }

            var patched = Rfc6902.Apply(pod, JsonPatchSerializer.ToJson(result.Patch));
            Assert.True(JsonNode.DeepEquals(result.Pod, patched), "the patch must produce exactly the engine's pod");
            var (target, wrapped) = ProaTarget(original, result);
            UserData.AssertKept(original, patched, target, wrapped);
            Assert.Empty(PodValidation.Validate(patched));

            var second = Engine.Inject(patched, InjectorConfig.Default);
            Assert.NotEqual(InjectionDecision.Denied, second.Decision);
            Assert.Empty(second.Patch);
        }, iter: 400, seed: Seed);

        // The generator must exercise every path, or the property proves little.
        Assert.True(injected > 100, $"only {injected} samples were injected");
        Assert.True(denied > 0, "no sample was denied (port conflicts, name collisions, missing commands)");
        Assert.True(forged > 50, $"only {forged} samples carried a status");
    }

    [Fact]
    public void Injected_pods_converge_when_annotations_change_and_keep_what_others_added()
    {
        var gen =
            from pod in PodGenerators.Pod
            from inject in PodGenerators.InjectValue
            from mode in Gen.Int[0, 2]
            select (pod, inject, mode);
        int converged = 0;
        gen.Sample(sample =>
        {
            var (pod, inject, mode) = sample;
            var podAnnotations = pod["metadata"]!["annotations"]!.AsObject();
            podAnnotations.Remove(AnnotationKeys.Status);
            podAnnotations[AnnotationKeys.ShawarmaService] = "web";
            podAnnotations[AnnotationKeys.ProaCommand] = "/bin/entry --serve";
            var first = Engine.Inject(pod, InjectorConfig.Default);
            if (first.Decision != InjectionDecision.Injected)
            {
                return;
            }

            // Other admission plugins and webhooks add to every container, ours included.
            var injected = first.Pod!.DeepClone().AsObject();
            new ServiceAccountPlugin().Admit(injected, "default");
            var vault = new VaultLikeWebhook().Answer(AdmissionChain.Review("u", "default", injected));
            injected = vault.PatchJson is null ? injected : Rfc6902.Apply(injected, vault.PatchJson);
            PodDefaults.Apply(injected);
            var before = injected.DeepClone().AsObject();

            // The user edits the annotations of the copied pod.
            var annotations = injected["metadata"]!["annotations"]!.AsObject();
            annotations[AnnotationKeys.Inject] = inject;
            annotations[AnnotationKeys.Mode] = mode == 0 ? "native" : "classic";
            var second = Engine.Inject(injected, InjectorConfig.Default);
            if (second.Decision != InjectionDecision.Injected)
            {
                Assert.Empty(second.Patch);
                return;
            }

            Interlocked.Increment(ref converged);
            var result = Rfc6902.Apply(injected, JsonPatchSerializer.ToJson(second.Patch));
            Assert.Empty(PodValidation.Validate(result));
            Assert.Empty(Engine.Inject(result, InjectorConfig.Default).Patch);

            // The user's own containers are as they wrote them (proa's target apart), with what others added.
            var (target, _) = ProaTarget(pod, second);
            foreach (var container in pod["spec"]!["containers"]!.AsArray().OfType<JsonObject>())
            {
                var name = container["name"]!.GetValue<string>();
                var now = FindContainer(result, name);
                Assert.NotNull(now);
                UserData.AssertContainerKept(container, now!, "user container", exceptCommandLine: name == target);
                Assert.True(VaultLikeWebhook.HasVault(now!), $"container '{name}' lost what another webhook added");
            }

            foreach (var sidecar in ChainExpectations.SidecarContainers(result))
            {
                var now = FindContainer(result, sidecar)!;
                var then = FindContainer(before, sidecar);
                if (then is not null)
                {
                    Assert.True(VaultLikeWebhook.HasVault(now), $"sidecar '{sidecar}' lost what another webhook added");
                }
            }
        }, iter: 300, seed: Seed);

        Assert.True(converged > 60, $"only {converged} samples were re-injected");
    }

    [Fact]
    public void Random_pods_settle_in_an_admission_chain()
    {
        var gen =
            from pod in PodGenerators.Pod
            from order in Gen.Int[0, ChainOrders.Names.Count - 1]
            select (pod, order);
        int settled = 0;
        gen.Sample(sample =>
        {
            var (pod, order) = sample;
            pod["metadata"]!["annotations"]!.AsObject().Remove(AnnotationKeys.Status);
            var webhooks = ChainOrders.Webhooks(ChainOrders.Names[order]);
            var chain = new AdmissionChain(AdmissionChain.StandardPlugins(), webhooks);
            var run = chain.Admit(pod);
            if (run.Denied is not null)
            {
                return;
            }

            Interlocked.Increment(ref settled);
            ChainExpectations.AssertSettled(chain, webhooks, run);
        }, iter: 150, seed: Seed);

        Assert.True(settled > 50, $"only {settled} samples were admitted");
    }

    [Fact]
    public void Status_annotation_survives_serialisation_with_quotes_and_slashes()
    {
        var pod = JsonNode.Parse("""{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"a/b~c","image":"x"}]}}""")!.AsObject();
        var result = Engine.Inject(pod, InjectorConfig.Default);
        var patch = Encoding.UTF8.GetString(JsonPatchSerializer.ToUtf8(result.Patch));
        Assert.Contains("/metadata/annotations/sidecars.dev~1status", patch, StringComparison.Ordinal);
        var patched = Rfc6902.Apply(pod, patch);
        var status = InjectionStatus.TryParse(patched["metadata"]!["annotations"]![AnnotationKeys.Status]!.GetValue<string>(), out var error);
        Assert.Null(error);
        Assert.Contains("a/b~c", status!.Targets.Keys);
    }

    private static JsonObject? FindContainer(JsonObject pod, string name) =>
        new[] { "initContainers", "containers" }
            .SelectMany(list => pod["spec"]![list] is JsonArray a ? a.OfType<JsonObject>() : [])
            .FirstOrDefault(c => c["name"]?.GetValue<string>() == name);

    /// <summary>proa's target and what its args must hold after "--", when the result has proa.</summary>
    private static (string? Target, IReadOnlyList<string>? Wrapped) ProaTarget(JsonObject original, InjectionResult result)
    {
        if (!result.Sidecars.Contains(SidecarNames.Proa))
        {
            return (null, null);
        }

        var annotations = original["metadata"]!["annotations"]!;
        var containers = original["spec"]!["containers"]!.AsArray().OfType<JsonObject>().ToList();
        var name = annotations[AnnotationKeys.ProaContainer]?.GetValue<string>() ?? containers[0]["name"]!.GetValue<string>();
        var target = containers.Single(c => c["name"]!.GetValue<string>() == name);
        var command = target["command"] is JsonArray c
            ? c.Select(n => n!.GetValue<string>())
            : annotations[AnnotationKeys.ProaCommand]!.GetValue<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var args = target["args"] is JsonArray a ? a.Select(n => n!.GetValue<string>()) : [];
        return (name, command.Concat(args).ToList());
    }
}
