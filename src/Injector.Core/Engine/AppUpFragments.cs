using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Patching;
using Injector.Core.Plans;

namespace Injector.Core.Engine;

/// <summary>
/// Everything appup adds to a pod that does not depend on the pod, serialised once per config instance, mode, port
/// and initial state: the patch values (with the patch's escaping), the same values with the fingerprint's escaping,
/// and the nodes the status records. Built from the very objects <see cref="AppUpPlan"/> writes, so the fast path
/// (<see cref="FreshAppUpInjection"/>) writes the bytes the tree path would.
/// </summary>
internal sealed class AppUpFragments
{
    /// <summary>Distinct (mode, port, initial) kept per config: pods use a handful; hostile ones get no growth.</summary>
    private const int MaxCached = 16;

    /// <summary>Target container names whose status is kept per fragments (at most about 1 KiB each).</summary>
    private const int MaxStatuses = 32;

    private static readonly ConditionalWeakTable<InjectorConfig, ConcurrentDictionary<(SidecarMode, int, string), AppUpFragments>> Cache = new();

    private AppUpFragments(InjectorConfig config, SidecarMode mode, int port, string initial)
    {
        var settings = config.Sidecars[SidecarNames.AppUp];
        Mode = mode;
        Revision = config.Revision;
        Image = settings.Image;
        ConfigRevision = Fingerprint.ConfigRevision(config, SidecarNames.AppUp);
        var sidecar = AppUpPlan.Complete(InjectionContext.NewContainer(config, SidecarNames.AppUp, AppUpPlan.ContainerName, Image), port, initial);
        if (mode == SidecarMode.Native)
        {
            PodEditor.MakeNative(sidecar);
        }

        var volume = AppUpPlan.NewVolume();
        var mount = AppUpPlan.NewMount();
        ReadinessProbe = AppUpPlan.NewReadinessProbe(port);
        PreStop = AppUpPlan.NewPreStop(port);

        HashedReadinessProbe = Fingerprint.Bytes(ReadinessProbe);
        HashedPreStop = Fingerprint.Bytes(PreStop);
        HashedMount = Fingerprint.Bytes(mount);
        HashedSidecar = Fingerprint.Bytes(sidecar);
        HashedVolume = Fingerprint.Bytes(volume);

        ReadinessProbeValue = Raw(ReadinessProbe);
        PreStopValue = Raw(PreStop);
        LifecycleValue = Raw(new JsonObject { ["preStop"] = AppUpPlan.NewPreStop(port) });
        MountValue = Raw(mount);
        MountsValue = Raw(new JsonArray(AppUpPlan.NewMount()));
        VolumeValue = Raw(volume);
        VolumesValue = Raw(new JsonArray(AppUpPlan.NewVolume()));
        SidecarValue = Raw(sidecar);
        SidecarsValue = Raw(new JsonArray(sidecar.DeepClone()));
        LabelsValue = Raw(new JsonObject { [AnnotationKeys.InjectedLabel] = "true" });
    }

    private readonly ConcurrentDictionary<string, JsonValue> _statuses = new(StringComparer.Ordinal);

    public SidecarMode Mode { get; }

    /// <summary>The whole config's revision (the status records it).</summary>
    public string Revision { get; }

    public string Image { get; }

    public string ConfigRevision { get; }

    /// <summary>What the status records as written (shared and never changed: only serialised).</summary>
    public JsonObject ReadinessProbe { get; }

    public JsonObject PreStop { get; }

    public byte[] HashedReadinessProbe { get; }

    public byte[] HashedPreStop { get; }

    public byte[] HashedMount { get; }

    public byte[] HashedSidecar { get; }

    public byte[] HashedVolume { get; }

    // Patch operation values: unread-JSON nodes the patch writer copies verbatim (shared, never attached to a parent).
    public JsonNode ReadinessProbeValue { get; }

    public JsonNode PreStopValue { get; }

    /// <summary><c>{"preStop": ...}</c>, for a target without a lifecycle.</summary>
    public JsonNode LifecycleValue { get; }

    public JsonNode MountValue { get; }

    /// <summary><c>[mount]</c>, for a target without volumeMounts.</summary>
    public JsonNode MountsValue { get; }

    public JsonNode VolumeValue { get; }

    public JsonNode VolumesValue { get; }

    public JsonNode SidecarValue { get; }

    public JsonNode SidecarsValue { get; }

    /// <summary><c>{"sidecars.dev/injected": "true"}</c>, for a pod without labels.</summary>
    public JsonNode LabelsValue { get; }

    /// <summary>
    /// The status annotation's patch value for a target container (it names the target and hashes what was written
    /// into it, nothing else of the pod), made by <paramref name="create"/> the first time. Workloads name their
    /// app container a handful of ways; past <see cref="MaxStatuses"/> names it is made every time instead of kept.
    /// </summary>
    public JsonNode StatusValue(string targetName, Func<AppUpFragments, string, string> create)
    {
        if (_statuses.TryGetValue(targetName, out var cached))
        {
            return cached;
        }

        var value = RawString(create(this, targetName));
        return _statuses.Count < MaxStatuses ? _statuses.GetOrAdd(targetName, value) : value;
    }

    public static AppUpFragments For(InjectorConfig config, SidecarMode mode, int port, string initial)
    {
        var cached = Cache.GetValue(config, static _ => new());
        var key = (mode, port, initial);
        if (cached.TryGetValue(key, out var fragments))
        {
            return fragments;
        }

        fragments = new AppUpFragments(config, mode, port, initial);
        return cached.Count < MaxCached ? cached.GetOrAdd(key, fragments) : fragments;
    }

    /// <summary>A string as the patch writer writes it, held as bytes (the status is long and full of quotes to escape).</summary>
    private static JsonValue RawString(string text)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonPatchSerializer.WriterOptions))
        {
            writer.WriteStringValue(text);
        }

        return RawJson.Node(new RawJson(buffer.WrittenSpan.ToArray(), JsonValueKind.String));
    }

    /// <summary>The node as the patch writer writes it (<see cref="JsonPatchSerializer.WriterOptions"/>), held as bytes.</summary>
    private static JsonValue Raw(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, JsonPatchSerializer.WriterOptions))
        {
            node.WriteTo(writer);
        }

        var kind = node is JsonArray ? JsonValueKind.Array : JsonValueKind.Object;
        return RawJson.Node(new RawJson(buffer.WrittenSpan.ToArray(), kind));
    }
}
