namespace Injector.Core.Engine;

/// <summary>Which sidecars a pod asked for: <c>sidecars.dev/inject</c> plus the legacy shawarma-webhook keys.</summary>
public sealed class SidecarSelection
{
    private SidecarSelection(bool optedIn, IReadOnlyList<string> sidecars, string? error)
    {
        OptedIn = optedIn;
        Sidecars = sidecars;
        Error = error;
    }

    /// <summary>True when the pod carries any opt-in annotation (even an empty list).</summary>
    public bool OptedIn { get; }

    /// <summary>Requested sidecars in injection order, without duplicates.</summary>
    public IReadOnlyList<string> Sidecars { get; }

    /// <summary>Why the annotation cannot be honoured, naming the valid values.</summary>
    public string? Error { get; }

    public static SidecarSelection From(PodAnnotations annotations)
    {
        var requested = new HashSet<string>(StringComparer.Ordinal);
        var optedIn = false;
        var raw = annotations.Get(AnnotationKeys.Inject);
        if (raw is not null)
        {
            optedIn = true;
            foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var name = part.ToLowerInvariant();
                if (!SidecarNames.All.Contains(name))
                {
                    return new SidecarSelection(true, [], $"annotation {AnnotationKeys.Inject}: unknown sidecar '{part}'; valid names are {string.Join(", ", SidecarNames.All)} (comma-separated)");
                }

                requested.Add(name);
            }
        }

        if (annotations.Contains(AnnotationKeys.LegacyShawarmaServiceName) || annotations.Contains(AnnotationKeys.LegacyShawarmaServiceLabels))
        {
            optedIn = true;
            requested.Add(SidecarNames.Shawarma);
        }

        return new SidecarSelection(optedIn, SidecarNames.All.Where(requested.Contains).ToArray(), null);
    }
}
