using System.Globalization;
using System.Text.Json.Nodes;
using Injector.Core.Tests.Support;

namespace Injector.Core.Tests.ApiServer;

/// <summary>
/// kube-apiserver's mutating admission for a pod CREATE, replayed from its source (no network):
/// <list type="number">
/// <item>The request body is decoded and defaulted (<see cref="PodDefaults"/>).</item>
/// <item>Round 0: the in-tree mutating plugins in order, then the mutating webhooks in order
/// (plugin/webhook/mutating/dispatcher.go). Each webhook gets the encoded object; a JSON patch is applied to those
/// bytes, decoded and defaulted again. When a webhook changed the object, every earlier webhook with
/// reinvocationPolicy IfNeeded is marked for reinvocation (RequireReinvokingPreviouslyInvokedPlugins); a webhook
/// is added to the "previously invoked" set after its own call, so its own change never marks itself.</item>
/// <item>If anything was marked (reinvocation.go, ShouldReinvoke), round 1: all in-tree plugins run again; if that
/// changed the object since the last webhook output, every previously invoked IfNeeded webhook is marked too; then
/// only marked webhooks are called, in order. There is no round 2, so what a round-1 call adds is never seen by
/// the in-tree plugins again.</item>
/// <item>Validation of the final object (<see cref="PodValidation"/>).</item>
/// </list>
/// </summary>
public sealed class AdmissionChain
{
    private readonly IReadOnlyList<IInTreePlugin> _plugins;
    private readonly IReadOnlyList<IMutatingWebhook> _webhooks;
    private int _uid;

    public AdmissionChain(IReadOnlyList<IInTreePlugin> plugins, IReadOnlyList<IMutatingWebhook> webhooks)
    {
        _plugins = plugins;
        _webhooks = webhooks;
    }

    /// <summary>The plugins every cluster runs for pods: ServiceAccount and DefaultTolerationSeconds.</summary>
    public static IReadOnlyList<IInTreePlugin> StandardPlugins() => [new ServiceAccountPlugin(), new DefaultTolerationSecondsPlugin()];

    public AdmissionRun Admit(JsonObject requestPod, string ns = "default")
    {
        var run = new AdmissionRun();
        var pod = requestPod.DeepClone().AsObject();
        PodDefaults.Apply(pod);

        var state = new ReinvokeState();
        RunPlugins(pod, ns);
        if (!Dispatch(run, ref pod, ns, round: 0, state))
        {
            return run;
        }

        if (state.ShouldReinvoke)
        {
            RunPlugins(pod, ns);
            if (!Dispatch(run, ref pod, ns, round: 1, state))
            {
                return run;
            }
        }

        run.Pod = pod;
        run.ValidationErrors = PodValidation.Validate(pod);
        return run;
    }

    private void RunPlugins(JsonObject pod, string ns)
    {
        foreach (var plugin in _plugins)
        {
            plugin.Admit(pod, ns);
        }

        PodDefaults.Apply(pod);
    }

    private bool Dispatch(AdmissionRun run, ref JsonObject pod, string ns, int round, ReinvokeState state)
    {
        if (round == 1 && !JsonNode.DeepEquals(state.LastWebhookOutput, pod))
        {
            state.RequireReinvokingPreviouslyInvoked();
        }

        foreach (var hook in _webhooks)
        {
            if (!hook.Matches(pod))
            {
                continue;
            }

            // During reinvocation a webhook is only called if it was marked (never for the first time).
            if (round == 1 && !state.Reinvoke.Contains(hook.Name))
            {
                continue;
            }

            var uid = "uid-" + (++_uid).ToString(CultureInfo.InvariantCulture);
            var response = hook.Answer(Review(uid, ns, pod));
            Assert.Equal(uid, response.Uid);
            var changed = false;
            if (response.Allowed && response.PatchJson is { } patch)
            {
                var patched = Rfc6902.Apply(pod, patch);
                PodDefaults.Apply(patched);
                changed = !JsonNode.DeepEquals(pod, patched);
                pod = patched;
            }

            run.Calls.Add(new WebhookCall(round, hook.Name, changed, response));
            if (!response.Allowed)
            {
                run.Denied = response.Message ?? "denied";
                return false;
            }

            if (changed)
            {
                state.RequireReinvokingPreviouslyInvoked();
                state.ShouldReinvoke = true;
            }

            if (hook.Policy == ReinvocationPolicy.IfNeeded)
            {
                state.PreviouslyInvoked.Add(hook.Name);
            }
        }

        state.LastWebhookOutput = pod.DeepClone().AsObject();
        return true;
    }

    /// <summary>An admission.k8s.io/v1 AdmissionReview as webhook/request/admissionreview.go builds it.</summary>
    public static JsonObject Review(string uid, string ns, JsonObject pod) => new()
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
            ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
            ["requestKind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
            ["requestResource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
            ["namespace"] = ns,
            ["operation"] = "CREATE",
            ["userInfo"] = new JsonObject { ["username"] = "system:serviceaccount:kube-system:replicaset-controller" },
            ["object"] = pod.DeepClone(),
            ["oldObject"] = null,
            ["dryRun"] = false,
            ["options"] = new JsonObject { ["kind"] = "CreateOptions", ["apiVersion"] = "meta.k8s.io/v1" },
        },
    };

    /// <summary>webhookReinvokeContext in reinvocationcontext.go, plus the admission-wide ShouldReinvoke flag.</summary>
    private sealed class ReinvokeState
    {
        public JsonObject? LastWebhookOutput { get; set; }

        public HashSet<string> PreviouslyInvoked { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Reinvoke { get; } = new(StringComparer.Ordinal);

        public bool ShouldReinvoke { get; set; }

        public void RequireReinvokingPreviouslyInvoked()
        {
            Reinvoke.UnionWith(PreviouslyInvoked);
            PreviouslyInvoked.Clear();
        }
    }
}
