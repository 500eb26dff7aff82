using System.Text.RegularExpressions;

namespace Charts.Tests;

/// <summary>
/// A Dockerfile read the way BuildKit's dockerfile frontend reads it, for what the tests ask: line continuations
/// joined and comments dropped, the global ARGs before the first FROM, the stages, and which stage or image a FROM
/// names once the global ARGs are substituted. As in BuildKit, stage names are lower-cased when declared and a FROM
/// matches an earlier stage's name exactly (moby/buildkit dockerfile2llb: <c>addState</c> looks the substituted base
/// name up unchanged), and only declared global ARGs reach FROM; a build argument overrides their default.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyDictionary<string, string?> globalArgs, IReadOnlyList<DockerfileStage> stages)
    {
        GlobalArgs = globalArgs;
        Stages = stages;
    }

    /// <summary>The ARGs declared before the first FROM, with their defaults (null when none).</summary>
    public IReadOnlyDictionary<string, string?> GlobalArgs { get; }

    public IReadOnlyList<DockerfileStage> Stages { get; }

    public static Dockerfile Parse(string text)
    {
        var lines = Regex.Replace(text, @"\\\r?\n", " ")
            .Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        var globals = new Dictionary<string, string?>(StringComparer.Ordinal);
        var stages = new List<DockerfileStage>();
        List<string>? body = null;
        foreach (var line in lines)
        {
            var from = FromLine().Match(line);
            if (from.Success)
            {
                body = [];
                var name = from.Groups["name"].Success ? from.Groups["name"].Value.ToLowerInvariant() : null;
                stages.Add(new DockerfileStage(name, from.Groups["base"].Value, from.Groups["platform"].Success ? from.Groups["platform"].Value : null, body));
            }
            else if (body is not null)
            {
                body.Add(line);
            }
            else
            {
                var arg = ArgLine().Match(line);
                Assert.True(arg.Success, $"only ARG may precede the first FROM: {line}");
                globals[arg.Groups["key"].Value] = arg.Groups["value"].Success ? arg.Groups["value"].Value : null;
            }
        }

        return new Dockerfile(globals, stages);
    }

    public DockerfileStage Stage(string name) => Assert.Single(Stages, s => s.Name == name);

    /// <summary>
    /// Follows <paramref name="stage"/>'s FROM through earlier stages to the image it starts from, with the given
    /// build arguments. <c>Chain</c> lists the stages passed through (empty when the FROM names an image itself).
    /// </summary>
    public (IReadOnlyList<DockerfileStage> Chain, string Image) Resolve(DockerfileStage stage, IReadOnlyDictionary<string, string> buildArgs)
    {
        var chain = new List<DockerfileStage>();
        while (true)
        {
            var baseName = Substitute(stage.BaseName, buildArgs);
            Assert.False(baseName.Length == 0, $"base name ({stage.BaseName}) should not be blank");
            var index = Stages.ToList().IndexOf(stage);
            var named = Stages.Take(index).LastOrDefault(s => s.Name == baseName);
            if (named is null)
            {
                return (chain, baseName);
            }

            chain.Add(named);
            stage = named;
        }
    }

    private string Substitute(string word, IReadOnlyDictionary<string, string> buildArgs) =>
        Variable().Replace(word, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["bare"].Value;
            if (!GlobalArgs.TryGetValue(name, out var value))
            {
                return "";
            }

            return buildArgs.TryGetValue(name, out var given) ? given : value ?? "";
        });

    [GeneratedRegex(@"^FROM\s+(?:--platform=(?<platform>\S+)\s+)?(?<base>\S+)(?:\s+AS\s+(?<name>\S+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^ARG\s+(?<key>[A-Za-z_][A-Za-z0-9_]*)(?:=(?<value>\S*))?$")]
    private static partial Regex ArgLine();

    /// <summary><c>${NAME}</c> and <c>$NAME</c>; a modifier (<c>${NAME:-x}</c>...) does not match and stays literal, failing the lookup.</summary>
    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();
}
