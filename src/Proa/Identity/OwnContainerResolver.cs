using System.Text.Json;
using Sidecars.Contract;
using Proa.Readiness;

namespace Proa.Identity;

/// <summary>
/// Which container of the pod is proa's own, so it does not wait for itself. Rules, first match wins:
/// <list type="number">
/// <item><c>PROA_CONTAINER_NAME</c> (the webhook injects it);</item>
/// <item>the kubelet's termination-log bind mount in <c>/proc/self/mountinfo</c>, whose source path is
/// <c>/var/lib/kubelet/pods/&lt;uid&gt;/containers/&lt;container&gt;/&lt;id&gt;</c> (works with containerd and CRI-O,
/// unless terminationMessagePath was moved off /dev, in which case the pattern still matches);</item>
/// <item>the pod's first regular container (the same default as the <c>proa.sidecars.dev/container</c> annotation).</item>
/// </list>
/// </summary>
internal static class OwnContainerResolver
{
    public static (string? Name, string Source) Resolve(string? envName, string? mountInfo, JsonElement pod)
    {
        if (!string.IsNullOrWhiteSpace(envName))
        {
            return (envName.Trim(), ProaContract.ContainerNameVariable);
        }

        var names = ContainerNames(pod);
        if (mountInfo is not null && FromMountInfo(mountInfo, names) is { } fromMounts)
        {
            return (fromMounts, "/proc/self/mountinfo");
        }

        return names.Count > 0 ? (names[0], "first container of the pod") : (null, "none");
    }

    /// <summary>Finds "/containers/NAME/" in a kubelet pod-directory mount source, for a NAME the pod has.</summary>
    public static string? FromMountInfo(string mountInfo, IReadOnlyList<string> containerNames)
    {
        const string Marker = "/containers/";
        foreach (var line in mountInfo.Split('\n'))
        {
            if (!line.Contains("/pods/", StringComparison.Ordinal))
            {
                continue;
            }

            var index = line.IndexOf(Marker, StringComparison.Ordinal);
            while (index >= 0)
            {
                var start = index + Marker.Length;
                var end = line.IndexOf('/', start);
                if (end > start)
                {
                    var candidate = line[start..end];
                    if (containerNames.Contains(candidate))
                    {
                        return candidate;
                    }
                }

                index = line.IndexOf(Marker, start, StringComparison.Ordinal);
            }
        }

        return null;
    }

    private static List<string> ContainerNames(JsonElement pod)
    {
        var names = new List<string>();
        foreach (var c in ((JsonElement?)pod).Child("spec").Array("containers"))
        {
            if (((JsonElement?)c).String("name") is { } name)
            {
                names.Add(name);
            }
        }

        return names;
    }
}
