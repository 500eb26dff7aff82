using System.Globalization;
using System.Text.Json;

namespace Proa.Readiness;

/// <summary>
/// Pure decision: given one pod snapshot, are all the containers proa waits for ready?
/// Waited for: every regular container except proa's own, and every native sidecar (an init container with
/// <c>restartPolicy: Always</c>). Regular init containers have completed before proa runs at all, so they are ignored.
/// </summary>
/// <remarks>
/// "Failed for good" rules, chosen so a pod that can never become ready fails fast with a reason:
/// <list type="bullet">
/// <item>the pod is in phase Failed or Succeeded, or is being deleted;</item>
/// <item>a regular container has terminated and the pod's restartPolicy will not restart it
/// (<c>Never</c>, or <c>OnFailure</c> with exit code 0);</item>
/// <item>a container is in <c>CrashLoopBackOff</c> with at least <see cref="CrashLoopRestartLimit"/> restarts
/// (a sidecar that crashes once or twice while a dependency comes up still gets its chance);</item>
/// <item>a container waits with a reason that never resolves by itself (<c>InvalidImageName</c>).</item>
/// </list>
/// Everything else (image pulling, running but not ready, restarting) is "waiting"; the startup timeout bounds it.
/// </remarks>
internal static class ReadinessEvaluator
{
    public const int CrashLoopRestartLimit = 3;

    public static ReadinessDecision Evaluate(JsonElement pod, string ownContainer)
    {
        JsonElement? podElement = pod;
        var spec = podElement.Child("spec");
        var status = podElement.Child("status");

        var phase = status.String("phase");
        if (phase is "Failed" or "Succeeded")
        {
            return ReadinessDecision.Failed($"pod is in phase {phase}; its containers will not become ready");
        }

        if (podElement.Child("metadata").String("deletionTimestamp") is not null)
        {
            return ReadinessDecision.Failed("pod is being deleted");
        }

        var podRestartPolicy = spec.String("restartPolicy") ?? "Always";
        var pending = new List<string>();
        var waitedFor = 0;

        foreach (var container in spec.Array("containers"))
        {
            var name = ((JsonElement?)container).String("name");
            if (name is null || name == ownContainer)
            {
                continue;
            }

            waitedFor++;
            var failure = Check(pod, container, name, "containerStatuses", podRestartPolicy, native: false, pending);
            if (failure is not null)
            {
                return ReadinessDecision.Failed(failure);
            }
        }

        foreach (var container in spec.Array("initContainers"))
        {
            JsonElement? c = container;
            var name = c.String("name");
            if (name is null || c.String("restartPolicy") != "Always")
            {
                continue;
            }

            waitedFor++;
            var failure = Check(pod, container, name, "initContainerStatuses", podRestartPolicy, native: true, pending);
            if (failure is not null)
            {
                return ReadinessDecision.Failed(failure);
            }
        }

        if (pending.Count > 0)
        {
            return ReadinessDecision.Waiting("waiting for " + string.Join(", ", pending));
        }

        return ReadinessDecision.Ready(waitedFor == 0
            ? "no other containers to wait for"
            : string.Create(CultureInfo.InvariantCulture, $"all {waitedFor} other container(s) ready"));
    }

    /// <summary>Adds a pending note or returns a permanent failure for one container.</summary>
    private static string? Check(JsonElement pod, JsonElement spec, string name, string statusList, string podRestartPolicy, bool native, List<string> pending)
    {
        var status = pod.StatusOf(statusList, name);
        if (status is null)
        {
            pending.Add($"{name} (no status yet)");
            return null;
        }

        if (status.Bool("ready"))
        {
            return null;
        }

        // A native sidecar without a readiness probe counts as ready once started (that is what the kubelet does too).
        if (native && ((JsonElement?)spec).Child("readinessProbe") is null && status.Bool("started"))
        {
            return null;
        }

        var kind = native ? "sidecar" : "container";
        var restarts = status.Long("restartCount") ?? 0;
        var state = status.Child("state");

        if (state.Child("terminated") is { } terminated)
        {
            JsonElement? t = terminated;
            var exitCode = t.Long("exitCode") ?? 0;
            var reason = t.String("reason") ?? "unknown";
            // Native sidecars are always restarted while the pod runs, whatever the pod's restartPolicy says.
            var restarted = native || podRestartPolicy == "Always" || (podRestartPolicy == "OnFailure" && exitCode != 0);
            if (!restarted)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"{kind} {name} terminated with exit code {exitCode} ({reason}) and restartPolicy {podRestartPolicy} will not restart it");
            }

            pending.Add(string.Create(CultureInfo.InvariantCulture, $"{name} (terminated with exit code {exitCode}, restarting)"));
            return null;
        }

        if (state.Child("waiting") is { } waiting)
        {
            JsonElement? w = waiting;
            var reason = w.String("reason") ?? "waiting";
            var message = w.String("message");
            if (reason == "InvalidImageName")
            {
                return $"{kind} {name} cannot start: {reason}{(message is null ? "" : ": " + message)}";
            }

            if (reason == "CrashLoopBackOff" && restarts >= CrashLoopRestartLimit)
            {
                var last = status.Child("lastState").Child("terminated");
                var lastExit = last.Long("exitCode");
                return string.Create(CultureInfo.InvariantCulture,
                    $"{kind} {name} is in CrashLoopBackOff after {restarts} restarts{(lastExit is null ? "" : $" (last exit code {lastExit})")}");
            }

            pending.Add($"{name} ({reason})");
            return null;
        }

        pending.Add(state.Child("running") is not null ? $"{name} (running, not ready)" : $"{name} (not ready)");
        return null;
    }
}
