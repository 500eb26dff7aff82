using System.Globalization;
using System.Text.Json.Nodes;

namespace Rollout.Planning;

/// <summary>
/// The restart: one JSON merge patch (RFC 7386) that sets only <c>&lt;prefix&gt;.rollout.timestamp</c> (RFC 3339, UTC,
/// microseconds) and <c>&lt;prefix&gt;.rollout.reason</c> on <c>spec.template.metadata.annotations</c> - the original
/// tool's keys, so a team surprised by a restart can see who did it and why. Nothing else is sent, so no field
/// anyone else owns can change, and a changed template is what makes every controller roll its pods.
/// </summary>
public static class RestartPatch
{
    public const string DefaultPrefix = "sidecarRollout";

    /// <summary>Annotation values are free text, but a reason longer than this is cut (the table has the whole story).</summary>
    public const int MaxReasonLength = 1024;

    private static readonly System.Text.Json.JsonSerializerOptions WireOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string TimestampKey(string prefix) => prefix + ".rollout.timestamp";

    public static string ReasonKey(string prefix) => prefix + ".rollout.reason";

    /// <summary><c>2025-05-01T10:00:00.123456Z</c>.</summary>
    public static string Timestamp(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string Body(string prefix, DateTimeOffset now, string reason)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(reason);
        var oneLine = reason.ReplaceLineEndings(" ");
        if (oneLine.Length > MaxReasonLength)
        {
            oneLine = oneLine[..(MaxReasonLength - 3)] + "...";
        }

        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["annotations"] = new JsonObject
                        {
                            [TimestampKey(prefix)] = Timestamp(now),
                            [ReasonKey(prefix)] = oneLine,
                        },
                    },
                },
            },
        };
        return patch.ToJsonString(WireOptions);
    }

    /// <summary>
    /// Null when <paramref name="prefix"/> makes valid annotation keys, else why not. A key is an optional DNS
    /// subdomain prefix and '/', then a name of at most 63 characters ([A-Za-z0-9] at both ends; '-', '_', '.'
    /// inside), as apimachinery's IsQualifiedName checks.
    /// </summary>
    public static string? ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var key = ReasonKey(prefix);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var domain = key[..slash];
            if (domain.Length is 0 or > 253 || !domain.Split('.').All(IsDnsLabel))
            {
                return $"'{prefix}' does not make a valid annotation key: the part before '/' must be a DNS subdomain (lowercase letters, digits, '-', '.')";
            }
        }

        if (name.Length > 63 || !IsQualifiedNamePart(name))
        {
            return $"'{prefix}' does not make a valid annotation key ('{key}'): the name must be at most 63 characters of letters, digits, '-', '_' and '.', beginning and ending with a letter or digit";
        }

        return null;
    }

    private static bool IsDnsLabel(string label) =>
        label.Length is > 0 and <= 63 && char.IsAsciiLetterLower(label[0]) | char.IsAsciiDigit(label[0])
        && (char.IsAsciiLetterLower(label[^1]) || char.IsAsciiDigit(label[^1]))
        && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static bool IsQualifiedNamePart(string name) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
