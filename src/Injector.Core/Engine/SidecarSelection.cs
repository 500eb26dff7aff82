namespace Injector.Core.Engine;

/// <summary>
/// Which sidecars a pod asked for: <c>sidecars.dev/inject</c> plus the legacy shawarma-webhook keys. Values are read
/// the way people write them: names in any case, and <c>false</c>, <c>none</c> or an empty value mean "none" (the
/// Istio habit) rather than an error.
/// </summary>
public sealed class SidecarSelection
{
    private static readonly string[] NoneValues = ["false", "none"];
    private static readonly string[] YesValues = ["true", "yes", "on", "enabled"];

    private SidecarSelection(bool optedIn, IReadOnlyList<string> sidecars, string? error, IReadOnlyList<string> warnings)
    {
        OptedIn = optedIn;
        Sidecars = sidecars;
        Error = error;
        Warnings = warnings;
    }

    /// <summary>True when the pod carries an opt-in annotation (even one that asks for no sidecars).</summary>
    public bool OptedIn { get; }

    /// <summary>Requested sidecars in injection order, without duplicates.</summary>
    public IReadOnlyList<string> Sidecars { get; }

    /// <summary>Why the annotation cannot be honoured, naming the valid values.</summary>
    public string? Error { get; }

    /// <summary>How a value was read when it was not written the canonical way.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Whether the injector has anything to do with the pod: an opt-in key, or a status from an earlier injection
    /// (so dropping the opt-in removes what was added). The chart's matchConditions send exactly these pods.
    /// </summary>
    public static bool IsInScope(PodAnnotations annotations) =>
        annotations.Contains(AnnotationKeys.Inject) ||
        annotations.Contains(AnnotationKeys.LegacyShawarmaServiceName) ||
        annotations.Contains(AnnotationKeys.LegacyShawarmaServiceLabels) ||
        annotations.Contains(AnnotationKeys.Status);

    public static SidecarSelection From(PodAnnotations annotations)
    {
        var requested = new HashSet<string>(StringComparer.Ordinal);
        var warnings = new List<string>();
        var legacy = annotations.Contains(AnnotationKeys.LegacyShawarmaServiceName) || annotations.Contains(AnnotationKeys.LegacyShawarmaServiceLabels);
        var raw = annotations.Get(AnnotationKeys.Inject);
        var optedIn = raw is not null || legacy;
        var none = false;
        if (raw is not null)
        {
            var value = raw.Trim();
            if (value.Length == 0 || NoneValues.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                none = true;
                warnings.Add($"annotation {AnnotationKeys.Inject} is {AnnotationValues.Quote(value)}: no sidecars injected; to inject, list any of {string.Join(", ", SidecarNames.All)}");
            }
            else
            {
                foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var name = part.ToLowerInvariant();
                    if (!SidecarNames.All.Contains(name))
                    {
                        var hint = YesValues.Contains(name) ? "; list the sidecars to inject, for example appup,shawarma" : string.Empty;
                        return new SidecarSelection(true, [], $"annotation {AnnotationKeys.Inject}: unknown sidecar {AnnotationValues.Quote(part)}{hint}; valid names are {string.Join(", ", SidecarNames.All)} (comma-separated; false or none for no sidecars)", warnings);
                    }

                    if (!string.Equals(part, name, StringComparison.Ordinal))
                    {
                        warnings.Add($"annotation {AnnotationKeys.Inject}: sidecar name {AnnotationValues.Quote(part)} read as '{name}'");
                    }

                    requested.Add(name);
                }
            }
        }

        if (legacy)
        {
            if (none)
            {
                warnings.Add($"annotations {AnnotationKeys.LegacyShawarmaPrefix}* ignored: {AnnotationKeys.Inject} asks for no sidecars");
            }
            else
            {
                requested.Add(SidecarNames.Shawarma);
            }
        }

        // In injection order (every requested name is one of SidecarNames.All).
        string[] sidecars = requested.Count == 0 ? [] : new string[requested.Count];
        var count = 0;
        foreach (var name in SidecarNames.All)
        {
            if (requested.Contains(name))
            {
                sidecars[count++] = name;
            }
        }

        return new SidecarSelection(optedIn, sidecars, null, warnings);
    }
}
