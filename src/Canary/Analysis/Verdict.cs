namespace Canary.Analysis;

/// <summary>What one check concluded. <see cref="Error"/> (the query could not be evaluated) is kept apart from
/// <see cref="Fail"/> (it was evaluated and the canary is unhealthy); <c>failWhenPrometheusFails</c> decides what an
/// error means.</summary>
public enum Verdict
{
    Pass,
    Fail,
    NoData,
    Error,
}
