using System.Net;
using System.Text.Json.Nodes;
using Canary.Api;
using Canary.Kube;
using Canary.Reconciling;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Traffic;

/// <summary>
/// The traffic provider of a CanaryApp (<c>spec.traffic.provider</c>) against the API: reads the routing objects,
/// creates them when missing, and otherwise sends JSON Patches of only the managed fields (<see cref="IstioRoutes"/>,
/// <see cref="GatewayApiRoutes"/>). A routing object of that name that this CanaryApp does not control is never
/// changed (<see cref="CanaryConflictException"/>).
/// </summary>
public sealed class KubeTrafficProvider(IKubernetes client) : ITrafficProvider
{
    public async Task<RouteObservation?> ObserveAsync(DesiredObjects desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (desired.Spec.Provider == TrafficProviderKind.GatewayApi)
        {
            var route = await GetAsync(desired, GatewayApiRoutes.Group, GatewayApiRoutes.Version, "httproutes", "HTTPRoute", cancellationToken).ConfigureAwait(false);
            return GatewayApiRoutes.Observe(desired, route);
        }

        var vs = await GetAsync(desired, IstioRoutes.Group, IstioRoutes.Version, "virtualservices", "VirtualService", cancellationToken).ConfigureAwait(false);
        var dr = await GetAsync(desired, IstioRoutes.Group, IstioRoutes.Version, "destinationrules", "DestinationRule", cancellationToken).ConfigureAwait(false);
        return IstioRoutes.Observe(desired, vs, dr);
    }

    public async Task SetWeightAsync(DesiredObjects desired, int canaryWeight, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (desired.Spec.Provider == TrafficProviderKind.GatewayApi)
        {
            var route = await GetAsync(desired, GatewayApiRoutes.Group, GatewayApiRoutes.Version, "httproutes", "HTTPRoute", cancellationToken).ConfigureAwait(false);
            await CreateOrPatchAsync(GatewayApiRoutes.Group, GatewayApiRoutes.Version, desired.Namespace, "httproutes", desired.Name, route,
                () => GatewayApiRoutes.HttpRoute(desired, canaryWeight), r => GatewayApiRoutes.WeightPatch(desired, r, canaryWeight), cancellationToken).ConfigureAwait(false);
            return;
        }

        // The subsets first, so the VirtualService never routes to a subset that does not exist yet.
        var dr = await GetAsync(desired, IstioRoutes.Group, IstioRoutes.Version, "destinationrules", "DestinationRule", cancellationToken).ConfigureAwait(false);
        await CreateOrPatchAsync(IstioRoutes.Group, IstioRoutes.Version, desired.Namespace, "destinationrules", desired.Name, dr,
            () => IstioRoutes.DestinationRule(desired), r => IstioRoutes.DestinationRulePatch(desired, r), cancellationToken).ConfigureAwait(false);
        var vs = await GetAsync(desired, IstioRoutes.Group, IstioRoutes.Version, "virtualservices", "VirtualService", cancellationToken).ConfigureAwait(false);
        await CreateOrPatchAsync(IstioRoutes.Group, IstioRoutes.Version, desired.Namespace, "virtualservices", desired.Name, vs,
            () => IstioRoutes.VirtualService(desired, canaryWeight), r => IstioRoutes.WeightPatch(desired, r, canaryWeight), cancellationToken).ConfigureAwait(false);
    }

    private async Task CreateOrPatchAsync(string group, string version, string ns, string plural, string name, JsonObject? current,
        Func<JsonObject> create, Func<JsonObject, JsonPatchBuilder> patch, CancellationToken cancellationToken)
    {
        if (current is null)
        {
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(create(), group, version, ns, plural, fieldManager: CanaryAnnotations.Manager, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var ops = patch(current);
        if (ops.Count > 0)
        {
            await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(ops.ToJson(), V1Patch.PatchType.JsonPatch), group, version, ns, plural, name,
                fieldManager: CanaryAnnotations.Manager, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The routing object, or null; one controlled by someone else throws <see cref="CanaryConflictException"/>.</summary>
    private async Task<JsonObject?> GetAsync(DesiredObjects desired, string group, string version, string plural, string kind, CancellationToken cancellationToken)
    {
        try
        {
            var obj = await client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, desired.Namespace, plural, desired.Name, cancellationToken).ConfigureAwait(false);
            var json = JsonNode.Parse(KubernetesJson.Serialize(obj)) as JsonObject;
            if (json is not null)
            {
                Ownership.EnsureOwned(desired.App, json, kind);
            }

            return json;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
