using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using TestKit.Kube;
using TestKit.Kube.Server;
using TestKit.Kube.Simulation;

namespace Rollout.Tests.Support;

/// <summary>
/// A cluster on the test kit's stand-in API server, seeded the way a real one would look: workloads with complete
/// status, ReplicaSets owned by Deployments, and pods created through the API (so the API server's defaulting
/// applies) after the injector's engine injected them under a given config. Simulated controllers for the three kinds
/// tick on their own, so restarts roll out over real time; a recorder counts the rollouts in flight.
/// </summary>
public sealed class World : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("rollout-tests-");
    private readonly InjectionEngine _engine = new();
    private int _pods;

    private World(KubeApiServer kube)
    {
        Kube = kube;
        Kubeconfig = kube.WriteKubeconfig(_directory.File("kubeconfig"));
    }

    public KubeApiServer Kube { get; }

    public string Kubeconfig { get; }

    public TempDirectory Directory => _directory;

    public DeploymentControllerSimulation Deployments { get; private set; } = null!;

    public StatefulSetControllerSimulation StatefulSets { get; private set; } = null!;

    public DaemonSetControllerSimulation DaemonSets { get; private set; } = null!;

    public RolloutsInFlightRecorder InFlight { get; private set; } = null!;

    /// <param name="tick">How often the simulated controllers step (null: only when the test ticks them).</param>
    public static async Task<World> StartAsync(TimeSpan? tick = null, KubeApiServerOptions? options = null)
    {
        var kube = await KubeApiServer.StartAsync(options ?? new KubeApiServerOptions());
        var world = new World(kube);
        var interval = tick ?? TimeSpan.FromMilliseconds(20);
        world.Deployments = kube.Controllers.Add(new DeploymentControllerSimulation(), interval);
        world.StatefulSets = kube.Controllers.Add(new StatefulSetControllerSimulation(), interval);
        world.DaemonSets = kube.Controllers.Add(new DaemonSetControllerSimulation(), interval);
        world.InFlight = kube.Controllers.Add(new RolloutsInFlightRecorder());
        return world;
    }

    /// <summary>The injector's ConfigMap, as the chart renders it.</summary>
    public void InjectorConfigMap(string yaml, string ns = "sidecars-system", string name = "injector-config")
    {
        var existing = Kube.Store.Get(ResourceTypes.ConfigMap, ns, name);
        var configMap = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["data"] = new JsonObject { ["config.yaml"] = yaml },
        };
        if (existing is null)
        {
            Kube.Store.Create(configMap);
        }
        else
        {
            Kube.Store.Mutate(ResourceTypes.ConfigMap, ns, name, c => c["data"] = configMap["data"]!.DeepClone());
        }
    }

    /// <summary>A pod template that asks for <paramref name="inject"/> (appup, shawarma, proa, comma-separated).</summary>
    public static JsonObject Template(string app, string inject, JsonObject? extraAnnotations = null)
    {
        var annotations = new JsonObject { [AnnotationKeys.Inject] = inject };
        if (inject.Contains("shawarma", StringComparison.Ordinal))
        {
            annotations[AnnotationKeys.ShawarmaService] = app;
        }

        foreach (var (key, value) in extraAnnotations ?? [])
        {
            annotations[key] = value?.DeepClone();
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = app }, ["annotations"] = annotations },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "app",
                    ["image"] = "registry.example/" + app + ":1.0",
                    ["command"] = new JsonArray("/app/server"),
                    ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 }),
                }),
            },
        };
    }

    public JsonObject Deployment(string ns, string name, string inject = "appup", int replicas = 2, InjectorConfig? injectedWith = null,
        Action<JsonObject>? customize = null, int? pods = null)
    {
        var deployment = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = Template(name, inject),
            },
        };
        customize?.Invoke(deployment);
        var created = Kube.Store.Create(deployment);
        var uid = created.StringAt("metadata.uid")!;
        Kube.Store.Mutate(ResourceTypes.Deployment, ns, name, d => d["status"] = new JsonObject
        {
            ["observedGeneration"] = d.LongAt("metadata.generation"),
            ["replicas"] = replicas,
            ["updatedReplicas"] = replicas,
            ["readyReplicas"] = replicas,
            ["availableReplicas"] = replicas,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "Available", ["status"] = "True", ["reason"] = "MinimumReplicasAvailable" },
                new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "NewReplicaSetAvailable" }),
        }, "status");
        var replicaSet = Kube.Store.Create(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = name + "-5d8f9",
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["app"] = name },
                ["ownerReferences"] = Owner("apps/v1", "Deployment", name, uid),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = created.At("spec.template")!.DeepClone(),
            },
        });
        var template = (JsonObject)created.At("spec.template")!;
        for (var i = 0; i < (pods ?? replicas); i++)
        {
            Pod(ns, $"{name}-5d8f9-{i}", template, Owner("apps/v1", "ReplicaSet", replicaSet.Name()!, replicaSet.StringAt("metadata.uid")!), injectedWith ?? Configs.Old);
        }

        return created;
    }

    public JsonObject StatefulSet(string ns, string name, string inject = "appup", int replicas = 2, InjectorConfig? injectedWith = null, Action<JsonObject>? customize = null)
    {
        var statefulSet = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "StatefulSet",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["serviceName"] = name,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = Template(name, inject),
            },
        };
        customize?.Invoke(statefulSet);
        var created = Kube.Store.Create(statefulSet);
        Kube.Store.Mutate(ResourceTypes.StatefulSet, ns, name, s => s["status"] = new JsonObject
        {
            ["observedGeneration"] = s.LongAt("metadata.generation"),
            ["replicas"] = replicas,
            ["readyReplicas"] = replicas,
            ["availableReplicas"] = replicas,
            ["currentReplicas"] = replicas,
            ["updatedReplicas"] = replicas,
            ["currentRevision"] = name + "-initial",
            ["updateRevision"] = name + "-initial",
        }, "status");
        var owner = Owner("apps/v1", "StatefulSet", name, created.StringAt("metadata.uid")!);
        for (var i = 0; i < replicas; i++)
        {
            Pod(ns, $"{name}-{i}", (JsonObject)created.At("spec.template")!, owner, injectedWith ?? Configs.Old);
        }

        return created;
    }

    public JsonObject DaemonSet(string ns, string name, string inject = "appup", InjectorConfig? injectedWith = null, Action<JsonObject>? customize = null)
    {
        var daemonSet = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "DaemonSet",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = Template(name, inject),
            },
        };
        customize?.Invoke(daemonSet);
        var created = Kube.Store.Create(daemonSet);
        var nodes = DaemonSets.Nodes;
        Kube.Store.Mutate(ResourceTypes.DaemonSet, ns, name, d => d["status"] = new JsonObject
        {
            ["observedGeneration"] = d.LongAt("metadata.generation"),
            ["desiredNumberScheduled"] = nodes,
            ["currentNumberScheduled"] = nodes,
            ["numberMisscheduled"] = 0,
            ["numberReady"] = nodes,
            ["numberAvailable"] = nodes,
            ["updatedNumberScheduled"] = nodes,
        }, "status");
        var owner = Owner("apps/v1", "DaemonSet", name, created.StringAt("metadata.uid")!);
        for (var i = 0; i < nodes; i++)
        {
            Pod(ns, $"{name}-node{i}", (JsonObject)created.At("spec.template")!, owner, injectedWith ?? Configs.Old);
        }

        return created;
    }

    /// <summary>A pod of a Job (run to completion: never restarted).</summary>
    public JsonObject JobPod(string ns, string job, string inject = "appup", InjectorConfig? injectedWith = null) =>
        Pod(ns, job + "-x7k2p", Template(job, inject), Owner("batch/v1", "Job", job, Guid.NewGuid().ToString()), injectedWith ?? Configs.Old);

    /// <summary>A pod with no owner.</summary>
    public JsonObject BarePod(string ns, string name, string inject = "appup", InjectorConfig? injectedWith = null) =>
        Pod(ns, name, Template(name, inject), null, injectedWith ?? Configs.Old);

    /// <summary>
    /// Creates a running pod from <paramref name="template"/>: injected by the engine under <paramref name="injectedWith"/>
    /// (as the webhook would at creation), then created through the store so the API server's defaults apply.
    /// </summary>
    public JsonObject Pod(string ns, string name, JsonObject template, JsonArray? owners, InjectorConfig injectedWith, Action<JsonObject>? customize = null)
    {
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = template["metadata"]!.DeepClone(),
            ["spec"] = template["spec"]!.DeepClone(),
        };
        var metadata = pod.Metadata();
        metadata["name"] = name;
        metadata["namespace"] = ns;
        if (owners is not null)
        {
            metadata["ownerReferences"] = owners.DeepClone();
        }

        var result = _engine.Inject(pod, injectedWith);
        Assert.True(result.Decision == InjectionDecision.Injected, $"the engine did not inject {ns}/{name}: {result.Reason} {result.Message}");
        var injected = result.Pod ?? pod;
        customize?.Invoke(injected);
        Kube.Store.Create(injected);
        var started = DateTimeOffset.UtcNow.AddMinutes(-60 + Interlocked.Increment(ref _pods) % 30);
        return Kube.Store.Mutate(ResourceTypes.Pod, ns, name, p => p["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["startTime"] = KubeJson.Timestamp(started),
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
        }, "status")!;
    }

    public static JsonArray Owner(string apiVersion, string kind, string name, string uid) => new(new JsonObject
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = name,
        ["uid"] = uid,
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    });

    public async ValueTask DisposeAsync()
    {
        await Kube.DisposeAsync();
        _directory.Dispose();
    }
}
