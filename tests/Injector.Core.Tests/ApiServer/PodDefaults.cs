using System.Text.Json.Nodes;

namespace Injector.Core.Tests.ApiServer;

/// <summary>
/// What kube-apiserver does to a pod between a webhook's patch and the next reader, modelled on its source:
/// decoding into the typed v1.Pod and encoding it again (struct fields without omitempty always appear:
/// <c>metadata.creationTimestamp: null</c>, every container's <c>resources: {}</c>, <c>status: {}</c>), then
/// <c>SetObjectDefaults_Pod</c> (pkg/apis/core/v1/defaults.go and zz_generated.defaults.go), which the mutating
/// dispatcher applies after every patch (dispatcher.go: <c>o.GetObjectDefaulter().Default(attr.VersionedObject)</c>).
/// Unknown fields are kept (the typed decode would drop them); the engine must not depend on either.
/// </summary>
public static class PodDefaults
{
    public const string TerminationMessagePath = "/dev/termination-log";

    public static void Apply(JsonObject pod)
    {
        var metadata = Obj(pod, "metadata");
        if (!metadata.ContainsKey("creationTimestamp"))
        {
            metadata["creationTimestamp"] = null;
        }

        var spec = Obj(pod, "spec");
        foreach (var key in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            foreach (var container in Items(spec, key))
            {
                Container(container);
            }
        }

        foreach (var key in new[] { "initContainers", "containers" })
        {
            foreach (var container in Items(spec, key))
            {
                RequestsFromLimits(container);
            }
        }

        foreach (var volume in Items(spec, "volumes"))
        {
            Volume(volume);
        }

        SetIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        SetIfAbsent(spec, "restartPolicy", "Always");
        if (spec["securityContext"] is null)
        {
            spec["securityContext"] = new JsonObject();
        }

        SetIfAbsent(spec, "terminationGracePeriodSeconds", 30);
        SetIfAbsent(spec, "schedulerName", "default-scheduler");
        SetIfAbsent(spec, "enableServiceLinks", true);
        if (spec["serviceAccountName"] is JsonValue sa)
        {
            // Conversion keeps the deprecated field equal to serviceAccountName.
            spec["serviceAccount"] = sa.DeepClone();
        }

        if (pod["status"] is null)
        {
            pod["status"] = new JsonObject();
        }
    }

    private static void Container(JsonObject container)
    {
        if (container["resources"] is null)
        {
            container["resources"] = new JsonObject();
        }

        SetIfAbsent(container, "terminationMessagePath", TerminationMessagePath);
        SetIfAbsent(container, "terminationMessagePolicy", "File");
        if (container["imagePullPolicy"] is null)
        {
            container["imagePullPolicy"] = TagOf(Text(container["image"]) ?? string.Empty) == "latest" ? "Always" : "IfNotPresent";
        }

        foreach (var port in Items(container, "ports"))
        {
            SetIfAbsent(port, "protocol", "TCP");
        }

        foreach (var env in Items(container, "env"))
        {
            if (env["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                SetIfAbsent(fieldRef, "apiVersion", "v1");
            }
        }

        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            if (container[probe] is JsonObject p)
            {
                SetIfAbsent(p, "timeoutSeconds", 1);
                SetIfAbsent(p, "periodSeconds", 10);
                SetIfAbsent(p, "successThreshold", 1);
                SetIfAbsent(p, "failureThreshold", 3);
                HttpGet(p);
            }
        }

        if (container["lifecycle"] is JsonObject lifecycle)
        {
            foreach (var hook in new[] { "postStart", "preStop" })
            {
                if (lifecycle[hook] is JsonObject h)
                {
                    HttpGet(h);
                }
            }
        }
    }

    private static void HttpGet(JsonObject handler)
    {
        if (handler["httpGet"] is JsonObject get)
        {
            SetIfAbsent(get, "path", "/");
            SetIfAbsent(get, "scheme", "HTTP");
        }
    }

    private static void RequestsFromLimits(JsonObject container)
    {
        if (container["resources"]?["limits"] is not JsonObject limits)
        {
            return;
        }

        var requests = Obj(container["resources"]!.AsObject(), "requests");
        foreach (var (name, value) in limits)
        {
            if (!requests.ContainsKey(name))
            {
                requests[name] = value?.DeepClone();
            }
        }
    }

    private static void Volume(JsonObject volume)
    {
        if (volume.Count == 1 && volume.ContainsKey("name"))
        {
            volume["emptyDir"] = new JsonObject();
        }

        foreach (var source in new[] { "secret", "configMap", "downwardAPI", "projected" })
        {
            if (volume[source] is JsonObject s)
            {
                SetIfAbsent(s, "defaultMode", 420);
            }
        }

        if (volume["projected"]?["sources"] is JsonArray sources)
        {
            foreach (var projection in sources.OfType<JsonObject>())
            {
                if (projection["serviceAccountToken"] is JsonObject token)
                {
                    SetIfAbsent(token, "expirationSeconds", 3600);
                }

                foreach (var item in Items(projection["downwardAPI"] as JsonObject, "items"))
                {
                    if (item["fieldRef"] is JsonObject fieldRef)
                    {
                        SetIfAbsent(fieldRef, "apiVersion", "v1");
                    }
                }
            }
        }

        foreach (var item in Items(volume["downwardAPI"] as JsonObject, "items"))
        {
            if (item["fieldRef"] is JsonObject fieldRef)
            {
                SetIfAbsent(fieldRef, "apiVersion", "v1");
            }
        }
    }

    /// <summary>pkg/util/parsers.ParseImageName: no tag and no digest means "latest".</summary>
    private static string TagOf(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? image[(colon + 1)..] : "latest";
    }

    internal static IEnumerable<JsonObject> Items(JsonObject? owner, string key) =>
        owner?[key] is JsonArray array ? array.OfType<JsonObject>().ToList() : [];

    internal static JsonObject Obj(JsonObject owner, string key)
    {
        if (owner[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        owner[key] = created;
        return created;
    }

    internal static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static void SetIfAbsent(JsonObject owner, string key, JsonNode value)
    {
        if (owner[key] is null)
        {
            owner[key] = value;
        }
    }
}
