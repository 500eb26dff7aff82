using System.Globalization;
using System.Text.RegularExpressions;

namespace Injector.Core.Configuration;

/// <summary>
/// A Kubernetes resource quantity (apimachinery's resource.ParseQuantity grammar): a signed decimal number and an
/// optional suffix, binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal (m, k, M, G, T, P, E) or an exponent (e3, E-2).
/// The value is kept as a decimal to compare requests with limits; anything beyond decimal's range is refused.
/// </summary>
internal static partial class ResourceQuantity
{
    /// <summary>The quantity's value in base units, or null with the reason when the text is not a quantity.</summary>
    public static decimal? Parse(string text, out string? error)
    {
        error = null;
        var match = Grammar().Match(text);
        if (!match.Success)
        {
            error = "is not a valid quantity (a number with an optional suffix, for example 100m, 0.5, 64Mi, 1G)";
            return null;
        }

        try
        {
            var value = decimal.Parse(match.Groups["number"].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            var suffix = match.Groups["suffix"].Value;
            value *= suffix switch
            {
                "" => 1m,
                "m" => 0.001m,
                "k" => 1e3m,
                "M" => 1e6m,
                "G" => 1e9m,
                "T" => 1e12m,
                "P" => 1e15m,
                "E" => 1e18m,
                "Ki" => 1024m,
                "Mi" => 1024m * 1024,
                "Gi" => 1024m * 1024 * 1024,
                "Ti" => 1024m * 1024 * 1024 * 1024,
                "Pi" => 1024m * 1024 * 1024 * 1024 * 1024,
                "Ei" => 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
                _ => PowerOfTen(int.Parse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
            };
            return value;
        }
        catch (Exception ex) when (ex is OverflowException or FormatException)
        {
            error = "is not a valid quantity: too large";
            return null;
        }
    }

    private static decimal PowerOfTen(int exponent)
    {
        if (Math.Abs(exponent) > 28)
        {
            throw new OverflowException();
        }

        var result = 1m;
        for (int i = 0; i < Math.Abs(exponent); i++)
        {
            result *= 10;
        }

        return exponent < 0 ? 1m / result : result;
    }

    [GeneratedRegex(@"^(?<number>[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+))(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Grammar();
}
