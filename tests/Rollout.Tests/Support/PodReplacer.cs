using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using TestKit.Kube;
using TestKit.Kube.Storage;

namespace Rollout.Tests.Support;

/// <summary>
/// What the ReplicaSet/StatefulSet/DaemonSet controllers, the scheduler, the kubelet and the injector's webhook do
/// together when a workload's template changes, folded into one step: a moment later the workload's pods are
/// deleted and recreated from the new template, injected under the config the injector's ConfigMap holds then, and
/// become ready. The stand-in's status simulations do not create pods; the watch mode judges restarts by pods.
/// </summary>
public sealed class PodReplacer : IDisposable
{
    private readonly World _world;
    private readonly TimeSpan _delay;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _replacedAt = new();
    private int _replaced;

    public PodReplacer(World world, TimeSpan? delay = null)
    {
        _world = world;
        _delay = delay ?? TimeSpan.FromMilliseconds(100);
        world.Kube.Store.Changed += OnChanged;
    }

    /// <summary>Workloads whose pods were replaced so far.</summary>
    public int Replaced => Volatile.Read(ref _replaced);

    /// <summary>When the last replacement of a workload's pods (<c>ns/app</c>) was complete.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> ReplacedAt => _replacedAt;

    public void Dispose() => _world.Kube.Store.Changed -= OnChanged;

    private void OnChanged(StoredChange change)
    {
        if (change.Type.Kind is not ("Deployment" or "StatefulSet" or "DaemonSet") || change.Before is null || change.Deleted ||
            KubeJson.SemanticEquals(change.Before.At("spec.template"), change.After.At("spec.template")))
        {
            return;
        }

        var workload = change.After.Clone();
        _ = Task.Run(async () =>
        {
            await Task.Delay(_delay);
            Replace(workload);
            _replacedAt[$"{workload.Namespace()}/{workload.StringAt("spec.selector.matchLabels.app")}"] = DateTimeOffset.UtcNow;
            Interlocked.Increment(ref _replaced);
        });
    }

    private void Replace(JsonObject workload)
    {
        var store = _world.Kube.Store;
        var ns = workload.Namespace()!;
        var app = workload.StringAt("spec.selector.matchLabels.app")!;
        var yaml = (string?)store.Get(ResourceTypes.ConfigMap, "sidecars-system", "injector-config")?["data"]?["config.yaml"];
        var config = yaml is null ? Configs.Old : InjectorConfig.Parse(yaml);
        var old = store.List(ResourceTypes.Pod, ns).Where(p => p.StringAt("metadata.labels.app") == app).ToList();
        foreach (var pod in old)
        {
            store.Delete(ResourceTypes.Pod, ns, pod.Name()!);
        }

        var template = (JsonObject)workload.At("spec.template")!;
        for (var i = 0; i < old.Count; i++)
        {
            var owners = (JsonArray?)old[i].At("metadata.ownerReferences");
            _world.Pod(ns, $"{old[i].Name()}-r{Guid.NewGuid().ToString()[..4]}", template, owners, config);
        }
    }
}
