using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace TestKit.Kube;

/// <summary>The resource types a stand-in serves, by URL (group, version, plural) and by (apiVersion, kind). Thread-safe; grows at run time.</summary>
public sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), ResourceType> _byPath = new();
    private readonly ConcurrentDictionary<(string ApiVersion, string Kind), ResourceType> _byKind = new();

    public ResourceRegistry(IEnumerable<ResourceType> types)
    {
        foreach (var type in types)
        {
            Add(type);
        }
    }

    /// <summary>Every registered type.</summary>
    public IReadOnlyCollection<ResourceType> All => _byPath.Values.ToList();

    /// <summary>Registers (or replaces) a type.</summary>
    public ResourceType Add(ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        _byPath[(type.Group, type.Version, type.Plural)] = type;
        if (type.View is null)
        {
            _byKind[(type.ApiVersion, type.Kind)] = type;
        }
        else
        {
            _byKind.TryAdd((type.ApiVersion, type.Kind), type);
        }

        return type;
    }

    public ResourceType? Find(string group, string version, string plural) =>
        _byPath.TryGetValue((group, version, plural), out var type) ? type : null;

    public ResourceType? FindByKind(string apiVersion, string kind) =>
        _byKind.TryGetValue((apiVersion, kind), out var type) ? type : null;

    /// <summary>The type of <paramref name="obj"/> by its apiVersion and kind.</summary>
    /// <exception cref="ArgumentException">Unknown apiVersion/kind.</exception>
    public ResourceType Of(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? throw new ArgumentException("the object has no apiVersion");
        var kind = (string?)obj["kind"] ?? throw new ArgumentException("the object has no kind");
        return FindByKind(apiVersion, kind) ?? throw new ArgumentException($"no resource type is registered for {apiVersion} {kind}");
    }

    /// <summary>
    /// Registers every served version of a CustomResourceDefinition (apiextensions.k8s.io/v1 JSON): group, names,
    /// scope and the status subresource per version. Returns the storage version's type.
    /// </summary>
    public ResourceType AddCustomResourceDefinition(JsonObject crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var spec = crd["spec"] as JsonObject ?? throw new ArgumentException("the CRD has no spec");
        var group = (string?)spec["group"] ?? throw new ArgumentException("the CRD has no spec.group");
        var names = spec["names"] as JsonObject ?? throw new ArgumentException("the CRD has no spec.names");
        var kind = (string?)names["kind"] ?? throw new ArgumentException("the CRD has no spec.names.kind");
        var plural = (string?)names["plural"] ?? throw new ArgumentException("the CRD has no spec.names.plural");
        var namespaced = (string?)spec["scope"] != "Cluster";
        var shortNames = names["shortNames"] is JsonArray s ? s.Select(n => (string)n!).ToArray() : [];
        var versions = (spec["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => v["served"] is not JsonValue served || served.GetValue<bool>())
            .ToList();
        if (versions.Count == 0)
        {
            throw new ArgumentException("the CRD serves no version");
        }

        var storageVersion = versions.FirstOrDefault(v => v["storage"] is JsonValue st && st.GetValue<bool>()) ?? versions[0];
        ResourceType Make(JsonObject version) =>
            ResourceType.Custom(group, (string)version["name"]!, kind, plural, namespaced, version.At("subresources.status") is not null) with
            {
                ShortNames = shortNames,
                Singular = (string?)names["singular"] ?? kind.ToLowerInvariant(),
            };
        var storage = Add(Make(storageVersion));
        foreach (var version in versions.Where(v => !ReferenceEquals(v, storageVersion)))
        {
            // Other served versions read and write the same objects; with conversion strategy None only apiVersion changes.
            var type = Make(version);
            var apiVersion = type.ApiVersion;
            Add(type with
            {
                View = new StorageView(storage,
                    o => { var c = o.Clone(); c["apiVersion"] = apiVersion; return c; },
                    o => { var c = o.Clone(); c["apiVersion"] = storage.ApiVersion; return c; }),
            });
        }

        return storage;
    }
}
