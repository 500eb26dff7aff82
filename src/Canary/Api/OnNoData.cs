namespace Canary.Api;

/// <summary>What a check without data means (<c>spec.onNoData</c>).</summary>
public enum OnNoData
{
    /// <summary>Neither a pass nor a failure: the weight stays, the check runs again next interval (bounded by the progress deadline).</summary>
    Hold,

    /// <summary>Counts as a passing check.</summary>
    Pass,

    /// <summary>Counts as a failed check.</summary>
    Fail,
}
