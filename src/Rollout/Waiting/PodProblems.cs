using k8s.Models;

namespace Rollout.Waiting;

/// <summary>
/// Names the pods that keep a rollout from finishing, with the reasons kubectl warns about: containers (init
/// containers too, where native sidecars run) waiting in CrashLoopBackOff, ImagePullBackOff, ErrImagePull,
/// CreateContainerConfigError or CreateContainerError, and pods the scheduler cannot place.
/// </summary>
public static class PodProblems
{
    public const int MaxNamed = 5;

    private static readonly HashSet<string> StuckReasons = new(StringComparer.Ordinal)
    {
        "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError", "CreateContainerError", "InvalidImageName",
    };

    /// <summary>Null when no pod is stuck, else e.g. <c>web-7d9-abc: container appup CrashLoopBackOff (back-off 5m0s ...)</c>.</summary>
    public static string? Describe(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var problems = new List<string>();
        foreach (var pod in pods.OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal))
        {
            if (pod.Metadata?.DeletionTimestamp is not null)
            {
                continue;
            }

            var name = pod.Metadata?.Name ?? "(unnamed)";
            var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []);
            var stuck = statuses
                .Where(s => s.State?.Waiting?.Reason is { } reason && StuckReasons.Contains(reason))
                .Select(s => $"container {s.Name} {s.State.Waiting.Reason}{Detail(s.State.Waiting.Message)}")
                .ToList();
            if (stuck.Count > 0)
            {
                problems.Add($"{name}: {string.Join(", ", stuck)}");
                continue;
            }

            var unschedulable = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable");
            if (unschedulable is not null)
            {
                problems.Add($"{name}: Unschedulable{Detail(unschedulable.Message)}");
            }
        }

        if (problems.Count == 0)
        {
            return null;
        }

        var named = problems.Take(MaxNamed).ToList();
        if (problems.Count > MaxNamed)
        {
            named.Add($"{problems.Count - MaxNamed} more");
        }

        return string.Join("; ", named);
    }

    private static string Detail(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return "";
        }

        var oneLine = message.ReplaceLineEndings(" ").Trim();
        return $" ({(oneLine.Length > 120 ? oneLine[..117] + "..." : oneLine)})";
    }
}
