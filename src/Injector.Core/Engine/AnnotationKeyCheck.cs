namespace Injector.Core.Engine;

/// <summary>
/// Warns about keys under the injector's prefixes that it does not read (a typo such as
/// <c>appup.sidecars.dev/prot</c> would otherwise be silently ignored), naming the keys that are valid there.
/// All keys come from <see cref="AnnotationKeys.PodKeys"/>.
/// </summary>
internal static class AnnotationKeyCheck
{
    private const int MaxWarnings = 5;
    private static readonly HashSet<string> Known = new(AnnotationKeys.PodKeys, StringComparer.Ordinal);

    public static void Check(PodAnnotations annotations, List<string> warnings)
    {
        var count = 0;
        foreach (var key in annotations.Keys)
        {
            if (Known.Contains(key) || Describe(key) is not { } valid)
            {
                continue;
            }

            if (++count > MaxWarnings)
            {
                warnings.Add("more annotations under the injector's prefixes are not keys it reads");
                return;
            }

            warnings.Add($"annotation {AnnotationValues.Quote(key)} is not a key the injector reads and is ignored; {valid}");
        }
    }

    /// <summary>What would be valid in place of <paramref name="key"/>, or null when the key is not under our prefixes.</summary>
    private static string? Describe(string key)
    {
        if (key.StartsWith(AnnotationKeys.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return "valid keys are " + string.Join(", ", AnnotationKeys.PodKeys.Where(k => k.StartsWith(AnnotationKeys.Prefix, StringComparison.Ordinal) && k != AnnotationKeys.Status));
        }

        if (key.StartsWith(AnnotationKeys.LegacyShawarmaPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return "valid keys are " + string.Join(", ", AnnotationKeys.PodKeys.Where(k => k.StartsWith(AnnotationKeys.LegacyShawarmaPrefix, StringComparison.Ordinal)));
        }

        var at = key.IndexOf(AnnotationKeys.SidecarKeySuffix, StringComparison.OrdinalIgnoreCase);
        if (at <= 0 || key.IndexOf('/', StringComparison.Ordinal) != at + AnnotationKeys.SidecarKeySuffix.Length - 1)
        {
            return null;
        }

        var sidecar = key[..at].ToLowerInvariant();
        if (SidecarNames.All.Contains(sidecar))
        {
            var prefix = sidecar + AnnotationKeys.SidecarKeySuffix;
            return $"valid keys for {sidecar} are " + string.Join(", ", AnnotationKeys.PodKeys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)));
        }

        var suffix = key[(at + AnnotationKeys.SidecarKeySuffix.Length)..];
        var sameSuffix = AnnotationKeys.PodKeys.Where(k => k.EndsWith(AnnotationKeys.SidecarKeySuffix + suffix, StringComparison.Ordinal)).ToList();
        return $"'{key[..at]}' is not a sidecar (valid: {string.Join(", ", SidecarNames.All)})" +
               (sameSuffix.Count > 0 ? "; did you mean " + string.Join(" or ", sameSuffix) : string.Empty);
    }
}
