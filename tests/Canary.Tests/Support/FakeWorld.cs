using Canary.Api;
using Canary.Reconciling;
using k8s;
using k8s.Models;

namespace Canary.Tests.Support;

/// <summary>
/// An in-memory world for tick-by-tick tests: the CanaryApp (generation bumped on spec changes, like the API server),
/// two Deployments with a simulated deployment controller (<see cref="Settle"/>: observedGeneration and replica
/// counts catch up, unless the Deployment is told to stall or to exceed its progress deadline), the routing weight
/// and a log of every weight written.
/// </summary>
internal sealed class FakeWorld : ICanaryWorld
{
    private readonly Dictionary<string, V1Deployment> _deployments = new(StringComparer.Ordinal);

    public FakeWorld(CanaryApp app)
    {
        App = app;
        App.Metadata.Generation ??= 1;
        App.Metadata.Uid ??= "uid-1";
        App.Metadata.NamespaceProperty ??= "demo";
    }

    public CanaryApp App { get; }

    public int? RouteWeight { get; set; }

    public bool RouteInSync { get; set; } = true;

    public bool ServicesApplied { get; private set; }

    public List<int> WeightLog { get; } = [];

    public List<CanaryAction> ActionLog { get; } = [];

    public int StatusWrites { get; private set; }

    /// <summary>The next this many status writes answer 409 Conflict (someone changed the CanaryApp meanwhile).</summary>
    public int StatusWritesToRefuse { get; set; }

    /// <summary>Deployments whose pods never become ready.</summary>
    public HashSet<string> Stalled { get; } = new(StringComparer.Ordinal);

    /// <summary>Deployments whose controller reports ProgressDeadlineExceeded.</summary>
    public HashSet<string> DeadlineExceeded { get; } = new(StringComparer.Ordinal);

    public V1Deployment? Primary => _deployments.GetValueOrDefault(App.Metadata.Name + "-primary");

    public V1Deployment? Canary => _deployments.GetValueOrDefault(App.Metadata.Name + "-canary");

    public void ChangeSpec(Action<CanaryAppSpec> change)
    {
        change(App.Spec);
        App.Metadata.Generation++;
    }

    public void Annotate(string key, string value)
    {
        App.Metadata.Annotations ??= new Dictionary<string, string>();
        App.Metadata.Annotations[key] = value;
    }

    public Task<Observation?> ObserveAsync(string namespaceName, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var app = Clone(App);
        return Task.FromResult<Observation?>(new Observation(
            app,
            Primary is { } p ? Clone(p) : null,
            Canary is { } c ? Clone(c) : null,
            RouteWeight is { } w ? new RouteObservation(w, RouteInSync) : null,
            ServicesApplied,
            now));
    }

    public Task ExecuteAsync(CanaryApp app, CanaryAction action, CancellationToken cancellationToken)
    {
        ActionLog.Add(action);
        switch (action)
        {
            case ApplyServices:
                ServicesApplied = true;
                break;
            case ApplyDeployment a:
                Apply(a.Desired);
                break;
            case ScaleDeployment s:
                var d = _deployments[s.Name];
                if (d.Spec.Replicas != s.Replicas)
                {
                    d.Spec.Replicas = s.Replicas;
                    d.Metadata.Generation++;
                }

                break;
            case SetRoute r:
                RouteWeight = r.CanaryWeight;
                RouteInSync = true;
                WeightLog.Add(r.CanaryWeight);
                break;
            case RemoveAnnotations ra:
                foreach (var k in ra.Keys)
                {
                    App.Metadata.Annotations?.Remove(k);
                }

                break;
        }

        return Task.CompletedTask;
    }

    public Task WriteStatusAsync(CanaryApp app, CanaryAppStatus status, CancellationToken cancellationToken)
    {
        if (StatusWritesToRefuse > 0)
        {
            StatusWritesToRefuse--;
            throw Conflict();
        }

        StatusWrites++;
        App.Status = Clone(status);
        return Task.CompletedTask;
    }

    /// <summary>The deployment controller catches up with every Deployment's spec.</summary>
    public void Settle()
    {
        foreach (var d in _deployments.Values)
        {
            var name = d.Metadata.Name;
            d.Status ??= new V1DeploymentStatus();
            d.Status.ObservedGeneration = d.Metadata.Generation;
            var replicas = d.Spec.Replicas ?? 1;
            if (DeadlineExceeded.Contains(name))
            {
                d.Status.Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded" }];
                d.Status.Replicas = replicas;
                d.Status.UpdatedReplicas = replicas;
                d.Status.AvailableReplicas = 0;
                continue;
            }

            d.Status.Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "True", Reason = "NewReplicaSetAvailable" }];
            d.Status.Replicas = replicas;
            d.Status.UpdatedReplicas = replicas;
            d.Status.AvailableReplicas = Stalled.Contains(name) ? 0 : replicas;
            d.Status.ReadyReplicas = d.Status.AvailableReplicas;
        }
    }

    private void Apply(V1Deployment desired)
    {
        var name = desired.Metadata.Name;
        if (!_deployments.TryGetValue(name, out var existing))
        {
            var created = Clone(desired);
            created.Metadata.Generation = 1;
            _deployments[name] = created;
            return;
        }

        var before = KubernetesJson.Serialize(existing.Spec);
        existing.Spec = Clone(desired.Spec);
        existing.Metadata.Annotations = new Dictionary<string, string>(desired.Metadata.Annotations);
        if (KubernetesJson.Serialize(existing.Spec) != before)
        {
            existing.Metadata.Generation++;
        }
    }

    private static k8s.Autorest.HttpOperationException Conflict() => new("Operation cannot be fulfilled on canaryapps.canary.sidecars.dev \"web\": the object has been modified")
    {
        Response = new k8s.Autorest.HttpResponseMessageWrapper(new HttpResponseMessage(System.Net.HttpStatusCode.Conflict), ""),
    };

    private static T Clone<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
