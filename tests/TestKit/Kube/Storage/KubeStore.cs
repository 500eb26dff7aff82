using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TestKit.Kube.Patching;

namespace TestKit.Kube.Storage;

/// <summary>
/// The object store behind the stand-in API server, modelled on etcd plus the generic registry: one global
/// resourceVersion counter, a change log (so lists can be served at an exact older resourceVersion, continue tokens
/// stay consistent, and watches replay from a resourceVersion) with compaction, and the create/update/patch/delete
/// rules of kube-apiserver's generic registry and strategies (uid, creationTimestamp, generation, status subresource,
/// optimistic concurrency, no-op updates that write nothing, finalizers, dry run, owner-reference cascade).
/// Tests seed and inspect it directly; simulated controllers write through it. Thread-safe.
/// </summary>
public sealed class KubeStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (ResourceType Type, SortedDictionary<string, JsonObject> Objects)> _objects = new(StringComparer.Ordinal);
    private readonly List<StoredChange> _log = [];
    private readonly List<WatchSubscription> _watches = [];
    private readonly TimeProvider _time;
    private long _resourceVersion;
    private long _compactedResourceVersion;

    public KubeStore(ResourceRegistry registry, TimeProvider? time = null, int historyLimit = 10_000, long initialResourceVersion = 1000)
    {
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _time = time ?? TimeProvider.System;
        HistoryLimit = historyLimit;
        _resourceVersion = initialResourceVersion;
        _compactedResourceVersion = initialResourceVersion;
    }

    /// <summary>Raised after every committed change, outside the store's lock, on the writer's thread. Keep handlers short.</summary>
    public event Action<StoredChange>? Changed;

    public ResourceRegistry Registry { get; }

    /// <summary>How many changes the log keeps; older ones are compacted away (watches and lists from before get 410).</summary>
    public int HistoryLimit { get; set; }

    /// <summary>The newest resourceVersion (etcd's revision).</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Changes at or below this resourceVersion are gone.</summary>
    public long CompactedResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _compactedResourceVersion;
            }
        }
    }

    /// <summary>When true, creating a namespaced object in a namespace that does not exist fails with 404 (the NamespaceLifecycle admission plugin).</summary>
    public bool RequireNamespaces { get; set; }

    /// <summary>Number of open watches (for tests that wait for a client to be watching).</summary>
    public int OpenWatches(ResourceType? type = null)
    {
        lock (_lock)
        {
            return type is null ? _watches.Count : _watches.Count(w => w.StorageType.GroupResource == StorageOf(type).GroupResource);
        }
    }

    /// <summary>Drops the whole change history: every watch or list from an older resourceVersion now gets 410 Gone.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _compactedResourceVersion = _resourceVersion;
            _log.Clear();
        }
    }

    /// <summary>
    /// Compacts and also ends every open watch with an ERROR event carrying 410 Expired, the way a watch whose
    /// resourceVersion fell out of the watch cache ends.
    /// </summary>
    public void ExpireWatches()
    {
        lock (_lock)
        {
            _compactedResourceVersion = ++_resourceVersion;
            _log.Clear();
            foreach (var watch in _watches)
            {
                watch.Events.Writer.TryWrite(GoneEvent(watch.LastResourceVersion));
                watch.Close();
            }

            _watches.Clear();
        }
    }

    /// <summary>Sends a BOOKMARK at the current resourceVersion to every open watch that allowed bookmarks.</summary>
    public void SendBookmarks()
    {
        lock (_lock)
        {
            foreach (var watch in _watches.Where(w => w.AllowBookmarks))
            {
                watch.Events.Writer.TryWrite(BookmarkEvent(watch.StorageType, _resourceVersion, initialEventsEnd: false));
                watch.LastResourceVersion = _resourceVersion;
            }
        }
    }

    /// <summary>Sends a BOOKMARK at the current resourceVersion to one watch (if it allowed bookmarks).</summary>
    public void SendBookmark(WatchSubscription watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        lock (_lock)
        {
            if (watch.AllowBookmarks)
            {
                watch.Events.Writer.TryWrite(BookmarkEvent(watch.StorageType, _resourceVersion, initialEventsEnd: false));
                watch.LastResourceVersion = _resourceVersion;
            }
        }
    }

    /// <summary>Ends every open watch normally (as the server does at a watch's timeout).</summary>
    public void CloseWatches()
    {
        lock (_lock)
        {
            foreach (var watch in _watches)
            {
                watch.Close();
            }

            _watches.Clear();
        }
    }

    // ---------------------------------------------------------------- reads

    /// <summary>The stored object (a copy, in <paramref name="type"/>'s form), or null.</summary>
    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        lock (_lock)
        {
            return Table(StorageOf(type)).TryGetValue(Key(type, ns, name), out var obj) ? Out(type, obj) : null;
        }
    }

    /// <summary>The stored object by apiVersion/kind (e.g. <c>Get("apps/v1", "Deployment", "shop", "web")</c>).</summary>
    public JsonObject? Get(string apiVersion, string kind, string? ns, string name) =>
        Get(Registry.FindByKind(apiVersion, kind) ?? throw new ArgumentException($"unknown {apiVersion} {kind}"), ns, name);

    /// <summary>Every object of <paramref name="type"/> (in <paramref name="ns"/> when given), in key order, as copies.</summary>
    public IReadOnlyList<JsonObject> List(ResourceType type, string? ns = null)
    {
        lock (_lock)
        {
            return Table(StorageOf(type)).Where(p => InNamespace(type, ns, p.Key)).Select(p => Out(type, p.Value)).ToList();
        }
    }

    /// <summary>One page of a list at a consistent snapshot (the API server's list semantics live in the HTTP layer).</summary>
    internal ListPage ListPage(ResourceType type, string? ns, long? atResourceVersion, string? startKeyExclusive, int limit, Func<JsonObject, bool> matches)
    {
        lock (_lock)
        {
            var at = atResourceVersion ?? _resourceVersion;
            if (at < _compactedResourceVersion)
            {
                throw new ResourceVersionCompactedException(at, _compactedResourceVersion);
            }

            var snapshot = Snapshot(StorageOf(type), at);
            var prefix = ns is not null && type.Namespaced ? ns + "/" : "";
            var candidates = snapshot.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)
                && (startKeyExclusive is null || string.CompareOrdinal(p.Key[prefix.Length..], startKeyExclusive) > 0));
            var items = new List<JsonObject>();
            string? lastKey = null;
            var remaining = 0;
            foreach (var (key, obj) in candidates)
            {
                var view = Out(type, obj);
                if (!matches(view))
                {
                    continue;
                }

                if (limit > 0 && items.Count >= limit)
                {
                    remaining++;
                    continue;
                }

                items.Add(view);
                lastKey = key[prefix.Length..];
            }

            return new ListPage(items, at, remaining > 0 ? lastKey : null, remaining);
        }
    }

    // ---------------------------------------------------------------- writes

    /// <summary>Creates <paramref name="obj"/> (apiVersion/kind pick the type) with the server's create rules; returns the stored copy.</summary>
    /// <exception cref="KubeApiException">Invalid, already exists, namespace missing...</exception>
    public JsonObject Create(JsonObject obj) => Create(Registry.Of(obj), obj.Namespace(), obj);

    /// <summary>Creates an object of <paramref name="type"/> in <paramref name="ns"/> (the URL's namespace).</summary>
    public JsonObject Create(ResourceType type, string? ns, JsonObject body, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(body);
        StoredChange? change;
        JsonObject result;
        lock (_lock)
        {
            (result, change) = CreateLocked(type, ns, body.Clone(), dryRun);
        }

        Notify(change);
        return result;
    }

    /// <summary>
    /// Seeds an object exactly as given, status included (create or overwrite, any resourceVersion): for setting up
    /// the world a test starts from. Fills uid, creationTimestamp and generation when absent. With
    /// <paramref name="notifyWatchers"/> false the change reaches no open watch (a fault: an event lost on the way).
    /// </summary>
    public JsonObject Put(JsonObject obj, bool notifyWatchers = true)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var type = Registry.Of(obj);
        StoredChange change;
        JsonObject result;
        lock (_lock)
        {
            var storage = StorageOf(type);
            var stored = In(type, obj.Clone());
            var name = stored.Name() ?? throw new ArgumentException("the object has no metadata.name");
            var ns = type.Namespaced ? stored.Namespace() ?? throw new ArgumentException("a namespaced object needs metadata.namespace") : null;
            var key = Key(type, ns, name);
            Table(storage).TryGetValue(key, out var before);
            var metadata = stored.Metadata();
            metadata.TryAdd("uid", before?.StringAt("metadata.uid") ?? Guid.NewGuid().ToString());
            metadata.TryAdd("creationTimestamp", before?.StringAt("metadata.creationTimestamp") ?? KubeJson.Timestamp(_time.GetUtcNow()));
            if (storage.Generation != GenerationPolicy.None)
            {
                metadata.TryAdd("generation", 1);
            }

            change = CommitLocked(storage, key, before, stored, deleted: false, notifyWatchers);
            result = Out(type, change.After);
        }

        Notify(change);
        return result;
    }

    /// <summary>Replaces an object (PUT) with the server's update rules; <paramref name="subresource"/> "status" writes only status.</summary>
    public JsonObject Replace(ResourceType type, string? ns, string name, JsonObject body, string? subresource = null, bool dryRun = false)
    {
        StoredChange? change;
        JsonObject result;
        lock (_lock)
        {
            var current = CurrentLocked(type, ns, name) ?? throw KubeApiException.NotFound(type, name);
            (result, change) = UpdateLocked(type, ns, name, current, body.Clone(), subresource, dryRun);
        }

        Notify(change);
        return result;
    }

    /// <summary>PUT of the object itself (apiVersion/kind, namespace and name from its metadata).</summary>
    public JsonObject Replace(JsonObject obj) => Replace(Registry.Of(obj), obj.Namespace(), obj.Name() ?? throw new ArgumentException("no metadata.name"), obj);

    /// <summary>PUT of the object's status subresource.</summary>
    public JsonObject ReplaceStatus(JsonObject obj) =>
        Replace(Registry.Of(obj), obj.Namespace(), obj.Name() ?? throw new ArgumentException("no metadata.name"), obj, "status");

    /// <summary>
    /// Reads, changes and writes an object in one step under the store's lock (a controller's update without
    /// conflicts). <paramref name="change"/> gets a copy; <paramref name="subresource"/> "status" writes only status.
    /// Returns the stored result, or null when the object does not exist.
    /// </summary>
    public JsonObject? Mutate(ResourceType type, string? ns, string name, Action<JsonObject> change, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        StoredChange? committed;
        JsonObject result;
        lock (_lock)
        {
            var current = CurrentLocked(type, ns, name);
            if (current is null)
            {
                return null;
            }

            var copy = Out(type, current);
            change(copy);
            copy.Metadata()["resourceVersion"] = current.ResourceVersion();
            (result, committed) = UpdateLocked(type, ns, name, current, copy, subresource, dryRun: false);
        }

        Notify(committed);
        return result;
    }

    /// <summary>PATCH with one of the four patch content types.</summary>
    /// <exception cref="KubeApiException">404, 409, 415 (unsupported patch type), 400/422 (bad patch or invalid result).</exception>
    public JsonObject Patch(ResourceType type, string? ns, string name, string contentType, string patch, string? subresource = null,
        bool dryRun = false, string? fieldManager = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        var patchType = PatchTypes.Parse(contentType);
        if (patchType is null || (patchType == PatchType.StrategicMerge && !StorageOf(type).BuiltIn))
        {
            throw KubeApiException.UnsupportedMediaType(contentType, StorageOf(type).BuiltIn ? PatchTypes.All : PatchTypes.ForCustomResources);
        }

        if (patchType == PatchType.Apply && string.IsNullOrEmpty(fieldManager))
        {
            throw KubeApiException.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }

        StoredChange? change;
        JsonObject result;
        lock (_lock)
        {
            var current = CurrentLocked(type, ns, name);
            if (current is null)
            {
                if (patchType != PatchType.Apply)
                {
                    throw KubeApiException.NotFound(type, name);
                }

                var applied = PatchTypes.ParseApplyBody(patch);
                applied.Metadata()["name"] = name;
                if (type.Namespaced)
                {
                    applied.Metadata()["namespace"] = ns;
                }

                (result, change) = CreateLocked(type, ns, applied, dryRun);
            }
            else
            {
                var document = Out(type, current);
                var patched = PatchTypes.Apply(patchType.Value, document, patch, type.Kind);
                if (patched.Name() is { } patchedName && patchedName != name)
                {
                    throw KubeApiException.BadRequest($"the name of the object ({patchedName}) does not match the name on the URL ({name})");
                }

                (result, change) = UpdateLocked(type, ns, name, current, patched, subresource, dryRun);
            }
        }

        Notify(change);
        return result;
    }

    /// <summary>DELETE: immediate, or only marked (deletionTimestamp) while finalizers remain. Dependents are deleted unless orphaned.</summary>
    public JsonObject Delete(ResourceType type, string? ns, string name, DeleteOptions? options = null, bool dryRun = false)
    {
        options ??= new DeleteOptions();
        List<StoredChange> changes = [];
        JsonObject result;
        lock (_lock)
        {
            var current = CurrentLocked(type, ns, name) ?? throw KubeApiException.NotFound(type, name);
            if (options.Uid is not null && options.Uid != current.StringAt("metadata.uid"))
            {
                throw KubeApiException.Conflict(type, name, $"Precondition failed: UID in precondition: {options.Uid}, UID in object meta: {current.StringAt("metadata.uid")}");
            }

            if (options.ResourceVersion is not null && options.ResourceVersion != current.ResourceVersion())
            {
                throw KubeApiException.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {options.ResourceVersion}, ResourceVersion in object meta: {current.ResourceVersion()}");
            }

            if (dryRun)
            {
                return Out(type, current);
            }

            var storage = StorageOf(type);
            var key = Key(type, ns, name);
            if (current.At("metadata.finalizers") is JsonArray { Count: > 0 })
            {
                if (current.At("metadata.deletionTimestamp") is null)
                {
                    var marked = current.Clone();
                    marked.Metadata()["deletionTimestamp"] = KubeJson.Timestamp(_time.GetUtcNow());
                    marked.Metadata()["deletionGracePeriodSeconds"] = 0;
                    changes.Add(CommitLocked(storage, key, current, marked, deleted: false, notifyWatchers: true));
                    result = Out(type, changes[^1].After);
                }
                else
                {
                    result = Out(type, current);
                }
            }
            else
            {
                changes.Add(CommitLocked(storage, key, current, current.Clone(), deleted: true, notifyWatchers: true));
                result = Out(type, current);
                if (options.PropagationPolicy != "Orphan")
                {
                    CascadeLocked(changes[^1], changes);
                }
            }
        }

        changes.ForEach(Notify);
        return result;
    }

    /// <summary>DELETE of a collection: every object matching <paramref name="matches"/>; returns the deleted objects.</summary>
    public IReadOnlyList<JsonObject> DeleteCollection(ResourceType type, string? ns, Func<JsonObject, bool> matches, bool dryRun = false)
    {
        var names = List(type, ns).Where(matches).Select(o => (o.Namespace(), o.Name()!)).ToList();
        var deleted = new List<JsonObject>();
        foreach (var (objectNs, name) in names)
        {
            try
            {
                deleted.Add(Delete(type, objectNs, name, null, dryRun));
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                // deleted meanwhile
            }
        }

        return deleted;
    }

    // ---------------------------------------------------------------- watch

    /// <summary>
    /// Opens a watch on <paramref name="type"/>: replays changes after <paramref name="fromResourceVersion"/>, or
    /// with null sends the current matching objects as ADDED first. Throws
    /// <see cref="ResourceVersionCompactedException"/> when the requested history is gone.
    /// </summary>
    public WatchSubscription Watch(ResourceType type, string? ns, Func<JsonObject, bool> matches, long? fromResourceVersion, bool allowBookmarks,
        bool initialEventsEndBookmark = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(matches);
        var storage = StorageOf(type);
        lock (_lock)
        {
            var watch = new WatchSubscription(storage, type.Namespaced ? ns : null, o => matches(Out(type, o)), allowBookmarks, Unregister);
            if (fromResourceVersion is { } from)
            {
                if (from < _compactedResourceVersion)
                {
                    throw new ResourceVersionCompactedException(from, _compactedResourceVersion);
                }

                foreach (var change in _log.Where(c => c.ResourceVersion > from))
                {
                    if (watch.EventFor(change) is { } e)
                    {
                        watch.Events.Writer.TryWrite(e);
                    }
                }

                watch.LastResourceVersion = Math.Max(from, _resourceVersion);
            }
            else
            {
                foreach (var (key, obj) in Table(storage))
                {
                    if (InNamespace(type, ns, key) && watch.Matches(obj))
                    {
                        watch.Events.Writer.TryWrite(new WatchEvent(WatchEvent.Added, obj));
                    }
                }

                watch.LastResourceVersion = _resourceVersion;
            }

            if (initialEventsEndBookmark)
            {
                watch.Events.Writer.TryWrite(BookmarkEvent(storage, _resourceVersion, initialEventsEnd: true));
            }

            _watches.Add(watch);
            return watch;
        }
    }

    internal static WatchEvent GoneEvent(long resourceVersion) => new(WatchEvent.Error,
        KubeStatus.Failure(410, "Expired", $"too old resource version: {resourceVersion} ({resourceVersion + 1})"));

    internal static WatchEvent GoneEvent(long requested, long oldest) => new(WatchEvent.Error,
        KubeStatus.Failure(410, "Expired", $"too old resource version: {requested} ({oldest})"));

    internal static WatchEvent BookmarkEvent(ResourceType type, long resourceVersion, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return new WatchEvent(WatchEvent.Bookmark, new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata });
    }

    /// <summary>The representation of a stored object for <paramref name="type"/> (a view converts), as a copy.</summary>
    public static JsonObject Out(ResourceType type, JsonObject stored) =>
        type.View is { } view ? view.FromStorage(stored) : stored.Clone();

    // ---------------------------------------------------------------- internals

    private static ResourceType StorageOf(ResourceType type) => type.View?.Storage ?? type;

    private static JsonObject In(ResourceType type, JsonObject obj) => type.View is { } view ? view.ToStorage(obj) : obj;

    private SortedDictionary<string, JsonObject> Table(ResourceType storage)
    {
        if (!_objects.TryGetValue(storage.GroupResource, out var entry))
        {
            entry = (storage, new SortedDictionary<string, JsonObject>(StringComparer.Ordinal));
            _objects[storage.GroupResource] = entry;
        }

        return entry.Objects;
    }

    private static string Key(ResourceType type, string? ns, string name) => type.Namespaced ? $"{ns}/{name}" : name;

    private static bool InNamespace(ResourceType type, string? ns, string key) =>
        ns is null || !type.Namespaced || key.StartsWith(ns + "/", StringComparison.Ordinal);

    private JsonObject? CurrentLocked(ResourceType type, string? ns, string name) =>
        Table(StorageOf(type)).TryGetValue(Key(type, ns, name), out var obj) ? obj : null;

    private SortedDictionary<string, JsonObject> Snapshot(ResourceType storage, long at)
    {
        var snapshot = new SortedDictionary<string, JsonObject>(Table(storage), StringComparer.Ordinal);
        for (var i = _log.Count - 1; i >= 0 && _log[i].ResourceVersion > at; i--)
        {
            var change = _log[i];
            if (change.Type.GroupResource != storage.GroupResource)
            {
                continue;
            }

            if (change.Before is null)
            {
                snapshot.Remove(change.Key);
            }
            else
            {
                snapshot[change.Key] = change.Before;
            }
        }

        return snapshot;
    }

    private (JsonObject Result, StoredChange? Change) CreateLocked(ResourceType type, string? ns, JsonObject body, bool dryRun)
    {
        var storage = StorageOf(type);
        var metadata = body.Metadata();
        var bodyNs = (string?)metadata["namespace"];
        if (type.Namespaced)
        {
            if (!string.IsNullOrEmpty(bodyNs) && !string.IsNullOrEmpty(ns) && bodyNs != ns)
            {
                throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            ns = string.IsNullOrEmpty(ns) ? bodyNs : ns;
            if (string.IsNullOrEmpty(ns))
            {
                throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
            ns = null;
        }

        if (!string.IsNullOrEmpty((string?)metadata["resourceVersion"]))
        {
            throw KubeApiException.Unknown("resourceVersion should not be set on objects to be created");
        }

        var name = (string?)metadata["name"];
        if (string.IsNullOrEmpty(name))
        {
            var generateName = (string?)metadata["generateName"];
            if (string.IsNullOrEmpty(generateName))
            {
                throw KubeApiException.Invalid(type, "", [FieldError.Required("metadata.name", "name or generateName is required")]);
            }

            name = GenerateName(generateName);
            metadata["name"] = name;
        }

        body["apiVersion"] = type.ApiVersion;
        body["kind"] = type.Kind;
        type.Defaulter?.Invoke(body);
        if (type.StatusSubresource)
        {
            if (type.BuiltIn)
            {
                body["status"] = new JsonObject(); // PrepareForCreate resets status
            }
            else
            {
                body.Remove("status");
            }
        }

        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("managedFields");
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = KubeJson.Timestamp(_time.GetUtcNow());
        if (storage.Generation != GenerationPolicy.None)
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }

        Validate(type, body, null);
        if (RequireNamespaces && type.Namespaced
            && !Table(ResourceTypes.Namespace).ContainsKey(ns!))
        {
            throw KubeApiException.NotFound(ResourceTypes.Namespace, ns!);
        }

        if (RequireNamespaces && type.Namespaced && Table(ResourceTypes.Namespace).TryGetValue(ns!, out var namespaceObject)
            && namespaceObject.At("metadata.deletionTimestamp") is not null)
        {
            throw new KubeApiException(403, KubeStatus.Failure(403, "Forbidden",
                $"{type.Plural} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", KubeStatus.Details(type, name)));
        }

        var stored = In(type, body);
        var key = Key(type, ns, name);
        if (Table(storage).ContainsKey(key))
        {
            throw KubeApiException.AlreadyExists(type, name);
        }

        if (dryRun)
        {
            return (Out(type, stored), null);
        }

        var change = CommitLocked(storage, key, null, stored, deleted: false, notifyWatchers: true);
        return (Out(type, change.After), change);
    }

    private (JsonObject Result, StoredChange? Change) UpdateLocked(ResourceType type, string? ns, string name, JsonObject current, JsonObject body,
        string? subresource, bool dryRun)
    {
        var storage = StorageOf(type);
        if (subresource is not null && (subresource != "status" || !type.StatusSubresource))
        {
            throw KubeApiException.NoRoute();
        }

        var metadata = body.Metadata();
        if ((string?)metadata["name"] is { Length: > 0 } bodyName && bodyName != name)
        {
            throw KubeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        if (type.Namespaced && (string?)metadata["namespace"] is { Length: > 0 } bodyNs && bodyNs != ns)
        {
            throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var currentView = Out(type, current);
        var uid = current.StringAt("metadata.uid");
        if ((string?)metadata["uid"] is { Length: > 0 } bodyUid && bodyUid != uid)
        {
            throw KubeApiException.Conflict(type, name, $"Precondition failed: UID in precondition: {bodyUid}, UID in object meta: {uid}");
        }

        if ((string?)metadata["resourceVersion"] is { Length: > 0 } bodyRv && bodyRv != current.ResourceVersion())
        {
            throw KubeApiException.Conflict(type, name);
        }

        JsonObject next;
        if (subresource == "status")
        {
            next = currentView.Clone();
            if (body["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }
        }
        else
        {
            next = body;
            next["apiVersion"] = type.ApiVersion;
            next["kind"] = type.Kind;
            type.Defaulter?.Invoke(next);
            if (type.StatusSubresource)
            {
                if (currentView["status"] is { } status)
                {
                    next["status"] = status.DeepClone();
                }
                else
                {
                    next.Remove("status");
                }
            }

            var nextMetadata = next.Metadata();
            nextMetadata["name"] = name;
            if (type.Namespaced)
            {
                nextMetadata["namespace"] = ns;
            }
            else
            {
                nextMetadata.Remove("namespace");
            }

            foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
            {
                if (currentView.At("metadata." + field) is { } value)
                {
                    nextMetadata[field] = value.DeepClone();
                }
                else
                {
                    nextMetadata.Remove(field);
                }
            }

            if (storage.Generation != GenerationPolicy.None && GenerationChanged(storage, currentView, next))
            {
                nextMetadata["generation"] = (currentView.LongAt("metadata.generation") ?? 0) + 1;
            }
        }

        next.Metadata()["resourceVersion"] = current.ResourceVersion();
        Validate(type, next, currentView);
        if (KubeJson.SemanticEquals(next, currentView))
        {
            return (currentView, null); // a no-op update writes nothing: same resourceVersion, no watch event
        }

        if (current.At("metadata.deletionTimestamp") is not null && next.At("metadata.finalizers") is not JsonArray { Count: > 0 })
        {
            if (dryRun)
            {
                return (next, null);
            }

            var deletion = CommitLocked(storage, Key(type, ns, name), current, In(type, next), deleted: true, notifyWatchers: true);
            return (Out(type, deletion.After), deletion);
        }

        if (dryRun)
        {
            return (next, null);
        }

        var change = CommitLocked(storage, Key(type, ns, name), current, In(type, next), deleted: false, notifyWatchers: true);
        return (Out(type, change.After), change);
    }

    private static bool GenerationChanged(ResourceType storage, JsonObject before, JsonObject after) => storage.Generation switch
    {
        GenerationPolicy.Spec => !KubeJson.SemanticEquals(before["spec"], after["spec"]),
        GenerationPolicy.SpecOrAnnotations => !KubeJson.SemanticEquals(before["spec"], after["spec"])
            || !KubeJson.SemanticEquals(NonEmpty(before.At("metadata.annotations")), NonEmpty(after.At("metadata.annotations"))),
        GenerationPolicy.AllButMetadataAndStatus => !KubeJson.SemanticEquals(WithoutMetadataAndStatus(before, storage), WithoutMetadataAndStatus(after, storage)),
        _ => false,
    };

    private static JsonNode? NonEmpty(JsonNode? node) => node is JsonObject { Count: 0 } ? null : node;

    private static JsonObject WithoutMetadataAndStatus(JsonObject obj, ResourceType storage)
    {
        var copy = obj.Clone();
        copy.Remove("metadata");
        if (storage.StatusSubresource)
        {
            copy.Remove("status");
        }

        return copy;
    }

    private static void Validate(ResourceType type, JsonObject obj, JsonObject? old)
    {
        if (type.Validator?.Invoke(obj, old) is { Count: > 0 } errors)
        {
            throw KubeApiException.Invalid(type, obj.Name() ?? "", errors);
        }
    }

    private StoredChange CommitLocked(ResourceType storage, string key, JsonObject? before, JsonObject after, bool deleted, bool notifyWatchers)
    {
        var rv = ++_resourceVersion;
        after.Metadata()["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        var table = Table(storage);
        if (deleted)
        {
            table.Remove(key);
        }
        else
        {
            table[key] = after;
        }

        var change = new StoredChange(rv, storage, key, before, after, deleted);
        _log.Add(change);
        if (_log.Count > HistoryLimit)
        {
            var drop = _log.Count - HistoryLimit;
            _compactedResourceVersion = _log[drop - 1].ResourceVersion;
            _log.RemoveRange(0, drop);
        }

        if (notifyWatchers)
        {
            foreach (var watch in _watches)
            {
                if (watch.EventFor(change) is { } e)
                {
                    watch.Events.Writer.TryWrite(e);
                    watch.LastResourceVersion = rv;
                }
            }
        }

        return change;
    }

    private void CascadeLocked(StoredChange deletion, List<StoredChange> changes)
    {
        var pending = new Queue<StoredChange>([deletion]);
        while (pending.Count > 0)
        {
            var owner = pending.Dequeue();
            var ownerUid = owner.After.StringAt("metadata.uid");
            if (owner.Type.GroupResource == ResourceTypes.Namespace.GroupResource)
            {
                // The namespace controller deletes everything in a deleted namespace.
                foreach (var (type, table) in _objects.Values.ToList())
                {
                    if (!type.Namespaced)
                    {
                        continue;
                    }

                    foreach (var (key, obj) in table.Where(p => p.Key.StartsWith(owner.Name + "/", StringComparison.Ordinal)).ToList())
                    {
                        var change = CommitLocked(type, key, obj, obj.Clone(), deleted: true, notifyWatchers: true);
                        changes.Add(change);
                        pending.Enqueue(change);
                    }
                }

                continue;
            }

            foreach (var (type, table) in _objects.Values.ToList())
            {
                foreach (var (key, obj) in table.ToList())
                {
                    if (obj.At("metadata.ownerReferences") is JsonArray refs
                        && refs.OfType<JsonObject>().Any(r => (string?)r["uid"] == ownerUid)
                        && table.ContainsKey(key))
                    {
                        var change = CommitLocked(type, key, obj, obj.Clone(), deleted: true, notifyWatchers: true);
                        changes.Add(change);
                        pending.Enqueue(change);
                    }
                }
            }
        }
    }

    private void Notify(StoredChange? change)
    {
        if (change is not null)
        {
            Changed?.Invoke(change);
        }
    }

    private void Unregister(WatchSubscription watch)
    {
        lock (_lock)
        {
            _watches.Remove(watch);
        }
    }

    private static string GenerateName(string prefix)
    {
        // names.SimpleNameGenerator: the prefix (cut to leave room) and 5 random characters from "bcdfghjklmnpqrstvwxz2456789".
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        if (prefix.Length > 58)
        {
            prefix = prefix[..58];
        }

        var suffix = new StringBuilder();
        for (var i = 0; i < 5; i++)
        {
            suffix.Append(alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
        }

        return prefix + suffix;
    }
}

/// <summary>A page of a list: items, the snapshot's resourceVersion, the last key when more remain.</summary>
internal sealed record ListPage(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? LastKey, int Remaining);

/// <summary>The requested resourceVersion is older than the compacted history.</summary>
public sealed class ResourceVersionCompactedException(long requested, long oldest)
    : Exception($"resourceVersion {requested} is compacted (oldest available {oldest})")
{
    public long Requested { get; } = requested;

    public long Oldest { get; } = oldest;
}

/// <summary>The options of a DELETE (metav1.DeleteOptions): preconditions and propagation policy.</summary>
public sealed record DeleteOptions(string? Uid = null, string? ResourceVersion = null, string? PropagationPolicy = null)
{
    internal static DeleteOptions Parse(JsonObject? body, string? propagationQuery)
    {
        var policy = (string?)body?["propagationPolicy"] ?? propagationQuery;
        if (body?["orphanDependents"] is JsonValue orphan && orphan.GetValueKind() == JsonValueKind.True)
        {
            policy ??= "Orphan";
        }

        return new DeleteOptions(body?.StringAt("preconditions.uid"), body?.StringAt("preconditions.resourceVersion"), policy);
    }
}
