using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Patching;

namespace Injector.Core.Engine;

/// <summary>
/// Mutable view of the desired pod (a clone of the raw request object). Every change made through it is recorded
/// in <see cref="Status"/>, and <see cref="Strip"/> undoes what an earlier status lists, keeping positions so a
/// re-injection lands where the previous one was.
/// </summary>
public sealed class PodEditor
{
    private const string ContainersKey = "containers";
    private const string InitContainersKey = "initContainers";
    private const string VolumesKey = "volumes";

    private readonly Dictionary<string, int> _insertAt = new(StringComparer.Ordinal);
    private readonly TrackedClone _tracking;

    public PodEditor(TrackedClone tracking)
    {
        _tracking = tracking;
        Pod = tracking.Root;
    }

    public JsonObject Pod { get; }

    /// <summary>What the diff needs to skip the parts of the pod this editor did not touch.</summary>
    public TrackedClone Tracking => _tracking;

    public InjectionStatus Status { get; } = new();

    public JsonObject Metadata => GetOrAddObject(Pod, "metadata");

    public JsonObject Spec => GetOrAddObject(Pod, "spec");

    /// <summary>Every change to a node of the pod goes through here (or a method that calls it).</summary>
    public void Changed(JsonNode node) => _tracking.MarkChanged(node);

    /// <summary>The app containers (not init, not ephemeral), in order.</summary>
    public IEnumerable<JsonObject> Containers => Items(Spec, ContainersKey);

    public IEnumerable<JsonObject> InitContainers => Items(Spec, InitContainersKey);

    public JsonObject? FindContainer(string name) => Containers.FirstOrDefault(c => NameOf(c) == name);

    public bool ContainerNameInUse(string name) =>
        Containers.Concat(InitContainers).Concat(Items(Spec, "ephemeralContainers")).Any(c => NameOf(c) == name);

    public bool VolumeNameInUse(string name) => Items(Spec, VolumesKey).Any(v => NameOf(v) == name);

    /// <summary>The name of a container already listening on <paramref name="port"/> (all share one network).</summary>
    public string? ContainerUsingPort(int port) =>
        Containers.Concat(InitContainers)
            .FirstOrDefault(c => Items(c, "ports").Any(p => p["containerPort"] is JsonValue v && v.TryGetValue<int>(out var n) && n == port)) is { } owner
            ? NameOf(owner)
            : null;

    public static string? NameOf(JsonObject item) =>
        item["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Adds a long-running sidecar: a native sidecar init container, or a classic container.</summary>
    public void AddSidecar(JsonObject container, SidecarMode mode)
    {
        if (mode == SidecarMode.Native)
        {
            container["restartPolicy"] = "Always";
            Insert(InitContainersKey, container);
            Status.InitContainers.Add(NameOf(container)!);
        }
        else
        {
            Insert(ContainersKey, container);
            Status.Containers.Add(NameOf(container)!);
        }
    }

    /// <summary>Adds a run-to-completion init container (for example one that copies a binary).</summary>
    public void AddInitContainer(JsonObject container)
    {
        Insert(InitContainersKey, container);
        Status.InitContainers.Add(NameOf(container)!);
    }

    public void AddVolume(JsonObject volume)
    {
        Insert(VolumesKey, volume);
        Status.Volumes.Add(NameOf(volume)!);
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

    /// <summary>Sets a field of a user container, remembering the value it had so a later pass can restore it.</summary>
    public void SetField(JsonObject target, string dottedPath, JsonNode value)
    {
        var changes = Status.For(NameOf(target)!);
        if (!changes.Set.ContainsKey(dottedPath))
        {
            changes.Set[dottedPath] = GetField(target, dottedPath)?.DeepClone();
        }

        var (parent, leaf) = ResolveOrCreate(target, dottedPath);
        parent[leaf] = value;
        Changed(parent);
    }

    /// <summary>Adds an env var unless the container defines one of that name (the user's wins).</summary>
    public bool AddEnv(JsonObject target, JsonObject env)
    {
        var name = NameOf(env)!;
        var list = GetOrAddArray(target, "env");
        if (list.OfType<JsonObject>().Any(e => NameOf(e) == name))
        {
            return false;
        }

        list.Add((JsonNode)env);
        Changed(list);
        Status.For(NameOf(target)!).Env.Add(name);
        return true;
    }

    public void AddVolumeMount(JsonObject target, JsonObject mount)
    {
        var mounts = GetOrAddArray(target, "volumeMounts");
        mounts.Add((JsonNode)mount);
        Changed(mounts);
        Status.For(NameOf(target)!).VolumeMounts.Add(NameOf(mount)!);
    }

    /// <summary>Undoes everything <paramref name="previous"/> lists; names that are gone already are ignored.</summary>
    public void Strip(InjectionStatus previous)
    {
        RemoveNamed(ContainersKey, previous.Containers);
        RemoveNamed(InitContainersKey, previous.InitContainers);
        RemoveNamed(VolumesKey, previous.Volumes);
        foreach (var (name, changes) in previous.Targets)
        {
            var target = Containers.Concat(InitContainers).FirstOrDefault(c => NameOf(c) == name);
            if (target is null)
            {
                continue;
            }

            RemoveFromList(target, "env", changes.Env);
            RemoveFromList(target, "volumeMounts", changes.VolumeMounts);
            foreach (var (path, original) in changes.Set)
            {
                if (original is null)
                {
                    RemoveField(target, path);
                }
                else
                {
                    var (parent, leaf) = ResolveOrCreate(target, path);
                    parent[leaf] = original.DeepClone();
                    Changed(parent);
                }
            }
        }
    }

    /// <summary>
    /// Drops empty collections the injector left behind where the original object had none, so stripping a pod
    /// down to nothing yields the user's object again rather than one with <c>initContainers: []</c>.
    /// </summary>
    public void RemoveEmptyCollectionsAbsentIn(JsonObject original)
    {
        var originalSpec = original["spec"] as JsonObject;
        foreach (var key in new[] { InitContainersKey, VolumesKey })
        {
            if (Spec[key] is JsonArray { Count: 0 } && originalSpec?.ContainsKey(key) != true)
            {
                Spec.Remove(key);
                Changed(Spec);
            }
        }

        var originalMeta = original["metadata"] as JsonObject;
        foreach (var key in new[] { "annotations", "labels" })
        {
            if (Metadata[key] is JsonObject { Count: 0 } && originalMeta?.ContainsKey(key) != true)
            {
                Metadata.Remove(key);
                Changed(Metadata);
            }
        }

        // Only containers this pass changed can have gained an empty collection; the rest are left unread.
        foreach (var container in Containers.Concat(InitContainers).Where(_tracking.IsChanged).ToList())
        {
            var before = _tracking.OriginOf(container) as JsonObject;
            foreach (var key in new[] { "env", "volumeMounts" })
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
    }

    internal static IEnumerable<JsonObject> Items(JsonObject? owner, string key) =>
        owner?[key] is JsonArray array ? array.OfType<JsonObject>() : [];

    private void Insert(string key, JsonObject item)
    {
        var list = GetOrAddArray(Spec, key);
        if (_insertAt.TryGetValue(key, out var index) && index <= list.Count)
        {
            list.Insert(index, item);
            _insertAt[key] = index + 1;
        }
        else
        {
            list.Add((JsonNode)item);
        }

        Changed(list);
    }

    private void RemoveNamed(string key, List<string> names)
    {
        if (names.Count == 0 || Spec[key] is not JsonArray list)
        {
            return;
        }

        for (int i = list.Count - 1; i >= 0; i--)
        {
            if (list[i] is JsonObject item && NameOf(item) is { } name && names.Contains(name))
            {
                list.RemoveAt(i);
                _insertAt[key] = i;
                Changed(list);
            }
        }

        // An emptied list is one we created: drop it so a strip without re-injection gives the user's object back.
        if (list.Count == 0)
        {
            Spec.Remove(key);
            Changed(Spec);
        }
    }

    private void RemoveFromList(JsonObject owner, string key, List<string> names)
    {
        if (names.Count == 0 || owner[key] is not JsonArray list)
        {
            return;
        }

        for (int i = list.Count - 1; i >= 0; i--)
        {
            if (list[i] is JsonObject item && NameOf(item) is { } name && names.Contains(name))
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

    private void RemoveField(JsonObject target, string dottedPath)
    {
        var (parent, leaf) = ResolveExisting(target, dottedPath);
        if (parent is null)
        {
            return;
        }

        parent.Remove(leaf);
        Changed(parent);
        var dot = dottedPath.LastIndexOf('.');
        if (dot > 0 && parent.Count == 0)
        {
            RemoveField(target, dottedPath[..dot]);
        }
    }

    private static (JsonObject? Parent, string Leaf) ResolveExisting(JsonObject target, string dottedPath)
    {
        var parts = dottedPath.Split('.');
        JsonObject? current = target;
        for (int i = 0; i < parts.Length - 1 && current is not null; i++)
        {
            current = current[parts[i]] as JsonObject;
        }

        return (current, parts[^1]);
    }

    private (JsonObject Parent, string Leaf) ResolveOrCreate(JsonObject target, string dottedPath)
    {
        var parts = dottedPath.Split('.');
        var current = target;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            current = GetOrAddObject(current, parts[i]);
        }

        return (current, parts[^1]);
    }

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
}
