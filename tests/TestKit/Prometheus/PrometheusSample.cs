namespace TestKit.Prometheus;

/// <summary>One series of an instant vector: its labels and value (NaN and ±Inf allowed).</summary>
public sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>A sample with labels given as name=value pairs: <c>PrometheusSample.Of(0.5, ("job", "web"))</c>.</summary>
    public static PrometheusSample Of(double value, params (string Name, string Value)[] labels) =>
        new(labels.ToDictionary(l => l.Name, l => l.Value), value);
}

/// <summary>One series of a range vector (matrix): labels and (unix seconds, value) points.</summary>
public sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(double Time, double Value)> Points);
