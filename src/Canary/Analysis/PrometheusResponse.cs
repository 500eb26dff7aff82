using System.Globalization;
using System.Text.Json;

namespace Canary.Analysis;

/// <summary>
/// Reads the JSON of Prometheus's HTTP API (<c>{"status":"success","data":{"resultType":...,"result":...}}</c>,
/// or <c>{"status":"error","errorType":...,"error":...}</c>) into a <see cref="QueryResult"/>. Anything else is an
/// error with a sentence saying what was wrong; this never throws on bad input.
/// </summary>
public static class PrometheusResponse
{
    /// <summary>Parses a body. Returns the result, or null and an error message.</summary>
    public static (QueryResult? Result, string? Error) Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 32 });
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return (null, $"Prometheus answered with invalid JSON ({ex.Message})");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "Prometheus answered with JSON that is not an object");
            }

            var status = Str(root, "status");
            if (status == "error")
            {
                var type = Str(root, "errorType") ?? "unknown";
                var error = Str(root, "error") ?? "(no message)";
                return (null, $"Prometheus query error ({type}): {error}");
            }

            if (status != "success")
            {
                return (null, $"Prometheus answered with status \"{status ?? "(missing)"}\"");
            }

            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                return (null, "Prometheus answered without a data object");
            }

            if (!data.TryGetProperty("result", out var result))
            {
                return (null, "Prometheus answered without data.result");
            }

            try
            {
                return Str(data, "resultType") switch
                {
                    "vector" => (new QueryResult.Vector(Series(result, matrix: false)), null),
                    "matrix" => (new QueryResult.Matrix(Series(result, matrix: true)), null),
                    "scalar" => ScalarOf(result),
                    "string" => (new QueryResult.Text(Pair(result, numeric: false).Raw), null),
                    var t => (null, $"Prometheus answered with an unknown resultType \"{t ?? "(missing)"}\""),
                };
            }
            catch (FormatException ex)
            {
                return (null, $"Prometheus answered with a malformed result: {ex.Message}");
            }
        }
    }

    /// <summary>Parses a sample value as Prometheus writes it: decimal, <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.</summary>
    public static bool TryParseValue(string raw, out double value)
    {
        switch (raw)
        {
            case "NaN":
                value = double.NaN;
                return true;
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
        }

        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    private static (QueryResult?, string?) ScalarOf(JsonElement result)
    {
        var (raw, value) = Pair(result);
        return (new QueryResult.Scalar(raw, value), null);
    }

    private static List<Sample> Series(JsonElement result, bool matrix)
    {
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("result is not an array");
        }

        var list = new List<Sample>(result.GetArrayLength());
        foreach (var s in result.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("a series is not an object");
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (s.TryGetProperty("metric", out var metric) && metric.ValueKind == JsonValueKind.Object)
            {
                foreach (var l in metric.EnumerateObject())
                {
                    labels[l.Name] = l.Value.ValueKind == JsonValueKind.String ? l.Value.GetString()! : l.Value.GetRawText();
                }
            }

            JsonElement pair;
            if (matrix)
            {
                if (!s.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException(s.TryGetProperty("histograms", out _)
                        ? "native histogram series cannot be compared; select a float series"
                        : "a matrix series has no values");
                }

                if (values.GetArrayLength() == 0)
                {
                    continue;
                }

                pair = values[values.GetArrayLength() - 1];
            }
            else if (!s.TryGetProperty("value", out pair))
            {
                throw new FormatException(s.TryGetProperty("histogram", out _)
                    ? "a native histogram sample cannot be compared; select a float series (e.g. with histogram_quantile)"
                    : "a vector sample has no value");
            }

            var (raw, value) = Pair(pair);
            list.Add(new Sample(labels, raw, value));
        }

        return list;
    }

    /// <summary>A <c>[unixTime, "value"]</c> pair.</summary>
    private static (string Raw, double Value) Pair(JsonElement pair, bool numeric = true)
    {
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair[1].ValueKind != JsonValueKind.String)
        {
            throw new FormatException("a sample is not a [time, \"value\"] pair");
        }

        var raw = pair[1].GetString()!;
        if (TryParseValue(raw, out var v))
        {
            return (raw, v);
        }

        return numeric ? throw new FormatException($"\"{Text.Truncate(raw, 67)}\" is not a number") : (raw, double.NaN);
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
