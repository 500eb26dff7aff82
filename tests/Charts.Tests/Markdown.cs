using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Charts.Tests;

/// <summary>
/// Just enough Markdown for the documentation tests: the repository's Markdown files, their relative links and the
/// anchors their headings get on GitHub. Fenced code blocks are skipped, as GitHub renders neither links nor headings
/// inside them.
/// </summary>
public static partial class Markdown
{
    private static readonly string[] SkippedDirectories = ["bin", "obj", ".git", ".tools", "artifacts", "node_modules", "TestResults"];

    /// <summary>Every Markdown file of the repository, as a path relative to its root with '/' separators.</summary>
    public static IReadOnlyList<string> Files() =>
        RepositoryFiles(Repo.Root).Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The repository's files below <paramref name="root"/> outside build output, tools and VCS folders.</summary>
    public static IEnumerable<string> RepositoryFiles(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(directory))
            {
                if (!SkippedDirectories.Contains(Path.GetFileName(sub)))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in Directory.EnumerateFiles(directory))
            {
                yield return Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            }
        }
    }

    /// <summary>The lines of <paramref name="text"/> that GitHub renders as Markdown (not inside a fenced code block).</summary>
    public static IEnumerable<string> ProseLines(string text)
    {
        string? fence = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
                continue;
            }

            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }

                continue;
            }

            yield return line;
        }
    }

    /// <summary>The targets of the inline links and images in <paramref name="text"/>: <c>[text](target "title")</c>.</summary>
    public static IEnumerable<string> LinkTargets(string text) =>
        ProseLines(text).SelectMany(line => LinkPattern().Matches(line).Select(m => m.Groups["target"].Value));

    /// <summary>The anchors GitHub gives the headings of <paramref name="text"/> (duplicates get -1, -2, ...).</summary>
    public static IReadOnlySet<string> Anchors(string text)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in ProseLines(text))
        {
            var heading = HeadingPattern().Match(line);
            if (!heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups["title"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count.ToString(CultureInfo.InvariantCulture)}");
        }

        return anchors;
    }

    /// <summary>
    /// GitHub's heading slug: the text of the heading (link targets and code marks dropped), lower case, with every
    /// character that is not a letter, a digit, '_', '-' or a space removed and spaces turned into '-'.
    /// </summary>
    public static string Slug(string title)
    {
        var text = LinkPattern().Replace(title.Trim().TrimEnd('#').Trim(), m => m.Groups["text"].Value);
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '_' or '-')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    [GeneratedRegex("""!?\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(?:\s+"[^"]*")?\)""", RegexOptions.CultureInvariant)]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex HeadingPattern();
}
