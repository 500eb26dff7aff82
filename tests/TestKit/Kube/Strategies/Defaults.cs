using System.Text.Json.Nodes;

namespace TestKit.Kube.Strategies;

/// <summary>
/// The defaulting kube-apiserver applies to built-in types (k8s.io/kubernetes/pkg/apis/*/v1/defaults.go), for the
/// fields tests are likely to compare: a pod spec's restartPolicy, dnsPolicy, schedulerName,
/// terminationGracePeriodSeconds and securityContext; each container's terminationMessagePath/Policy,
/// imagePullPolicy (Always for :latest or no tag), resources and port protocols; probe timings; volume source
/// defaultModes; workload replicas, strategies, revisionHistoryLimit and progressDeadlineSeconds; Service type,
/// sessionAffinity and port protocol/targetPort.
/// </summary>
public static class Defaults
{
    public static void Pod(JsonObject pod)
    {
        if (pod["spec"] is JsonObject spec)
        {
            PodSpec(spec);
            spec.TryAdd("enableServiceLinks", true);
        }
    }

    public static void Deployment(JsonObject deployment)
    {
        var spec = Spec(deployment);
        spec.TryAdd("replicas", 1);
        spec.TryAdd("revisionHistoryLimit", 10);
        spec.TryAdd("progressDeadlineSeconds", 600);
        RollingUpdate(spec, "strategy", ("maxUnavailable", "25%"), ("maxSurge", "25%"));

        Template(spec);
    }

    public static void StatefulSet(JsonObject statefulSet)
    {
        var spec = Spec(statefulSet);
        spec.TryAdd("replicas", 1);
        spec.TryAdd("podManagementPolicy", "OrderedReady");
        spec.TryAdd("revisionHistoryLimit", 10);
        RollingUpdate(spec, "updateStrategy", ("partition", 0));

        spec.TryAdd("persistentVolumeClaimRetentionPolicy", new JsonObject { ["whenDeleted"] = "Retain", ["whenScaled"] = "Retain" });
        Template(spec);
    }

    public static void DaemonSet(JsonObject daemonSet)
    {
        var spec = Spec(daemonSet);
        spec.TryAdd("revisionHistoryLimit", 10);
        RollingUpdate(spec, "updateStrategy", ("maxUnavailable", 1), ("maxSurge", 0));

        Template(spec);
    }

    public static void ReplicaSet(JsonObject replicaSet)
    {
        var spec = Spec(replicaSet);
        spec.TryAdd("replicas", 1);
        Template(spec);
    }

    public static void Job(JsonObject job)
    {
        var spec = Spec(job);
        spec.TryAdd("backoffLimit", 6);
        spec.TryAdd("completionMode", "NonIndexed");
        spec.TryAdd("suspend", false);
        Template(spec, restartPolicy: null);
    }

    public static void Service(JsonObject service)
    {
        var spec = Spec(service);
        spec.TryAdd("type", "ClusterIP");
        spec.TryAdd("sessionAffinity", "None");
        if ((string?)spec["type"] is "ClusterIP" or "NodePort" or "LoadBalancer")
        {
            spec.TryAdd("internalTrafficPolicy", "Cluster");
        }

        if (spec["ports"] is JsonArray ports)
        {
            foreach (var port in ports.OfType<JsonObject>())
            {
                port.TryAdd("protocol", "TCP");
                if (port["port"] is { } number)
                {
                    port.TryAdd("targetPort", number.DeepClone());
                }
            }
        }
    }

    /// <summary>Pod spec defaults (SetDefaults_PodSpec and the container, probe and volume defaulters).</summary>
    public static void PodSpec(JsonObject spec, string? restartPolicy = "Always")
    {
        spec.TryAdd("dnsPolicy", "ClusterFirst");
        if (restartPolicy is not null)
        {
            spec.TryAdd("restartPolicy", restartPolicy);
        }

        spec.TryAdd("terminationGracePeriodSeconds", 30);
        spec.TryAdd("securityContext", new JsonObject());
        spec.TryAdd("schedulerName", "default-scheduler");
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (spec[list] is JsonArray containers)
            {
                foreach (var container in containers.OfType<JsonObject>())
                {
                    Container(container);
                }
            }
        }

        if (spec["volumes"] is JsonArray volumes)
        {
            foreach (var volume in volumes.OfType<JsonObject>())
            {
                if (volume["configMap"] is JsonObject configMap)
                {
                    configMap.TryAdd("defaultMode", 420);
                }

                if (volume["secret"] is JsonObject secret)
                {
                    secret.TryAdd("defaultMode", 420);
                }

                if (volume["downwardAPI"] is JsonObject downward)
                {
                    downward.TryAdd("defaultMode", 420);
                }

                if (volume["projected"] is JsonObject projected)
                {
                    projected.TryAdd("defaultMode", 420);
                }

                if (volume["hostPath"] is JsonObject hostPath)
                {
                    hostPath.TryAdd("type", "");
                }
            }
        }
    }

    private static void Container(JsonObject container)
    {
        container.TryAdd("terminationMessagePath", "/dev/termination-log");
        container.TryAdd("terminationMessagePolicy", "File");
        container.TryAdd("resources", new JsonObject());
        if (!container.ContainsKey("imagePullPolicy"))
        {
            var image = (string?)container["image"] ?? "";
            var lastSlash = image.LastIndexOf('/');
            var tagPart = image[(lastSlash + 1)..];
            var hasDigest = image.Contains('@', StringComparison.Ordinal);
            var tag = tagPart.Contains(':', StringComparison.Ordinal) ? tagPart[(tagPart.IndexOf(':', StringComparison.Ordinal) + 1)..] : null;
            container["imagePullPolicy"] = !hasDigest && (tag is null || tag == "latest") ? "Always" : "IfNotPresent";
        }

        if (container["ports"] is JsonArray ports)
        {
            foreach (var port in ports.OfType<JsonObject>())
            {
                port.TryAdd("protocol", "TCP");
            }
        }

        if (container["env"] is JsonArray env)
        {
            foreach (var variable in env.OfType<JsonObject>())
            {
                if (variable.At("valueFrom.fieldRef") is JsonObject fieldRef)
                {
                    fieldRef.TryAdd("apiVersion", "v1");
                }
            }
        }

        foreach (var probeName in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[probeName] is JsonObject probe)
            {
                probe.TryAdd("timeoutSeconds", 1);
                probe.TryAdd("periodSeconds", 10);
                probe.TryAdd("successThreshold", 1);
                probe.TryAdd("failureThreshold", 3);
                if (probe["httpGet"] is JsonObject httpGet)
                {
                    httpGet.TryAdd("scheme", "HTTP");
                    httpGet.TryAdd("path", "/");
                }
            }
        }
    }

    /// <summary>A RollingUpdate strategy by default, and the rollingUpdate defaults when it is one.</summary>
    private static void RollingUpdate(JsonObject spec, string field, params (string Name, JsonNode Value)[] defaults)
    {
        if (spec[field] is not JsonObject strategy)
        {
            strategy = [];
            spec[field] = strategy;
        }

        strategy.TryAdd("type", "RollingUpdate");
        if ((string?)strategy["type"] != "RollingUpdate")
        {
            return;
        }

        if (strategy["rollingUpdate"] is not JsonObject rolling)
        {
            rolling = [];
            strategy["rollingUpdate"] = rolling;
        }

        foreach (var (name, value) in defaults)
        {
            rolling.TryAdd(name, value.DeepClone());
        }
    }

    private static JsonObject Spec(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            spec = [];
            obj["spec"] = spec;
        }

        return spec;
    }

    private static void Template(JsonObject spec, string? restartPolicy = "Always")
    {
        if (spec.At("template.spec") is JsonObject podSpec)
        {
            PodSpec(podSpec, restartPolicy);
        }
    }
}
