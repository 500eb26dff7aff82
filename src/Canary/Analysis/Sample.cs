namespace Canary.Analysis;

/// <summary>One series of a query result: its labels and the value (as written by Prometheus and parsed).</summary>
public sealed record Sample(IReadOnlyDictionary<string, string> Labels, string RawValue, double Value)
{
    public string Describe()
    {
        var labels = string.Join(",", Labels.Where(l => l.Key != "__name__").Select(l => $"{l.Key}=\"{l.Value}\""));
        var name = Labels.TryGetValue("__name__", out var n) ? n : "";
        return $"{name}{{{labels}}} {RawValue}";
    }
}
