using System.Text.RegularExpressions;

namespace Sidecars.Runtime.Tests.Support;

/// <summary>
/// What a sidecar may print when input is hostile: sentences, never a crash report. Linked into the sidecars' test
/// projects (Sidecars.Kube, Shawarma, Proa) so each checks the same thing.
/// </summary>
internal static partial class Sentences
{
    /// <summary>No unhandled exception, no stack trace, no BCL resource key; <paramref name="mentions"/> is named.</summary>
    public static void AssertNoCrashAndMentions(string output, string mentions)
    {
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(ResourceKey(), output);
        Assert.Contains(mentions, output, StringComparison.Ordinal);
    }

    /// <summary>One line, no resource key, no exception dump (<c>System.IO.IOException: ...</c>).</summary>
    public static void AssertOneSentence(string message)
    {
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotMatch(ResourceKey(), message);
        Assert.DoesNotMatch(@"System\.[A-Za-z.]*Exception", message);
    }

    /// <summary>A BCL resource key such as IO_PathNotFound_Path or Cryptography_X509_NoOrMismatchedPemKey (which
    /// UseSystemResourceKeys prints instead of a message), not an UPPER_CASE environment variable name.</summary>
    [GeneratedRegex(@"\b(?=[A-Za-z0-9_]*[a-z])[A-Z][A-Za-z0-9]*_[A-Z][A-Za-z0-9_]*\b")]
    public static partial Regex ResourceKey();
}
