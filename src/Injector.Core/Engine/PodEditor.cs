using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Patching;
using Injector.Core.Plans;

namespace Injector.Core.Engine;

/// <summary>
/// Mutable view of the desired pod (a tracked clone of the raw request object). Built once with name indexes over
/// containers and volumes, so every lookup is constant time. Plans add their sidecars one at a time
/// (<see cref="BeginSidecar"/> ... <see cref="EndSidecar"/>): a sidecar container or volume an earlier pass injected
/// (<see cref="PreviousInjection"/>) is converged in place (<see cref="ContainerMerge"/>), a new one is appended.
/// Edits to user containers are recorded in <see cref="Status"/>; <see cref="Finish"/> removes or restores what an
/// earlier pass added and this one no longer wants.
/// </summary>
public sealed class PodEditor
{
    internal const string ContainersKey = "containers";
    internal const string InitContainersKey = "initContainers";
    internal const string VolumesKey = "volumes";
    private const string EphemeralContainersKey = "ephemeralContainers";

    /// <summary>Fields whose written value goes into the status, so a later pass can tell whether it still holds.</summary>
    private static readonly string[] RecordedWrites = ["readinessProbe", "lifecycle.preStop"];

    /// <summary>The fields plans set, split once (they are resolved several times on every review).</summary>
    private static readonly FrozenDictionary<string, string[]> SplitPaths =
        RecordedWrites.Concat(["command", "args"]).ToFrozenDictionary(path => path, path => path.Split('.'), StringComparer.Ordinal);

    // The lists and keys walked on every review, allocated once.
    private static readonly string[] ContainerLists = [InitContainersKey, ContainersKey];
    private static readonly string[] EmptiedSpecLists = [InitContainersKey, VolumesKey];
    private static readonly string[] EmptiedMetadata = ["annotations", "labels"];
    private static readonly string[] EmptiedContainerLists = ["env", "volumeMounts"];
    private static readonly string[] CleanedLists = [ContainersKey, InitContainersKey];

    private readonly TrackedClone _tracking;
    private readonly WorkMeter _work;
    // Entries are the items of the pod's lists: objects, or items left unread by the request reader (RawJson),
    // opened (parsed in place) only when something reads more than their name and ports.
    private readonly Dictionary<string, JsonNode> _containers;
    private readonly Dictionary<string, JsonNode> _initContainers;
    private readonly HashSet<string> _names;
    private readonly Dictionary<string, JsonNode> _volumes;
    private readonly HashSet<string> _addedVolumes = new(StringComparer.Ordinal);
    private readonly List<JsonNode> _appContainers;
    private readonly Dictionary<JsonNode, JsonObject> _opened = new(ReferenceEqualityComparer.Instance);
    private PreviousInjection _previous = PreviousInjection.Empty;
    private readonly Dictionary<int, string> _ports;
    private Draft? _draft;

    public PodEditor(TrackedClone tracking, WorkMeter work)
    {
        _tracking = tracking;
        _work = work;
        Pod = tracking.Root;
        // The indexes are sized from the lists up front, rather than grown through discarded tables (50 containers).
        var containers = Count(ContainersKey);
        var initContainers = Count(InitContainersKey);
        _containers = new(containers, StringComparer.Ordinal);
        _initContainers = new(initContainers, StringComparer.Ordinal);
        _names = new(containers + initContainers + Count(EphemeralContainersKey), StringComparer.Ordinal);
        _volumes = new(Count(VolumesKey), StringComparer.Ordinal);
        _appContainers = new(containers);
        _ports = new(containers + initContainers);
        IndexContainers(ContainersKey, _containers);
        IndexContainers(InitContainersKey, _initContainers);
        foreach (var item in Entries(Spec, EphemeralContainersKey))
        {
            _work.Step();
            if (EntryName(item) is { } name)
            {
                _names.Add(name);
            }
        }

        foreach (var volume in Entries(Spec, VolumesKey))
        {
            _work.Step();
            if (EntryName(volume) is { } name)
            {
                _volumes.TryAdd(name, volume);
            }
        }

        foreach (var container in Entries(Spec, ContainersKey))
        {
            _appContainers.Add(container);
        }
    }

    public JsonObject Pod { get; }

    /// <summary>What the diff needs to skip the parts of the pod this editor did not touch.</summary>
    public TrackedClone Tracking => _tracking;

    /// <summary>The status this pass writes.</summary>
    public InjectionStatus Status { get; } = new();

    public JsonObject Metadata => GetOrAddObject(Pod, "metadata");

    public JsonObject Spec => GetOrAddObject(Pod, "spec");

    /// <summary>How many app containers the user has (sidecars an earlier pass injected in classic mode excluded).</summary>
    public int AppContainerCount => _appContainers.Count;

    /// <summary>The name of the user's <paramref name="index"/>th app container, without opening it.</summary>
    public string? AppContainerName(int index) => EntryName(_appContainers[index]);

    /// <summary>The user's <paramref name="index"/>th app container, to read or edit.</summary>
    public JsonObject AppContainer(int index) => Open(ContainersKey, _appContainers[index]);

    /// <summary>Every change to a node of the pod goes through here (or a method that calls it).</summary>
    public void Changed(JsonNode node) => _tracking.MarkChanged(node);

    public static string? NameOf(JsonObject item) => JsonValues.Text(item["name"]);

    internal bool TryGetContainer(string list, string name, out JsonObject container)
    {
        var found = (list == ContainersKey ? _containers : _initContainers).TryGetValue(name, out var entry);
        container = found ? Open(list, entry!) : null!;
        return found;
    }

    internal bool TryGetVolume(string name, out JsonObject volume)
    {
        var found = _volumes.TryGetValue(name, out var entry);
        volume = found ? Open(VolumesKey, entry!) : null!;
        return found;
    }

    /// <summary>Takes what an earlier pass injected as this pass's to converge, keep or remove.</summary>
    internal void Adopt(PreviousInjection previous)
    {
        _previous = previous;
        if (previous.Containers.Count > 0)
        {
            _appContainers.RemoveAll(Owned);
        }

        // Ports of everyone but the sidecars this pass re-injects (theirs come back with them).
        foreach (var list in ContainerLists)
        {
            var index = 0;
            foreach (var container in Entries(Spec, list))
            {
                if (!Owned(container))
                {
                    AddPorts(container, EntryName(container) ?? $"{list}[{index}]");
                }

                index++;
            }
        }
    }

    public JsonObject? FindAppContainer(string name) =>
        _containers.TryGetValue(name, out var container) && !Owned(container) ? Open(ContainersKey, container) : null;

    /// <summary>A name taken by a container this pass did not inject (or already added).</summary>
    public bool ContainerNameInUse(string name) =>
        (_names.Contains(name) && !_previous.Containers.ContainsKey(name)) || (_draft?.HasContainer(name) ?? false);

    public bool VolumeNameInUse(string name) =>
        (_volumes.ContainsKey(name) && !_previous.Volumes.ContainsKey(name) && !_addedVolumes.Contains(name)) || (_draft?.HasVolume(name) ?? false);

    /// <summary>Whether this pass already adds the volume (another sidecar may share it).</summary>
    public bool AddsVolume(string name) => _addedVolumes.Contains(name) || (_draft?.HasVolume(name) ?? false);

    /// <summary>The name of a container already listening on <paramref name="port"/> (all share one network).</summary>
    public string? ContainerUsingPort(int port) => _ports.TryGetValue(port, out var owner) ? owner : _draft?.ContainerUsing(port);

    public void BeginSidecar(ISidecarPlan plan, InjectorConfig config)
    {
        _draft = new Draft(plan, Fingerprint.ConfigRevision(config, plan.Name));
    }

    /// <summary>Adds a long-running sidecar: a native sidecar init container, or a classic container.</summary>
    public void AddSidecar(JsonObject container, SidecarMode mode)
    {
        if (mode == SidecarMode.Native)
        {
            MakeNative(container);
            Current.Containers.Add((container, InitContainersKey));
        }
        else
        {
            Current.Containers.Add((container, ContainersKey));
        }
    }

    /// <summary>What turns a container into a native sidecar (an init container that keeps running).</summary>
    internal static void MakeNative(JsonObject container) => container["restartPolicy"] = "Always";

    /// <summary>Adds a run-to-completion init container (for example one that copies a binary).</summary>
    public void AddInitContainer(JsonObject container) => Current.Containers.Add((container, InitContainersKey));

    public void AddVolume(JsonObject volume) => Current.Volumes.Add(volume);

    /// <summary>Places the sidecar's containers and volumes and records it in the status.</summary>
    public void EndSidecar()
    {
        var draft = Current;
        _draft = null;
        foreach (var (container, _) in draft.Containers)
        {
            draft.Fingerprint.Add("container", container);
        }

        foreach (var volume in draft.Volumes)
        {
            draft.Fingerprint.Add("volume", volume);
        }

        var hash = draft.Fingerprint.Finish();
        draft.Fingerprint.Dispose();
        var unchanged = _previous.RecordFor(draft.Plan.Name)?.Hash == hash;
        var image = draft.Containers.Count > 0 ? JsonValues.Text(draft.Containers[0].Container["image"]) ?? string.Empty : string.Empty;
        var volumeNames = draft.Plan.Footprint.VolumeNames;
        foreach (var volume in draft.Volumes)
        {
            var name = NameOf(volume)!;
            if (_previous.Volumes.TryGetValue(name, out var owned) && !owned.Claimed)
            {
                owned.Claimed = true;
                if (!JsonValues.Contains(owned.Node, volume))
                {
                    foreach (var key in owned.Node.Select(kv => kv.Key).ToList())
                    {
                        owned.Node.Remove(key);
                    }

                    foreach (var key in volume.Select(kv => kv.Key).ToList())
                    {
                        var value = volume[key];
                        volume.Remove(key);
                        owned.Node[key] = value;
                    }

                    Changed(owned.Node);
                }
            }
            else
            {
                Append(VolumesKey, volume);
                _volumes[name] = volume;
            }

            _addedVolumes.Add(name);
            Status.Volumes.Add(name);
        }

        foreach (var (container, list) in draft.Containers)
        {
            var name = NameOf(container)!;
            AddPorts(container, name);
            if (_previous.Containers.TryGetValue(name, out var owned) && !owned.Claimed)
            {
                owned.Claimed = true;
                ContainerMerge.Converge(owned.Node, container, unchanged, draft.Plan.Footprint.ContainerEnv, volumeNames, Changed, _work);
                if (owned.List != list)
                {
                    RemoveItem(owned.List, owned.Node);
                    Append(list, owned.Node);
                }
            }
            else
            {
                Append(list, container);
                _names.Add(name);
            }

            (list == ContainersKey ? Status.Containers : Status.InitContainers).Add(name);
        }

        Status.Sidecars.Add(draft.Plan.Name);
        Status.Injected[draft.Plan.Name] = new SidecarRecord { Image = image, Revision = draft.ConfigRevision, Hash = hash };
    }

    public static bool HasField(JsonObject target, string dottedPath)
    {
        var (parent, leaf) = ResolveExisting(target, dottedPath);
        return parent is not null && parent.ContainsKey(leaf);
    }

    public static JsonNode? GetField(JsonObject target, string dottedPath)
    {
        var (parent, leaf) = ResolveExisting(target, dottedPath);
        return parent?[leaf];
    }

    /// <summary>True when the user (or another webhook) set the field: present, and not what an earlier pass wrote.</summary>
    public bool HasUserField(JsonObject target, string dottedPath) =>
        HasField(target, dottedPath) && !(_previous.Targets.TryGetValue(target, out var owned) && owned.Fields.ContainsKey(dottedPath));

    /// <summary>
    /// Sets a field of a user container, recording the value it had so a later pass can restore it. The status
    /// records <paramref name="value"/> itself as what was written (no copy): a plan passes a new node and leaves it be.
    /// </summary>
    public void SetField(JsonObject target, string dottedPath, JsonNode value)
    {
        var targetName = NameOf(target)!;
        var record = Status.For(targetName);
        var current = GetField(target, dottedPath);
        if (_previous.Targets.TryGetValue(target, out var owned) && owned.Fields.TryGetValue(dottedPath, out var field))
        {
            field.Claimed = true;
            record.Set[dottedPath] = field.Original?.DeepClone();
        }
        else
        {
            record.Set[dottedPath] = current?.DeepClone();
        }

        if (RecordedWrites.Contains(dottedPath))
        {
            record.Wrote[dottedPath] = value;
        }

        Current.Fingerprint.Add(targetName, dottedPath, value);
        if (!JsonValues.Contains(current, value))
        {
            var (parent, leaf) = ResolveOrCreate(target, dottedPath);
            parent[leaf] = value;
            Changed(parent);
        }
    }

    /// <summary>
    /// The container's command and args as the user wrote them: unwrapped from proa's wrap when an earlier pass
    /// wrapped them (reading the current args, so later edits count), else as they are.
    /// </summary>
    public (JsonArray? Command, JsonArray? Args) CommandLine(JsonObject target)
    {
        if (_previous.Targets.TryGetValue(target, out var owned) && owned.CommandLine is { } wrapped)
        {
            return ProaCommandLine.Unwrap(target, wrapped.RecordedCommand, wrapped.RecordedArgs);
        }

        return (target["command"] as JsonArray, target["args"] as JsonArray);
    }

    /// <summary>Replaces the command line, recording the one the user wrote (see <see cref="CommandLine"/>).</summary>
    public void SetCommandLine(JsonObject target, JsonArray command, JsonArray args, JsonArray? originalCommand, JsonArray? originalArgs)
    {
        if (_previous.Targets.TryGetValue(target, out var owned) && owned.CommandLine is { } wrapped)
        {
            wrapped.Claimed = true;
        }

        var record = Status.For(NameOf(target)!);
        record.Set["command"] = originalCommand?.DeepClone();
        record.Set["args"] = originalArgs?.DeepClone();
        Current.Fingerprint.Add(NameOf(target) ?? string.Empty, "command", command);
        Current.Fingerprint.Add(NameOf(target) ?? string.Empty, "args", args);
        foreach (var (key, value) in new[] { ("command", command), ("args", args) })
        {
            if (!JsonNode.DeepEquals(target[key], value))
            {
                target[key] = value;
                Changed(target);
            }
        }
    }

    /// <summary>Adds an env var unless the container defines one of that name (the user's wins).</summary>
    public bool AddEnv(JsonObject target, JsonObject env)
    {
        var name = NameOf(env)!;
        var list = target["env"] as JsonArray;
        var existing = FindNamed(list, name, out var index);
        Current.Fingerprint.Add(NameOf(target) ?? string.Empty, "env", env);
        if (_previous.Targets.TryGetValue(target, out var owned) && owned.Env.ContainsKey(name) && existing is not null)
        {
            owned.Env[name] = true;
            if (!JsonValues.Contains(existing, env))
            {
                list![index] = env;
                Changed(list);
            }
        }
        else if (existing is not null)
        {
            return false;
        }
        else
        {
            list = GetOrAddArray(target, "env");
            list.Add((JsonNode)env);
            Changed(list);
        }

        Status.For(NameOf(target)!).Env.Add(name);
        return true;
    }

    /// <summary>Mounts a volume into a user container; the error says what is in the way.</summary>
    public string? AddVolumeMount(JsonObject target, JsonObject mount)
    {
        var name = NameOf(mount)!;
        var path = JsonValues.Text(mount["mountPath"]);
        Current.Fingerprint.Add(NameOf(target) ?? string.Empty, "volumeMounts", mount);
        var ownedMount = _previous.Targets.TryGetValue(target, out var owned) && owned.Mounts.ContainsKey(name);
        var mounts = target["volumeMounts"] as JsonArray;
        if (mounts is not null)
        {
            for (int i = 0; i < mounts.Count; i++)
            {
                _work.Step();
                if (mounts[i] is not JsonObject current)
                {
                    continue;
                }

                if (ownedMount && NameOf(current) == name)
                {
                    owned!.Mounts[name] = true;
                    if (!JsonValues.Contains(current, mount))
                    {
                        mounts[i] = mount;
                        Changed(mounts);
                    }

                    Status.For(NameOf(target)!).VolumeMounts.Add(name);
                    return null;
                }

                if (JsonValues.Text(current["mountPath"]) == path)
                {
                    return $"container '{NameOf(target)}' already mounts volume '{NameOf(current)}' at {path}, where the injector mounts '{name}'";
                }
            }
        }

        mounts = GetOrAddArray(target, "volumeMounts");
        mounts.Add((JsonNode)mount);
        Changed(mounts);
        Status.For(NameOf(target)!).VolumeMounts.Add(name);
        return null;
    }

    /// <summary>
    /// Removes what an earlier pass added and this one did not add again: its sidecar containers and volumes (a
    /// volume another container still mounts stays), and in user containers its env vars and mounts; restores the
    /// fields it set to their originals, and unwraps proa's command line.
    /// </summary>
    public void Finish(List<string> warnings)
    {
        foreach (var owned in _previous.Containers.Values.Where(c => !c.Claimed))
        {
            RemoveItem(owned.List, owned.Node);
        }

        var unclaimedVolumes = _previous.Volumes.Where(v => !v.Value.Claimed).ToList();
        if (unclaimedVolumes.Count > 0)
        {
            var stillMounted = MountedVolumes(_previous.Targets);
            foreach (var (name, owned) in unclaimedVolumes)
            {
                if (stillMounted.Contains(name))
                {
                    warnings.Add($"volume '{name}' that the injector added is kept: a container the injector did not add still mounts it");
                    continue;
                }

                RemoveItem(VolumesKey, owned.Node);
            }
        }

        foreach (var target in _previous.Targets.Values)
        {
            foreach (var (path, field) in target.Fields)
            {
                if (!field.Claimed)
                {
                    Restore(target.Container, path, field.Original);
                }
            }

            if (target.CommandLine is { Claimed: false } wrapped)
            {
                var (command, args) = ProaCommandLine.Unwrap(target.Container, wrapped.RecordedCommand, wrapped.RecordedArgs);
                Restore(target.Container, "command", command);
                Restore(target.Container, "args", args);
            }

            RemoveNamed(target.Container, "env", target.Env);
            RemoveNamed(target.Container, "volumeMounts", target.Mounts);
        }
    }

    /// <summary>
    /// Drops empty collections the injector left behind where the original object had none, so stripping a pod
    /// down to nothing yields the user's object again rather than one with <c>initContainers: []</c>.
    /// </summary>
    public void RemoveEmptyCollectionsAbsentIn(JsonObject original)
    {
        var originalSpec = original["spec"] as JsonObject;
        foreach (var key in EmptiedSpecLists)
        {
            if (Spec[key] is JsonArray { Count: 0 } && originalSpec?.ContainsKey(key) != true)
            {
                Spec.Remove(key);
                Changed(Spec);
            }
        }

        var originalMeta = original["metadata"] as JsonObject;
        foreach (var key in EmptiedMetadata)
        {
            if (Metadata[key] is JsonObject { Count: 0 } && originalMeta?.ContainsKey(key) != true)
            {
                Metadata.Remove(key);
                Changed(Metadata);
            }
        }

        // Only containers this pass changed can have gained an empty collection; the rest are left unread.
        foreach (var list in CleanedLists)
        {
            foreach (var container in Items(Spec, list))
            {
                if (_tracking.IsChanged(container))
                {
                    DropEmptyCollections(container);
                }
            }
        }
    }

    /// <summary>Drops the empty env, volumeMounts and lifecycle a changed container gained (its original had none).</summary>
    private void DropEmptyCollections(JsonObject container)
    {
        var before = _tracking.OriginOf(container) as JsonObject;
        foreach (var key in EmptiedContainerLists)
        {
            if (container[key] is JsonArray { Count: 0 } && before?.ContainsKey(key) != true)
            {
                container.Remove(key);
                Changed(container);
            }
        }

        if (container["lifecycle"] is JsonObject { Count: 0 } && before?.ContainsKey("lifecycle") != true)
        {
            container.Remove("lifecycle");
            Changed(container);
        }
    }

    private int Count(string list) => Pod["spec"] is JsonObject spec && spec[list] is JsonArray array ? array.Count : 0;

    internal static PodListItems<JsonObject> Items(JsonObject? owner, string key) => new(owner?[key] as JsonArray, unread: false);

    /// <summary>The object items of a list, opened or not (an unread item is a <see cref="RawJson"/> of an object).</summary>
    internal static PodListItems<JsonNode> Entries(JsonObject? owner, string key) => new(owner?[key] as JsonArray, unread: true);

    internal static string? EntryName(JsonNode entry) => entry is JsonObject item ? NameOf(item) : RawJson.Of(entry)!.Name;

    private static bool IsEntry(JsonNode? item) => item is JsonObject || RawJson.Of(item)?.Kind == System.Text.Json.JsonValueKind.Object;

    /// <summary>The item as an object, parsing it in place (in the pod and its original) the first time.</summary>
    private JsonObject Open(string list, JsonNode entry)
    {
        if (entry is JsonObject item)
        {
            return item;
        }

        if (!_opened.TryGetValue(entry, out var opened))
        {
            _work.Step();
            opened = _tracking.Open((JsonArray)Spec[list]!, entry, depth: 1);
            _opened[entry] = opened;
        }

        return opened;
    }

    /// <summary>Whether an entry is a sidecar an earlier pass injected (those were opened when they were read).</summary>
    private bool Owned(JsonNode entry) => (entry as JsonObject ?? _opened.GetValueOrDefault(entry)) is { } item && _previous.Owns(item);

    internal JsonObject GetOrAddObject(JsonObject owner, string key)
    {
        if (owner[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        owner[key] = created;
        Changed(owner);
        return created;
    }

    private Draft Current => _draft ?? throw new InvalidOperationException("a plan added to the pod outside BeginSidecar/EndSidecar");

    private void IndexContainers(string list, Dictionary<string, JsonNode> index)
    {
        foreach (var item in Entries(Spec, list))
        {
            _work.Step();
            if (EntryName(item) is { } name)
            {
                index.TryAdd(name, item);
                _names.Add(name);
            }
        }
    }

    private void AddPorts(JsonNode entry, string owner)
    {
        if (entry is not JsonObject container)
        {
            foreach (var number in RawJson.Of(entry)!.Ports)
            {
                _work.Step();
                _ports.TryAdd(number, owner);
            }

            return;
        }

        foreach (var port in Items(container, "ports"))
        {
            _work.Step();
            if (JsonValues.TryGetInt32(port["containerPort"], out var number))
            {
                _ports.TryAdd(number, owner);
            }
        }
    }

    /// <summary>Names of the volumes mounted by containers other than through mounts this pass releases.</summary>
    private HashSet<string> MountedVolumes(Dictionary<JsonObject, OwnedTarget> released)
    {
        var mounted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in ContainerLists)
        {
            // Every container's mounts count here, so the unread ones are opened (this only runs when a volume the
            // injector added is no longer wanted).
            if (Spec[list] is JsonArray items)
            {
                for (int i = 0; i < items.Count; i++)
                {
                    if (items[i] is { } item && IsEntry(item))
                    {
                        Open(list, item);
                    }
                }
            }

            foreach (var container in Items(Spec, list))
            {
                if (_previous.Owns(container) && !_previous.Containers[NameOf(container)!].Claimed)
                {
                    continue; // being removed
                }

                released.TryGetValue(container, out var target);
                foreach (var mount in Items(container, "volumeMounts"))
                {
                    _work.Step();
                    if (NameOf(mount) is { } name && !(target?.Mounts.TryGetValue(name, out var claimed) == true && !claimed))
                    {
                        mounted.Add(name);
                    }
                }
            }
        }

        return mounted;
    }

    /// <summary>Removes one of the injector's items; a list it empties was the injector's too and goes.</summary>
    private void RemoveItem(string key, JsonObject item)
    {
        var list = (JsonArray)Spec[key]!;
        list.Remove(item);
        Changed(list);
        if (list.Count == 0)
        {
            Spec.Remove(key);
            Changed(Spec);
        }
    }

    private void Append(string key, JsonObject item)
    {
        var list = GetOrAddArray(Spec, key);
        list.Add((JsonNode)item);
        Changed(list);
    }

    private void Restore(JsonObject target, string dottedPath, JsonNode? original)
    {
        if (original is null)
        {
            RemoveField(target, dottedPath);
            return;
        }

        var (parent, leaf) = ResolveOrCreate(target, dottedPath);
        parent[leaf] = original.DeepClone();
        Changed(parent);
    }

    private void RemoveNamed(JsonObject owner, string key, Dictionary<string, bool> names)
    {
        if (!names.ContainsValue(false) || owner[key] is not JsonArray list)
        {
            return;
        }

        for (int i = list.Count - 1; i >= 0; i--)
        {
            _work.Step();
            if (list[i] is JsonObject item && NameOf(item) is { } name && names.TryGetValue(name, out var claimed) && !claimed)
            {
                list.RemoveAt(i);
                Changed(list);
            }
        }

        if (list.Count == 0)
        {
            owner.Remove(key);
            Changed(owner);
        }
    }

    private JsonObject? FindNamed(JsonArray? list, string name, out int index)
    {
        index = -1;
        if (list is null)
        {
            return null;
        }

        for (int i = 0; i < list.Count; i++)
        {
            _work.Step();
            if (list[i] is JsonObject item && NameOf(item) == name)
            {
                index = i;
                return item;
            }
        }

        return null;
    }

    private void RemoveField(JsonObject target, string dottedPath)
    {
        var (parent, leaf) = ResolveExisting(target, dottedPath);
        if (parent is null || !parent.Remove(leaf))
        {
            return;
        }

        Changed(parent);
        var dot = dottedPath.LastIndexOf('.');
        if (dot > 0 && parent.Count == 0)
        {
            RemoveField(target, dottedPath[..dot]);
        }
    }

    private static (JsonObject? Parent, string Leaf) ResolveExisting(JsonObject target, string dottedPath)
    {
        var parts = PathParts(dottedPath);
        JsonObject? current = target;
        for (int i = 0; i < parts.Length - 1 && current is not null; i++)
        {
            current = current[parts[i]] as JsonObject;
        }

        return (current, parts[^1]);
    }

    private (JsonObject Parent, string Leaf) ResolveOrCreate(JsonObject target, string dottedPath)
    {
        var parts = PathParts(dottedPath);
        var current = target;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            current = GetOrAddObject(current, parts[i]);
        }

        return (current, parts[^1]);
    }

    private static string[] PathParts(string dottedPath) =>
        SplitPaths.TryGetValue(dottedPath, out var parts) ? parts : dottedPath.Split('.');

    private JsonArray GetOrAddArray(JsonObject owner, string key)
    {
        if (owner[key] is JsonArray existing)
        {
            return existing;
        }

        var created = new JsonArray();
        owner[key] = created;
        Changed(owner);
        return created;
    }

    /// <summary>The sidecar being built: its containers and volumes before they are placed, and its hash.</summary>
    private sealed class Draft(ISidecarPlan plan, string configRevision)
    {
        public ISidecarPlan Plan { get; } = plan;

        public string ConfigRevision { get; } = configRevision;

        public Fingerprint Fingerprint { get; } = new();

        public List<(JsonObject Container, string List)> Containers { get; } = [];

        public List<JsonObject> Volumes { get; } = [];

        public bool HasContainer(string name) => Containers.Exists(c => NameOf(c.Container) == name);

        public bool HasVolume(string name) => Volumes.Exists(v => NameOf(v) == name);

        public string? ContainerUsing(int port) =>
            Containers.FirstOrDefault(c => Items(c.Container, "ports").Any(p => JsonValues.TryGetInt32(p["containerPort"], out var n) && n == port)).Container is { } owner
                ? NameOf(owner)
                : null;
    }
}
