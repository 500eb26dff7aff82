using System.Text.RegularExpressions;

namespace Injector.Core.Configuration;

/// <summary>
/// Checks an image reference against the grammar of distribution/reference (what container runtimes accept):
/// <c>[host[:port]/]path[:tag][@algorithm:hex]</c>, lower-case path components, a tag of at most 128 word characters,
/// a digest of the right length for its algorithm, at most 255 characters of name. Sidecar images must also be
/// pinned by a tag or a digest: an untagged reference means "latest", and a name cut short by a half-written file
/// usually has no tag.
/// </summary>
internal static partial class ImageReference
{
    private const int MaxNameLength = 255;

    /// <summary>Null when <paramref name="reference"/> is a valid, pinned image reference; otherwise the reason.</summary>
    public static string? Check(string reference)
    {
        if (reference.Length > 4 * MaxNameLength)
        {
            return "is not a valid image reference: it is too long";
        }

        var match = Grammar().Match(reference);
        if (!match.Success)
        {
            return "is not a valid image reference ([registry[:port]/]repository[:tag][@digest], repository in lower case)";
        }

        if (match.Groups["name"].Length > MaxNameLength)
        {
            return $"is not a valid image reference: the name is longer than {MaxNameLength} characters";
        }

        if (match.Groups["digest"].Success)
        {
            var algorithm = match.Groups["algorithm"].Value;
            var hexLength = match.Groups["hex"].Length;
            var expected = algorithm switch { "sha256" => 64, "sha384" => 96, "sha512" => 128, _ => hexLength };
            if (hexLength != expected)
            {
                return $"is not a valid image reference: a {algorithm} digest has {expected} hex digits";
            }
        }
        else if (!match.Groups["tag"].Success)
        {
            return "has no tag or digest: pin sidecar images (for example :1.2.3 or @sha256:...)";
        }

        return null;
    }

    [GeneratedRegex(
        """
        ^(?<name>
          (?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/
           |\[[a-fA-F0-9:]+\](?::[0-9]+)?/)?
          [a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)
        (?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?
        (?<digest>@(?<algorithm>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):(?<hex>[0-9a-fA-F]{32,}))?$
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Grammar();
}
