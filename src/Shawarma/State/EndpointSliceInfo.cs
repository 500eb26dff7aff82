namespace Shawarma.State;

/// <summary>An EndpointSlice reduced to its Service (label <c>kubernetes.io/service-name</c>) and endpoints.</summary>
internal sealed record EndpointSliceInfo(string Name, string? ServiceName, IReadOnlyList<SliceEndpoint> Endpoints);
