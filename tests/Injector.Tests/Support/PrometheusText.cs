using System.Globalization;

namespace Injector.Tests.Support;

/// <summary>Reads samples out of a Prometheus text exposition (name{labels} value [timestamp]).</summary>
internal static class PrometheusText
{
    /// <summary>Sum of every sample of <paramref name="name"/> whose labels contain all of <paramref name="labels"/>.</summary>
    public static double Sum(string exposition, string name, params string[] labels)
    {
        double sum = 0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[name.Length..];
            string labelText = string.Empty;
            if (rest.StartsWith('{'))
            {
                var close = rest.IndexOf('}', StringComparison.Ordinal);
                labelText = rest[1..close];
                rest = rest[(close + 1)..];
            }
            else if (!rest.StartsWith(' '))
            {
                continue; // a longer name with the same prefix
            }

            if (labels.All(l => labelText.Contains(l, StringComparison.Ordinal)))
            {
                sum += double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    public static async Task<string> ScrapeAsync(Uri healthUri)
    {
        using var plain = new HttpClient();
        return await plain.GetStringAsync(new Uri(healthUri, "/metrics"));
    }
}
