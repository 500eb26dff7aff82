using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Rollout.Tests.Support;
using Rollout.Watch;
using TestKit.Kube;
using TestKit.Kube.Server;

namespace Rollout.Tests.Watch;

/// <summary>
/// The watch mode against the stand-in API server, in real (short) time: a config change leads to restarts at the
/// configured pace, one per namespace at a time, with an Event each and the metrics; opted-out and paused
/// workloads are skipped; with two replicas only the Lease holder acts.
/// </summary>
public sealed class WatcherTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task A_config_change_restarts_outdated_workloads_at_the_pace_with_events_and_metrics()
    {
        await using var world = await World.StartAsync();
        using var replacer = new PodReplacer(world, TimeSpan.FromSeconds(1)); // pods take longer to replace than --interval
        world.InjectorConfigMap(Configs.Yaml);
        world.Deployment("a", "api");
        world.Deployment("a", "web");
        world.Deployment("b", "web");
        world.Deployment("c", "cache", "shawarma");
        world.Deployment("d", "optout", customize: d => d.Set("metadata.annotations", new JsonObject { [AnnotationKeys.AutoRollout] = "false" }));
        world.Deployment("e", "paused", customize: d => d.Set("spec.paused", true));
        using var metrics = new MetricsProbe();
        await using var watcher = Watcher.Start(world, leaseNamespace: null, meters: metrics);

        await Eventually.TrueAsync(() => watcher.Instance.Passes > 0 && metrics.Gauge("sidecar_rollout_config_info") == 1, "the first pass");
        Assert.Empty(world.Kube.Requests.Writes(ResourceTypes.Deployment)); // nothing is outdated under the same config
        Assert.Equal(0, metrics.Gauge("sidecar_rollout_outdated_workloads", ("sidecar", "appup")));

        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        await Eventually.TrueAsync(() => Restarted(world).Count == 3 && replacer.Replaced == 3 && watcher.Instance.Restarts == 3, "three restarts settled", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => metrics.Gauge("sidecar_rollout_outdated_workloads", ("sidecar", "appup")) == 2, "only the opted-out and the paused remain outdated", diagnostics: () => $"appup outdated: {metrics.Gauge("sidecar_rollout_outdated_workloads", ("sidecar", "appup"))}; pods: {string.Join(", ", world.Kube.Store.List(ResourceTypes.Pod).Select(p => p.Namespace() + "/" + p.Name()))}");

        var restarts = Restarted(world);
        Assert.Equal(["a/api", "a/web", "b/web"], restarts.Select(r => $"{r.Namespace}/{r.Name}").Order());
        for (var i = 1; i < restarts.Count; i++)
        {
            Assert.True(restarts[i].Time - restarts[i - 1].Time >= Interval, $"restarts {i - 1} and {i} are {restarts[i].Time - restarts[i - 1].Time} apart");
        }

        // One restart in flight per namespace: the second in namespace a was decided only after the first one's pods
        // were all replaced (which takes longer than --interval here).
        var first = restarts.First(r => r.Namespace == "a");
        var second = restarts.Last(r => r.Namespace == "a");
        Assert.True(second.Time >= replacer.ReplacedAt[$"a/{first.Name}"], $"{second.Name} restarted at {second.Time:O}, before {first.Name}'s pods were replaced at {replacer.ReplacedAt[$"a/{first.Name}"]:O}");
        Assert.Equal(1, world.InFlight.MaxInFlightInOneNamespace);
        Assert.DoesNotContain(world.Kube.Requests.Writes(ResourceTypes.Deployment), w => w.Name == "cache");
        Assert.All(world.Kube.Requests.Writes(ResourceTypes.Deployment).Where(w => w.Name is "optout" or "paused"), w => Assert.Equal("All", w.Query["dryRun"]));
        Assert.Equal(1, world.Kube.Store.Get(ResourceTypes.Deployment, "d", "optout")!.LongAt("metadata.generation"));

        var events = world.Kube.Store.List(ResourceTypes.EventV1).Where(e => e.StringAt("reason") == RolloutWatcher.EventReason).ToList();
        Assert.Equal(["a/api", "a/web", "b/web"], events.Select(e => $"{e.StringAt("regarding.namespace")}/{e.StringAt("regarding.name")}").Order());
        Assert.All(events, e => Assert.Equal("restarted by sidecar-rollout: appup image 0.1.0 -> 0.2.0", e.StringAt("note")));
        Assert.All(events, e => Assert.Equal("Deployment", e.StringAt("regarding.kind")));
        Assert.Equal(3, metrics.Counter("sidecar_rollout_restarts"));
        Assert.Equal(1, metrics.Gauge("sidecar_rollout_skipped_workloads", ("reason", "opted_out")));
        Assert.Equal(1, metrics.Gauge("sidecar_rollout_skipped_workloads", ("reason", "paused")));
        Assert.Equal(0, metrics.Gauge("sidecar_rollout_outdated_workloads", ("sidecar", "shawarma")));

        // Settled, and nothing more to do: pod changes make passes, but no further restart.
        var passes = watcher.Instance.Passes;
        world.Kube.Store.Mutate(ResourceTypes.Pod, "c", "cache-5d8f9-0", p => p.Set("metadata.labels.touched", "yes"));
        await Eventually.TrueAsync(() => watcher.Instance.Passes > passes, "another pass");
        Assert.Equal(3, Restarted(world).Count);
    }

    [Fact]
    public async Task A_restart_that_fails_is_a_failure_metric_and_a_warning_event_and_the_rest_go_on()
    {
        await using var world = await World.StartAsync();
        using var replacer = new PodReplacer(world);
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("a", "web");
        world.Deployment("b", "web");
        world.Kube.Faults.Add(KubeFault.Forbidden("sidecar-rollout"), r => r.Verb == "patch" && r.Namespace == "a");
        using var metrics = new MetricsProbe();
        await using var watcher = Watcher.Start(world, leaseNamespace: null, meters: metrics);

        await Eventually.TrueAsync(() => watcher.Instance.Restarts == 1 && metrics.Counter("sidecar_rollout_failures") == 1, "one restart and one failure", TimeSpan.FromSeconds(30));

        var warning = Assert.Single(world.Kube.Store.List(ResourceTypes.EventV1), e => e.StringAt("reason") == RolloutWatcher.FailedEventReason);
        Assert.Equal("Warning", warning.StringAt("type"));
        Assert.Contains("forbidden (HTTP 403)", warning.StringAt("note"), StringComparison.Ordinal);
        Assert.Equal("b", Assert.Single(Restarted(world)).Namespace);
    }

    [Fact]
    public async Task With_two_replicas_only_the_lease_holder_acts()
    {
        await using var world = await World.StartAsync(options: new KubeApiServerOptions
        {
            Tokens = new Dictionary<string, string> { ["token-a"] = "replica-a", ["token-b"] = "replica-b", [KubeApiServer.DefaultToken] = "admin" },
        });
        using var replacer = new PodReplacer(world);
        world.InjectorConfigMap(Configs.Yaml);
        for (var i = 0; i < 4; i++)
        {
            world.Deployment($"ns{i}", "web");
        }

        await using var a = Watcher.Start(world, "sidecars-system", "replica-a", "token-a");
        await using var b = Watcher.Start(world, "sidecars-system", "replica-b", "token-b");
        var leader = await Eventually.ValueAsync(() => new[] { a, b }.SingleOrDefault(r => r.Instance.IsLeader && r.Instance.Passes > 0), "one replica leads");
        var follower = leader == a ? b : a;

        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        await Eventually.TrueAsync(() => leader.Instance.Restarts == 4, "the leader restarts all four", TimeSpan.FromSeconds(30));

        Assert.Equal(0, follower.Instance.Restarts);
        Assert.Equal(0, follower.Instance.Passes);
        Assert.All(world.Kube.Requests.Writes(ResourceTypes.Deployment), w => Assert.Equal(leader.Identity, w.User));
        Assert.Equal(leader.Identity, world.Kube.Store.Get(ResourceTypes.Lease, "sidecars-system", "sidecar-rollout")?.StringAt("spec.holderIdentity"));
        Assert.True(follower.Instance.Health.Ready() is null, "a follower is ready: it serves health and waits");
    }

    /// <summary>The restarts sent, in order, with the time the watch decided each (the timestamp it wrote).</summary>
    private static List<(string Namespace, string Name, DateTimeOffset Time)> Restarted(World world) =>
        world.Kube.Requests.Writes(ResourceTypes.Deployment)
            .Where(w => w.Query["dryRun"] is null && w.StatusCode == 200)
            .Select(w => (w.Namespace!, w.Name!, DateTimeOffset.Parse(
                (string)JsonNode.Parse(w.Body)!["spec"]!["template"]!["metadata"]!["annotations"]!["sidecarRollout.rollout.timestamp"]!, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>One watcher replica on its own client and credentials.</summary>
    private sealed class Watcher(string identity, RolloutWatcher instance, Kubernetes client, WatchMetrics metrics, CancellationTokenSource stop, Task run) : IAsyncDisposable
    {
        public string Identity { get; } = identity;

        public RolloutWatcher Instance { get; } = instance;

        public static Watcher Start(World world, string? leaseNamespace, string identity = "watcher", string? token = null, IMeterFactory? meters = null)
        {
            var path = world.Kube.WriteKubeconfig(world.Directory.File($"kubeconfig-{identity}"), token is null ? null : KubeconfigUser.Token(token));
            var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
            var options = new WatchOptions
            {
                Interval = Interval,
                Settle = TimeSpan.FromMilliseconds(100),
                Cooldown = TimeSpan.FromHours(1),
                Timeout = TimeSpan.FromSeconds(20),
                Parallel = 3,
            };
            var metrics = new WatchMetrics(meters);
            var watcher = new RolloutWatcher(client, options, NullLoggerFactory.Instance, metrics, identity, leaseNamespace, election: leaseNamespace is null ? null : new Controllers.Kube.LeaderElectionOptions
            {
                LeaseNamespace = leaseNamespace,
                LeaseName = options.LeaseName,
                Identity = identity,
                LeaseDuration = TimeSpan.FromSeconds(2),
                RenewDeadline = TimeSpan.FromSeconds(1.5),
                RetryPeriod = TimeSpan.FromMilliseconds(300),
            });
            var stop = new CancellationTokenSource();
            return new Watcher(identity, watcher, client, metrics, stop, Task.Run(() => watcher.RunAsync(stop.Token)));
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (OperationCanceledException)
            {
            }

            stop.Dispose();
            metrics.Dispose();
            client.Dispose();
        }
    }

    /// <summary>
    /// Reads the watch's instruments as an exporter would (latest gauge values, counter sums). It is also the meter
    /// factory of the one watcher it reads: other tests' watchers, running in parallel, create meters of the same name,
    /// so the probe listens only to the meters it created (a clean-clone run once counted another test's 2 restarts).
    /// </summary>
    private sealed class MetricsProbe : IDisposable, IMeterFactory
    {
        private readonly MeterListener _listener = new();
        private readonly Lock _gate = new();
        private readonly Dictionary<string, long> _values = [];
        private readonly List<Meter> _meters = [];

        public MetricsProbe()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == this)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags, add: false));
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags, add: true));
            _listener.Start();
        }

        public long Gauge(string name, params (string Key, string Value)[] tags)
        {
            lock (_gate)
            {
                _values.Clear();
            }

            _listener.RecordObservableInstruments();
            lock (_gate)
            {
                return _values.Where(kv => kv.Key.StartsWith(name + "|", StringComparison.Ordinal) && tags.All(t => kv.Key.Contains($"|{t.Key}={t.Value}", StringComparison.Ordinal))).Sum(kv => kv.Value);
            }
        }

        public long Counter(string name)
        {
            lock (_gate)
            {
                return _counters.Where(kv => kv.Key.StartsWith(name + "|", StringComparison.Ordinal)).Sum(kv => kv.Value);
            }
        }

        private readonly Dictionary<string, long> _counters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
            lock (_gate)
            {
                _meters.Add(meter);
            }

            return meter;
        }

        public void Dispose()
        {
            _listener.Dispose();
            lock (_gate)
            {
                _meters.ForEach(m => m.Dispose());
            }
        }

        private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, bool add)
        {
            var key = instrument.Name + "|" + string.Join("|", tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
            lock (_gate)
            {
                if (add)
                {
                    _counters[key] = _counters.GetValueOrDefault(key) + value;
                }
                else
                {
                    _values[key] = value;
                }
            }
        }
    }
}
