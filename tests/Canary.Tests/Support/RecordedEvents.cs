using Canary.Api;
using Canary.Reconciling;

namespace Canary.Tests.Support;

internal sealed class RecordedEvents : ICanaryEventSink
{
    public List<CanaryEvent> All { get; } = [];

    public IEnumerable<string> Reasons => All.Select(e => e.Reason);

    public Task RecordAsync(CanaryApp app, CanaryEvent canaryEvent, CancellationToken cancellationToken)
    {
        All.Add(canaryEvent);
        return Task.CompletedTask;
    }
}
