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
/// <param name="TargetFields">Fields the plan sets on the target, with how to recognise the plan's own value in a
/// version-1 status (which did not record it).</param>
public sealed record SidecarFootprint(
    IReadOnlyList<string> Containers,
    IReadOnlyList<ReservedVolume> Volumes,
    IReadOnlyList<string> ContainerEnv,
    IReadOnlyDictionary<string, Func<string, JsonObject>> TargetEnv,
    IReadOnlyDictionary<string, Func<JsonNode, bool>> TargetFields);
