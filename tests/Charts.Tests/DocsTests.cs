using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Sidecars.Contract;

namespace Charts.Tests;

/// <summary>
/// The documentation in docs/ keeps up with the code: every annotation key of the contract and every config key the
/// parser accepts is documented, the built-in config printed there is the compiled one, relative links resolve, and
/// nothing points outside the repository for its design.
/// </summary>
public sealed class DocsTests
{
    private const string UnknownKey = "not-a-key-of-the-injector";

    private static readonly string Annotations = File.ReadAllText(Repo.PathOf("docs", "annotations.md"));
    private static readonly string Configuration = File.ReadAllText(Repo.PathOf("docs", "configuration.md"));

    [Theory]
    [MemberData(nameof(ContractKeys.Data), MemberType = typeof(ContractKeys))]
    public void Every_annotation_key_of_the_contract_is_in_the_annotation_reference(string key)
    {
        Assert.True(Annotations.Contains($"`{key}`", StringComparison.Ordinal), $"docs/annotations.md does not document `{key}`");
    }

    /// <summary>
    /// The keys the config parser accepts, as it lists them itself: an unknown key is refused with the valid keys of
    /// its mapping ("valid keys are ...") or, under requests and limits, the valid resource names ("use ...").
    /// </summary>
    public static TheoryData<string, string> ConfigKeys()
    {
        var data = new TheoryData<string, string>();
        string[] paths = ["", "sidecars", .. SidecarNames.All.SelectMany(s => new[] { $"sidecars.{s}", $"sidecars.{s}.resources" }), "securityContext"];
        foreach (var path in paths)
        {
            foreach (var key in KeysAccepted(path, "valid keys are "))
            {
                data.Add(path, key);
            }
        }

        foreach (var key in KeysAccepted("sidecars.appup.resources.limits", "use "))
        {
            data.Add("sidecars.appup.resources.limits", key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ConfigKeys))]
    public void Every_config_key_the_parser_accepts_is_in_the_configuration_reference(string path, string key)
    {
        Assert.True(Configuration.Contains($"`{key}`", StringComparison.Ordinal),
            $"docs/configuration.md does not document `{key}`, which the config parser accepts {(path.Length == 0 ? "at the top level" : "under " + path)}");
    }

    [Fact]
    public void The_built_in_config_in_the_reference_is_the_compiled_one()
    {
        var section = Configuration.IndexOf("### The built-in config", StringComparison.Ordinal);
        Assert.True(section >= 0, "docs/configuration.md has no '### The built-in config' section");
        var start = Configuration.IndexOf("```yaml\n", section, StringComparison.Ordinal) + "```yaml\n".Length;
        var end = Configuration.IndexOf("```", start, StringComparison.Ordinal);
        Assert.True(start >= "```yaml\n".Length && end > start, "the built-in config section has no ```yaml block");
        Assert.Equal(InjectorConfig.DefaultYaml.ReplaceLineEndings("\n").Trim(), Configuration[start..end].ReplaceLineEndings("\n").Trim());
    }

    [Fact]
    public void Relative_links_in_the_repository_markdown_resolve()
    {
        var broken = new List<string>();
        var files = Markdown.Files();
        Assert.Contains("docs/README.md", files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(Repo.PathOf(file));
            foreach (var target in Markdown.LinkTargets(text))
            {
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var path = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var resolved = path.Length == 0
                    ? Repo.PathOf(file)
                    : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Repo.PathOf(file))!, Uri.UnescapeDataString(path)));
                if (!resolved.StartsWith(Repo.Root, StringComparison.Ordinal) || !(File.Exists(resolved) || Directory.Exists(resolved)))
                {
                    broken.Add($"{file}: ({target}) points to nothing in the repository");
                }
                else if (anchor is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                         && !Markdown.Anchors(File.ReadAllText(resolved)).Contains(anchor))
                {
                    broken.Add($"{file}: ({target}) names no heading of {Path.GetRelativePath(Repo.Root, resolved)}");
                }
            }
        }

        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void Nothing_in_the_repository_points_to_documents_outside_it()
    {
        // Spelled in pieces so this file does not match itself.
        string[] outside = ["DESIGN" + ".md", "../" + "shared/"];
        var found = new List<string>();
        foreach (var file in Markdown.RepositoryFiles(Repo.Root))
        {
            var info = new FileInfo(Repo.PathOf(file));
            if (info.Length > 2 * 1024 * 1024)
            {
                continue;
            }

            var text = File.ReadAllText(info.FullName);
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                continue; // binary
            }

            found.AddRange(outside.Where(o => text.Contains(o, StringComparison.Ordinal)).Select(o => $"{file} mentions {o}"));
        }

        Assert.True(found.Count == 0, "the repository owns its documentation (docs/); point there instead:\n" + string.Join("\n", found));
    }

    private static List<string> KeysAccepted(string path, string listedAfter)
    {
        var root = new JsonObject();
        var node = root;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var child = new JsonObject();
            node[part] = child;
            node = child;
        }

        node[UnknownKey] = 1;
        var error = Assert.Throws<InjectorConfigException>(() => InjectorConfig.Parse(root.ToJsonString()));
        Assert.Contains($"'{UnknownKey}'", error.Message, StringComparison.Ordinal);
        var at = error.Message.IndexOf(listedAfter, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the parser's message no longer lists the valid keys after '{listedAfter}': {error.Message}");
        var keys = error.Message[(at + listedAfter.Length)..].Split(", ").Select(k => k.Trim()).ToList();
        Assert.True(keys.Count >= 2 && keys.All(k => k.Length > 0 && !k.Contains(' ', StringComparison.Ordinal)), $"could not read the valid keys from: {error.Message}");
        return keys;
    }
}
