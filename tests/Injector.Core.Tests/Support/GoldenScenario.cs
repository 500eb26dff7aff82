using System.Text.Json.Nodes;

namespace Injector.Core.Tests.Support;

/// <summary>
/// One golden folder: <c>review.json</c> (an AdmissionReview as kube-apiserver sends it), <c>expected.json</c>
/// (allowed, whether a patch comes back, the denial message and warnings) and, when patched, <c>pod.json</c> (the
/// pod after the API server applies the patch). Set UPDATE_GOLDEN=1 to rewrite the expectations from the engine,
/// then review the diff.
/// </summary>
public sealed class GoldenScenario
{
    private GoldenScenario(string name, string directory)
    {
        Name = name;
        Directory = directory;
        Review = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "review.json")))!.AsObject();
        var expectedPath = Path.Combine(directory, "expected.json");
        Expected = File.Exists(expectedPath) ? JsonNode.Parse(File.ReadAllText(expectedPath))!.AsObject() : null;
        var podPath = Path.Combine(directory, "pod.json");
        ExpectedPod = File.Exists(podPath) ? JsonNode.Parse(File.ReadAllText(podPath))!.AsObject() : null;
    }

    public string Name { get; }

    public string Directory { get; }

    public JsonObject Review { get; }

    public JsonObject? Expected { get; }

    public JsonObject? ExpectedPod { get; }

    public JsonObject RequestObject => Review["request"]!["object"]!.AsObject();

    public string Uid => Review["request"]!["uid"]!.GetValue<string>();

    /// <summary>True for a Pod CREATE (the reviews the admission chain can replay).</summary>
    public bool IsPodCreate =>
        Review["request"]?["kind"]?["kind"]?.GetValue<string>() == "Pod" && Review["request"]?["operation"]?.GetValue<string>() == "CREATE";

    public static bool Updating => UpdateRequested(Environment.GetEnvironmentVariable("UPDATE_GOLDEN"), Environment.GetEnvironmentVariable("CI"));

    /// <summary>
    /// Whether to rewrite the expectations. A CI run must compare, never rewrite (the files are reviewed by people),
    /// so UPDATE_GOLDEN=1 with CI=true fails the test instead.
    /// </summary>
    public static bool UpdateRequested(string? updateGolden, string? ci)
    {
        if (updateGolden != "1")
        {
            return false;
        }

        if (string.Equals(ci?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("UPDATE_GOLDEN=1 is refused under CI=true: regenerate the golden files locally and review the diff");
        }

        return true;
    }

    public static string Root => Path.Combine(AppContext.BaseDirectory, "Golden");

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static GoldenScenario Load(string name) => new(name, Path.Combine(Root, name));

    /// <summary>A review carrying <paramref name="pod"/> instead, as on re-invocation.</summary>
    public JsonObject ReviewWith(JsonObject pod)
    {
        var copy = Review.DeepClone().AsObject();
        copy["request"]!["object"] = pod.DeepClone();
        return copy;
    }

    /// <summary>Checks a response (and the pod it produced) against the folder, or rewrites the folder.</summary>
    public void Verify(JsonObject response, JsonObject? patchedPod)
    {
        var actual = new JsonObject
        {
            ["allowed"] = response["allowed"]!.GetValue<bool>(),
            ["patched"] = patchedPod is not null,
            ["statusMessage"] = response["status"]?["message"]?.DeepClone(),
            ["warnings"] = response["warnings"]?.DeepClone() ?? new JsonArray(),
        };
        if (Updating)
        {
            var source = Path.Combine(RepositoryRoot(), "tests", "Injector.Core.Tests", "Golden", Name);
            File.WriteAllText(Path.Combine(source, "expected.json"), Pretty(actual));
            var podFile = Path.Combine(source, "pod.json");
            if (patchedPod is not null)
            {
                File.WriteAllText(podFile, Pretty(patchedPod));
            }
            else if (File.Exists(podFile))
            {
                File.Delete(podFile);
            }

            return;
        }

        Assert.True(Expected is not null, $"{Name}: no expected.json; run with UPDATE_GOLDEN=1 and review it");
        Assert.Equal(Pretty(Expected!), Pretty(actual));
        if (patchedPod is not null)
        {
            Assert.True(ExpectedPod is not null, $"{Name}: a patch came back but there is no pod.json");
            Assert.Equal(Pretty(ExpectedPod!), Pretty(patchedPod));
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Injector.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Injector.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Pretty(JsonNode node) =>
        node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
}
