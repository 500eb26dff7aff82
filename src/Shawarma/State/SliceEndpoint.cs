namespace Shawarma.State;

/// <summary>One endpoint of an EndpointSlice, reduced to what the decision needs.</summary>
/// <param name="PodName">targetRef.name when targetRef.kind is Pod, else null.</param>
/// <param name="Ready">conditions.ready; absent counts as ready (EndpointSlice API: "unknown state ... ready").</param>
internal sealed record SliceEndpoint(string? PodName, bool Ready);
