using Canary.Api;

namespace Canary.Reconciling;

/// <summary>Where Events go (the events.k8s.io recorder in the cluster, a list in tests).</summary>
public interface ICanaryEventSink
{
    Task RecordAsync(CanaryApp app, CanaryEvent canaryEvent, CancellationToken cancellationToken);
}
