namespace Canary.Analysis;

/// <summary>A successful <c>/api/v1/query</c> answer, one case per <c>resultType</c>.</summary>
public abstract record QueryResult
{
    private QueryResult()
    {
    }

    /// <summary><c>vector</c>: zero, one or many series with one sample each.</summary>
    public sealed record Vector(IReadOnlyList<Sample> Series) : QueryResult;

    /// <summary><c>scalar</c>: one number, no labels.</summary>
    public sealed record Scalar(string RawValue, double Value) : QueryResult;

    /// <summary><c>matrix</c>: series with many samples (a range selector in an instant query); <see cref="Series"/> holds each one's last sample.</summary>
    public sealed record Matrix(IReadOnlyList<Sample> Series) : QueryResult;

    /// <summary><c>string</c>: a string literal.</summary>
    public sealed record Text(string Value) : QueryResult;
}
