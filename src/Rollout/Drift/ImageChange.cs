namespace Rollout.Drift;

/// <summary>
/// Says how an image reference changed the way people read it: only the tag or digest when the repository is the
/// same (<c>0.1.0 -> 0.2.0</c>), the whole reference otherwise.
/// </summary>
public static class ImageChange
{
    public static string Describe(string? before, string? after)
    {
        if (before is null || after is null)
        {
            return $"{before ?? "(none)"} -> {after ?? "(none)"}";
        }

        var (repoBefore, versionBefore) = Split(before);
        var (repoAfter, versionAfter) = Split(after);
        return repoBefore == repoAfter && versionBefore is not null && versionAfter is not null
            ? $"{versionBefore} -> {versionAfter}"
            : $"{before} -> {after}";
    }

    /// <summary>Repository and tag/digest (<c>@sha256:...</c> wins over a tag; a colon before the last slash is a port).</summary>
    public static (string Repository, string? Version) Split(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var repository = image[..at];
            var colonInName = repository.LastIndexOf(':');
            if (colonInName > repository.LastIndexOf('/'))
            {
                repository = repository[..colonInName];
            }

            return (repository, image[(at + 1)..]);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}
