using Canary.Reconciling;

namespace Canary.Traffic;

/// <summary>Reads and sets the primary/canary traffic split of one CanaryApp.</summary>
public interface ITrafficProvider
{
    /// <summary>The canary weight and whether the managed fields are as wanted; null when the routing object is missing.</summary>
    Task<RouteObservation?> ObserveAsync(DesiredObjects desired, CancellationToken cancellationToken);

    /// <summary>Creates the routing objects, or patches only the fields the controller manages.</summary>
    Task SetWeightAsync(DesiredObjects desired, int canaryWeight, CancellationToken cancellationToken);
}
