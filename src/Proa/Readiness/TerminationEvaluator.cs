using System.Text.Json;

namespace Proa.Readiness;

/// <summary>
/// Pure decision for the shutdown phase: have the other regular containers stopped since <c>since</c>?
/// </summary>
/// <remarks>
/// Native sidecars are not waited for: the kubelet stops them only after every regular container (proa's included)
/// has exited, so waiting for them here would always run into the grace period.
/// A container counts as stopped if it is terminated now, or if it terminated after <c>since</c> and was restarted
/// (pods with restartPolicy Always restart sidecars that exit; the exit is still what we were waiting for).
/// </remarks>
internal static class TerminationEvaluator
{
    public static (bool Done, string Detail) Evaluate(JsonElement pod, string ownContainer, DateTimeOffset since)
    {
        JsonElement? podElement = pod;
        // Status timestamps have second precision; round down so an exit in the same second still counts.
        var threshold = since.AddTicks(-(since.Ticks % TimeSpan.TicksPerSecond)).AddSeconds(-1);
        var running = new List<string>();

        foreach (var container in podElement.Child("spec").Array("containers"))
        {
            var name = ((JsonElement?)container).String("name");
            if (name is null || name == ownContainer)
            {
                continue;
            }

            var status = pod.StatusOf("containerStatuses", name);
            if (status is null)
            {
                continue; // never started, nothing to wait for
            }

            if (status.Child("state").Child("terminated") is not null)
            {
                continue;
            }

            var lastFinished = status.Child("lastState").Child("terminated").Time("finishedAt");
            if (lastFinished is not null && lastFinished >= threshold)
            {
                continue;
            }

            running.Add(name);
        }

        return running.Count == 0
            ? (true, "all other containers have stopped")
            : (false, "waiting for " + string.Join(", ", running) + " to stop");
    }
}
