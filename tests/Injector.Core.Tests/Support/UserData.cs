using System.Text.Json.Nodes;
using Injector.Core.Patching;
using Sidecars.Contract;

namespace Injector.Core.Tests.Support;

/// <summary>Checks that what the user (or another webhook) wrote is still there after injection.</summary>
public static class UserData
{
    /// <summary>
    /// Every leaf of <paramref name="original"/> is unchanged at its path in <paramref name="patched"/>, except the
    /// injector's status and label, and the command line of <paramref name="proaTarget"/>, which must reappear after
    /// "--" in its args (<paramref name="wrapped"/>: the original command or the annotation's, then the original args;
    /// null to skip that check).
    /// </summary>
    public static void AssertKept(JsonObject original, JsonObject patched, string? proaTarget, IReadOnlyList<string>? wrapped)
    {
        var skipped = new List<string>
        {
            "/metadata/annotations/" + JsonPointer.Escape(AnnotationKeys.Status),
            "/metadata/labels/" + JsonPointer.Escape(AnnotationKeys.InjectedLabel),
        };
        if (proaTarget is not null)
        {
            var index = original["spec"]!["containers"]!.AsArray().Select(c => c!["name"]?.GetValue<string>()).ToList().IndexOf(proaTarget);
            skipped.Add($"/spec/containers/{index}/command");
            skipped.Add($"/spec/containers/{index}/args");
            if (wrapped is not null)
            {
                var args = patched["spec"]!["containers"]![index]!["args"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
                Assert.Equal(wrapped, args.SkipWhile(a => a != "--").Skip(1));
            }
        }

        foreach (var (path, value) in Leaves(original, string.Empty))
        {
            if (skipped.Any(s => path == s || path.StartsWith(s + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var actual = Resolve(patched, path);
            Assert.True(JsonNode.DeepEquals(value, actual), $"user value at {path} changed: {value?.ToJsonString()} -> {actual?.ToJsonString()}");
        }
    }

    /// <summary>The same check for one container found by name in both pods (positions may differ).</summary>
    public static void AssertContainerKept(JsonObject original, JsonObject patched, string because, bool exceptCommandLine = false)
    {
        foreach (var (path, value) in Leaves(original, string.Empty))
        {
            if (exceptCommandLine && (path.StartsWith("/command", StringComparison.Ordinal) || path.StartsWith("/args", StringComparison.Ordinal)))
            {
                continue;
            }

            var actual = Resolve(patched, path);
            Assert.True(JsonNode.DeepEquals(value, actual), $"{because}: value at {path} of container '{original["name"]}' changed: {value?.ToJsonString()} -> {actual?.ToJsonString()}");
        }
    }

    public static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                foreach (var (key, child) in obj)
                {
                    foreach (var leaf in Leaves(child, JsonPointer.Append(path, key)))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray array when array.Count > 0:
                for (int i = 0; i < array.Count; i++)
                {
                    foreach (var leaf in Leaves(array[i], JsonPointer.Append(path, i)))
                    {
                        yield return leaf;
                    }
                }

                break;
            default:
                yield return (path, node);
                break;
        }
    }

    public static JsonNode? Resolve(JsonNode root, string path)
    {
        JsonNode? current = root;
        foreach (var raw in path.Split('/').Skip(1))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return current;
    }
}
