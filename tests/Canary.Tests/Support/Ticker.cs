using Canary.Api;
using Canary.Hosting;
using Canary.Reconciling;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Tests.Support;

/// <summary>
/// Drives the real <see cref="CanaryReconcile"/> tick by tick, like Flagger's scheduler tests: the world is read,
/// one step decided and executed, the deployment controller catches up, then the fake clock moves to when the
/// reconciler asked to look again.
/// </summary>
internal sealed class Ticker
{
    public Ticker(CanaryApp app)
    {
        World = new FakeWorld(app);
        Analysis = new ScriptedAnalysis(World);
        Reconcile = new CanaryReconcile(World, Analysis, Events, new CanaryMetrics(), Clock);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeWorld World { get; }

    public ScriptedAnalysis Analysis { get; }

    public RecordedEvents Events { get; } = new();

    public CanaryReconcile Reconcile { get; private set; }

    public TimeSpan? LastRequeue { get; private set; }

    public CanaryAppStatus Status => World.App.Status!;

    /// <summary>One reconcile; the deployment controller then catches up (unless <paramref name="settle"/> is false).</summary>
    public async Task<TimeSpan?> TickAsync(bool settle = true)
    {
        LastRequeue = await Reconcile.ReconcileAsync(World.App.Metadata.NamespaceProperty, World.App.Metadata.Name, CancellationToken.None);
        if (settle)
        {
            World.Settle();
        }

        return LastRequeue;
    }

    /// <summary>Ticks, moving the clock to each requested requeue, until the reconciler has nothing more to wait for.</summary>
    public async Task RunUntilIdleAsync(int maxTicks = 100)
    {
        for (var i = 0; i < maxTicks; i++)
        {
            var requeue = await TickAsync();
            if (requeue is null)
            {
                return;
            }

            Clock.Advance(requeue.Value);
        }

        throw new InvalidOperationException($"not idle after {maxTicks} ticks; phase {World.App.Status?.Phase}, weight {World.RouteWeight}");
    }

    /// <summary>A restarted controller: a new reconcile with no memory, on the same world.</summary>
    public void RestartController() => Reconcile = new CanaryReconcile(World, Analysis, Events, new CanaryMetrics(), Clock);

    public static CanaryApp App(string image = "example/app:v1", Action<CanaryAppSpec>? configure = null)
    {
        var spec = new CanaryAppSpec
        {
            Image = image,
            ImageListenPort = 8088,
            Replicas = 2,
            TestReplicas = 1,
            PrometheusQuery = "sum(rate(errors[1m])) / sum(rate(requests[1m]))",
            PrometheusUrl = "http://prometheus.monitoring:9090",
            TrafficShiftUpdateInterval = 30,
            ThresholdRange = new ThresholdRange { Max = 0.05 },
        };
        configure?.Invoke(spec);
        return new CanaryApp { Metadata = new() { Name = "web", NamespaceProperty = "demo", Generation = 1, Uid = "uid-1" }, Spec = spec };
    }
}
