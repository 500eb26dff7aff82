using Canary.Analysis;
using Canary.Api;
using k8s.Models;

namespace Canary.Reconciling;

/// <summary>The routing object as read: the canary's weight, and whether the fields we manage are as we want them.</summary>
public sealed record RouteObservation(int CanaryWeight, bool InSync);

/// <summary>
/// The world one reconcile reads, fresh each time: the CanaryApp (spec, annotations, status), both Deployments with
/// their status, the current weights from the routing object (null: it does not exist), whether the Services are as
/// wanted, the result of the check when one was asked for, and the time.
/// </summary>
public sealed record Observation(
    CanaryApp App,
    V1Deployment? Primary,
    V1Deployment? Canary,
    RouteObservation? Route,
    bool ServicesInSync,
    DateTimeOffset Now)
{
    /// <summary>An object the CanaryApp would make exists and is controlled by someone else (what and whose).</summary>
    public string? Conflict { get; init; }

    /// <summary>Set by the caller when the previous <see cref="Decision"/> asked for a check.</summary>
    public AnalysisResult? Analysis { get; init; }
}
