using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api;
using Canary.Reconciling;
using Canary.Traffic;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Kube;

/// <summary>
/// The world of a CanaryApp through the API, read fresh on every reconcile (GETs, not an informer cache, so a decision
/// never rests on a read older than the controller's own last write) and changed with patches of only the managed
/// fields. Objects the controller would manage but another owner controls are never touched
/// (<see cref="CanaryConflictException"/>). The status is written with PUT on the status subresource, conditional on
/// the resourceVersion that was read: a concurrent change answers 409 and the reconcile runs again.
/// </summary>
public sealed class KubeCanaryWorld(IKubernetes client, ITrafficProvider traffic) : ICanaryWorld
{
    public async Task<Observation?> ObserveAsync(string namespaceName, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        CanaryApp app;
        try
        {
            var raw = await client.CustomObjects.GetNamespacedCustomObjectAsync(CanaryApp.Group, CanaryApp.Version, namespaceName, CanaryApp.Plural, name, cancellationToken).ConfigureAwait(false);
            app = KubernetesJson.Deserialize<CanaryApp>(KubernetesJson.Serialize(raw));
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        V1Deployment? primary = null, canary = null;
        try
        {
            primary = await GetDeploymentAsync(app, DeploymentRole.Primary, cancellationToken).ConfigureAwait(false);
            canary = await GetDeploymentAsync(app, DeploymentRole.Canary, cancellationToken).ConfigureAwait(false);
            var spec = EffectiveSpec.From(app.Spec, app.Metadata.Name);
            if (spec.Error is not null)
            {
                return new Observation(app, primary, canary, null, true, now);
            }

            var desired = DesiredObjects.For(app, spec);
            var servicesInSync = await ServicesInSyncAsync(desired, cancellationToken).ConfigureAwait(false);
            var route = await traffic.ObserveAsync(desired, cancellationToken).ConfigureAwait(false);
            return new Observation(app, primary, canary, route, servicesInSync, now);
        }
        catch (CanaryConflictException ex)
        {
            // Someone else's object where ours would be: observed as such, so the status can say it.
            return new Observation(app, primary, canary, null, true, now) { Conflict = ex.Message };
        }
    }

    public async Task ExecuteAsync(CanaryApp app, CanaryAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        switch (action)
        {
            case ApplyServices s:
                foreach (var service in s.Services)
                {
                    await ApplyServiceAsync(app, service, cancellationToken).ConfigureAwait(false);
                }

                break;
            case ApplyDeployment d:
                await ApplyDeploymentAsync(app, d.Desired, cancellationToken).ConfigureAwait(false);
                break;
            case ScaleDeployment s:
                await client.AppsV1.PatchNamespacedDeploymentAsync(
                    new V1Patch("{\"spec\":{\"replicas\":" + s.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}", V1Patch.PatchType.MergePatch), s.Name, app.Metadata.NamespaceProperty,
                    fieldManager: CanaryAnnotations.Manager, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case SetRoute r:
                await traffic.SetWeightAsync(DesiredObjects.For(app, EffectiveSpec.From(app.Spec)), r.CanaryWeight, cancellationToken).ConfigureAwait(false);
                break;
            case RemoveAnnotations r:
                var annotations = new JsonObject();
                foreach (var key in r.Keys)
                {
                    annotations[key] = null;
                }

                // Conditional on what was read, so a gate is never consumed from a CanaryApp that changed meanwhile;
                // the new resourceVersion is carried on, so a later write in this reconcile does not conflict with it.
                var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations, ["resourceVersion"] = app.Metadata.ResourceVersion } };
                var patched = await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                    CanaryApp.Group, CanaryApp.Version, app.Metadata.NamespaceProperty, CanaryApp.Plural, app.Metadata.Name,
                    fieldManager: CanaryAnnotations.Manager, cancellationToken: cancellationToken).ConfigureAwait(false);
                app.Metadata.ResourceVersion = KubernetesJson.Deserialize<CanaryApp>(KubernetesJson.Serialize(patched)).Metadata.ResourceVersion;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "unknown action");
        }
    }

    public async Task WriteStatusAsync(CanaryApp app, CanaryAppStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var body = new CanaryApp
        {
            Metadata = new V1ObjectMeta { Name = app.Metadata.Name, NamespaceProperty = app.Metadata.NamespaceProperty, ResourceVersion = app.Metadata.ResourceVersion },
            Spec = app.Spec,
            Status = status,
        };
        var written = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(body, CanaryApp.Group, CanaryApp.Version, app.Metadata.NamespaceProperty, CanaryApp.Plural, app.Metadata.Name,
            fieldManager: CanaryAnnotations.Manager, cancellationToken: cancellationToken).ConfigureAwait(false);
        app.Metadata.ResourceVersion = KubernetesJson.Deserialize<CanaryApp>(KubernetesJson.Serialize(written)).Metadata.ResourceVersion;
    }

    private async Task<V1Deployment?> GetDeploymentAsync(CanaryApp app, DeploymentRole role, CancellationToken cancellationToken)
    {
        var name = DesiredObjects.DeploymentName(app.Metadata.Name, role);
        try
        {
            var d = await client.AppsV1.ReadNamespacedDeploymentAsync(name, app.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            Ownership.EnsureOwned(app, d.Metadata, "Deployment");
            return d;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task ApplyDeploymentAsync(CanaryApp app, V1Deployment desired, CancellationToken cancellationToken)
    {
        var ns = app.Metadata.NamespaceProperty;
        V1Deployment? current;
        try
        {
            current = await client.AppsV1.ReadNamespacedDeploymentAsync(desired.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            await client.AppsV1.CreateNamespacedDeploymentAsync(desired, ns, fieldManager: CanaryAnnotations.Manager, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        Ownership.EnsureOwned(app, current.Metadata, "Deployment");

        // One JSON Patch, so the revision annotation and the template it names change together; labels and
        // annotations others put on the Deployment stay.
        var patch = new JsonPatchBuilder();
        AddMapEntries(patch, "/metadata/labels", current.Metadata.Labels, desired.Metadata.Labels);
        AddMapEntries(patch, "/metadata/annotations", current.Metadata.Annotations, desired.Metadata.Annotations);
        patch.Add("/spec/replicas", desired.Spec.Replicas);
        patch.Add("/spec/progressDeadlineSeconds", desired.Spec.ProgressDeadlineSeconds);
        patch.Add("/spec/template", JsonNode.Parse(KubernetesJson.Serialize(desired.Spec.Template)));
        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJson(), V1Patch.PatchType.JsonPatch), desired.Metadata.Name, ns,
            fieldManager: CanaryAnnotations.Manager, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplyServiceAsync(CanaryApp app, V1Service desired, CancellationToken cancellationToken)
    {
        var ns = app.Metadata.NamespaceProperty;
        V1Service current;
        try
        {
            current = await client.CoreV1.ReadNamespacedServiceAsync(desired.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            await client.CoreV1.CreateNamespacedServiceAsync(desired, ns, fieldManager: CanaryAnnotations.Manager, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        Ownership.EnsureOwned(app, current.Metadata, "Service");
        if (ServiceInSync(current, desired))
        {
            return;
        }

        var patch = new JsonPatchBuilder();
        AddMapEntries(patch, "/metadata/labels", current.Metadata.Labels, desired.Metadata.Labels);
        patch.Add("/spec/selector", JsonNode.Parse(KubernetesJson.Serialize(desired.Spec.Selector)));
        patch.Add("/spec/ports", JsonNode.Parse(KubernetesJson.Serialize(desired.Spec.Ports)));
        await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(patch.ToJson(), V1Patch.PatchType.JsonPatch), desired.Metadata.Name, ns,
            fieldManager: CanaryAnnotations.Manager, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the three Services are as wanted; every one is read, so one that someone else controls is
    /// found here (and reported) rather than when it would be written.</summary>
    private async Task<bool> ServicesInSyncAsync(DesiredObjects desired, CancellationToken cancellationToken)
    {
        var inSync = true;
        foreach (var service in desired.Services())
        {
            try
            {
                var current = await client.CoreV1.ReadNamespacedServiceAsync(service.Metadata.Name, desired.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                Ownership.EnsureOwned(desired.App, current.Metadata, "Service");
                inSync &= ServiceInSync(current, service);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                inSync = false;
            }
        }

        return inSync;
    }

    private static bool ServiceInSync(V1Service current, V1Service desired)
    {
        var selector = current.Spec?.Selector ?? new Dictionary<string, string>();
        var wantedSelector = desired.Spec.Selector;
        if (selector.Count != wantedSelector.Count || wantedSelector.Any(kv => !selector.TryGetValue(kv.Key, out var v) || v != kv.Value))
        {
            return false;
        }

        var labels = current.Metadata.Labels ?? new Dictionary<string, string>();
        if (desired.Metadata.Labels.Any(kv => !labels.TryGetValue(kv.Key, out var v) || v != kv.Value))
        {
            return false;
        }

        var ports = current.Spec?.Ports ?? [];
        var wanted = desired.Spec.Ports[0];
        return ports.Count == 1 && ports[0].Name == wanted.Name && ports[0].Port == wanted.Port &&
            (ports[0].Protocol ?? "TCP") == wanted.Protocol && ports[0].TargetPort?.Value == wanted.TargetPort.Value;
    }

    private static void AddMapEntries(JsonPatchBuilder patch, string path, IDictionary<string, string>? current, IDictionary<string, string>? wanted)
    {
        if (wanted is null || wanted.Count == 0)
        {
            return;
        }

        if (current is null)
        {
            patch.Add(path, JsonNode.Parse(JsonSerializer.Serialize(wanted)));
            return;
        }

        foreach (var (k, v) in wanted)
        {
            if (!current.TryGetValue(k, out var existing) || existing != v)
            {
                patch.Add($"{path}/{JsonPatchBuilder.Escape(k)}", v);
            }
        }
    }
}
