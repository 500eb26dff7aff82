using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>
/// Everything one plan may add to a pod, by name. A status entry is only trusted for names in some plan's
/// footprint (so a status listing <c>istio-proxy</c> is ignored), and when merging into a sidecar container it
/// already injected, only these keys are the plan's: every other env var or mount is someone else's and stays.
/// </summary>
/// <param name="Containers">Containers and init containers the plan adds.</param>
/// <param name="Volumes">Volumes the plan adds.</param>
/// <param name="ContainerEnv">Env var names the plan writes into its own containers.</param>
/// <param name="TargetEnv">Env vars the plan adds to the target container: name to the entry it writes there,
/// given the target's name.</param>
/// <param name="TargetFields">Fields the plan sets on the target, with how to recognise a value the plan writes
/// (a status can only claim such a value).</param>
/// <param name="Recognises">Whether a container has the shape of the plan's (its env or command), for a container
/// whose image is neither the configured one nor another tag of it: then it is the plan's only if the status recorded
/// that image and the container has this shape, so a forged status cannot claim a user's container.</param>
public sealed record SidecarFootprint(
    IReadOnlyList<string> Containers,
    IReadOnlyList<ReservedVolume> Volumes,
    IReadOnlyList<string> ContainerEnv,
    IReadOnlyDictionary<string, Func<string, JsonObject>> TargetEnv,
    IReadOnlyDictionary<string, Func<JsonNode, bool>> TargetFields,
    Func<JsonObject, bool> Recognises)
{
    /// <summary>The names of <see cref="Volumes"/> (read on every review, so listed once).</summary>
    public IReadOnlyList<string> VolumeNames { get; } = [.. Volumes.Select(v => v.Name)];

    /// <summary>Whether the container's env has every one of <paramref name="names"/>.</summary>
    public static bool HasEnv(JsonObject container, params ReadOnlySpan<string> names)
    {
        if (container["env"] is not JsonArray env)
        {
            return false;
        }

        foreach (var name in names)
        {
            if (!env.Any(e => e is JsonObject o && JsonValues.Text(o["name"]) == name))
            {
                return false;
            }
        }

        return true;
    }
}
