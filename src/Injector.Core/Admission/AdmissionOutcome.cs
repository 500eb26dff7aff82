using Injector.Core.Engine;

namespace Injector.Core.Admission;

/// <summary>
/// What to send back for one HTTP request: the status code and body, plus what happened for logs and metrics.
/// <see cref="Result"/> is null when the request itself was unusable (HTTP 400, <see cref="Error"/> says why).
/// </summary>
public sealed record AdmissionOutcome(int StatusCode, byte[] Body, string? Uid, PodIdentity Pod, InjectionResult? Result, string? Error)
{
    public bool IsBadRequest => StatusCode != 200;
}
