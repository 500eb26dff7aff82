using System.Globalization;
using System.Text;

namespace Injector.Core.Yaml;

/// <summary>
/// Numbers spelled as kubectl's Go code spells them, so our JSON carries the same text as sigs.k8s.io/yaml's:
/// <c>encoding/json</c> for float64 values and <c>strconv.FormatFloat(f, 'g', -1, 32)</c> for float map keys.
/// </summary>
internal static class GoNumberFormat
{
    /// <summary>encoding/json's float64: shortest digits, 'f' form unless |f| &lt; 1e-6 or ≥ 1e21 ("1e+21", "1e-7").</summary>
    public static string JsonFloat(double value)
    {
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var (negative, digits, exponent) = ShortestDigits(value.ToString("R", CultureInfo.InvariantCulture));
        var abs = Math.Abs(value);
        var text = abs < 1e-6 || abs >= 1e21 ? Scientific(digits, exponent, minExponentDigits: 1) : Fixed(digits, exponent);
        return negative ? "-" + text : text;
    }

    /// <summary>strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml spells a float used as a mapping key.</summary>
    public static string GoFloat32Key(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return ".inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-.inf";
        }

        if (double.IsNaN(value))
        {
            return ".nan";
        }

        var single = (float)value;
        if (single == 0)
        {
            return float.IsNegative(single) ? "-0" : "0";
        }

        if (float.IsInfinity(single))
        {
            return float.IsNegative(single) ? "-Inf" : "+Inf";
        }

        var (negative, digits, exponent) = ShortestDigits(single.ToString("R", CultureInfo.InvariantCulture));
        // %g with the shortest precision: exponent form when the decimal exponent is < -4 or >= 6 (strconv's eprec).
        var decimalExponent = exponent - 1;
        var text = decimalExponent < -4 || decimalExponent >= 6 ? Scientific(digits, exponent, minExponentDigits: 2) : Fixed(digits, exponent);
        return negative ? "-" + text : text;
    }

    /// <summary>
    /// Splits a round-trip ("R") rendering into its significant digits and the position of the decimal point
    /// relative to them: value = 0.DIGITS × 10^exponent.
    /// </summary>
    private static (bool Negative, string Digits, int Exponent) ShortestDigits(string roundTrip)
    {
        var negative = roundTrip.StartsWith('-');
        var text = negative ? roundTrip[1..] : roundTrip;
        var e = text.IndexOfAny(['E', 'e']);
        var exponent = e >= 0 ? int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var mantissa = e >= 0 ? text[..e] : text;
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = dot >= 0 ? dot : mantissa.Length;
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        return (negative, digits.Length == 0 ? "0" : digits, integerDigits + exponent - leadingZeros);
    }

    private static string Fixed(string digits, int exponent)
    {
        var text = new StringBuilder();
        if (exponent <= 0)
        {
            text.Append("0.").Append('0', -exponent).Append(digits);
        }
        else if (exponent >= digits.Length)
        {
            text.Append(digits).Append('0', exponent - digits.Length);
        }
        else
        {
            text.Append(digits, 0, exponent).Append('.').Append(digits, exponent, digits.Length - exponent);
        }

        return text.ToString();
    }

    private static string Scientific(string digits, int exponent, int minExponentDigits)
    {
        var text = new StringBuilder();
        text.Append(digits[0]);
        if (digits.Length > 1)
        {
            text.Append('.').Append(digits, 1, digits.Length - 1);
        }

        var power = exponent - 1;
        text.Append('e').Append(power < 0 ? '-' : '+');
        text.Append(Math.Abs(power).ToString(CultureInfo.InvariantCulture).PadLeft(minExponentDigits, '0'));
        return text.ToString();
    }
}
