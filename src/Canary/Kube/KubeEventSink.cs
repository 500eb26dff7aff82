using Canary.Api;
using Canary.Reconciling;
using Controllers.Kube;
using k8s.Models;

namespace Canary.Kube;

/// <summary>Records a CanaryApp's Events through the shared <see cref="EventRecorder"/>.</summary>
public sealed class KubeEventSink(EventRecorder recorder) : ICanaryEventSink
{
    public Task RecordAsync(CanaryApp app, CanaryEvent canaryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(canaryEvent);
        var regarding = new V1ObjectReference
        {
            ApiVersion = CanaryApp.ApiVersionValue,
            Kind = CanaryApp.KindName,
            Name = app.Metadata.Name,
            NamespaceProperty = app.Metadata.NamespaceProperty,
            Uid = app.Metadata.Uid,
            ResourceVersion = app.Metadata.ResourceVersion,
        };
        return recorder.RecordAsync(regarding, canaryEvent.Type, canaryEvent.Reason, canaryEvent.Reason, canaryEvent.Note, cancellationToken);
    }
}
