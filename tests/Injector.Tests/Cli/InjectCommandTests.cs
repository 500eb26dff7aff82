using Injector.Core.Tests.Support;
using Injector.Core.Yaml;
using Injector.Tests.Support;
using TestKit.Processes;

namespace Injector.Tests.Cli;

/// <summary>
/// <c>injector inject -f</c> as a real process: every input gets YAML on stdout and one-line errors on stderr, exit 0
/// (all injected), 1 (some input refused) or 2 (usage); never a stack trace.
/// </summary>
public sealed class InjectCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("injector-inject-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task One_denied_document_is_reported_and_the_others_still_print()
    {
        var file = Write("mixed.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {mode: "0755"}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: bad
              annotations: {sidecars.dev/inject: envoy}
            spec:
              containers: [{name: app, image: nginx}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: good
              annotations: {sidecars.dev/inject: appup}
            spec:
              containers: [{name: app, image: nginx}]
            """);

        using var injector = InjectorProgram.Start(["inject", "-f", file]);

        Assert.Equal(1, await injector.WaitForExitAsync());
        var errors = StandardError(injector);
        var error = Assert.Single(errors);
        Assert.StartsWith("error: document 2 (Pod/bad, line 6): annotation sidecars.dev/inject: unknown sidecar 'envoy'", error, StringComparison.Ordinal);
        var docs = YamlJson.ParseAll(StandardOutput(injector));
        Assert.Equal(["settings", "good"], docs.Select(d => d!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal("0755", docs[0]!["data"]!["mode"]!.GetValue<string>());
        Assert.Equal("appup", docs[1]!["spec"]!["initContainers"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_port_clash_check_sees_ports_read_from_yaml()
    {
        using var injector = InjectorProgram.Start(["inject", "-f", "-"], stdin: """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations: {sidecars.dev/inject: appup}
            spec:
              containers:
              - name: app
                image: nginx
                ports: [{containerPort: 9999}]
            """);

        Assert.Equal(1, await injector.WaitForExitAsync());
        Assert.Contains("cannot inject appup on port 9999: container 'app' already uses it", Assert.Single(StandardError(injector)), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> HostileInputs() => new()
    {
        { "alias-bomb", TestInputs.AliasBomb(9), "excessive aliasing" },
        { "recursive-alias", "a: &a [*a]\n", "line 1, column " },
        { "deep-nesting", "a: " + new string('[', 100_000) + "\n", "nested deeper than" },
        { "unterminated", "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n", "document 1 (line 1): line " },
        { "tab-indent", "a:\n\tb: 1\n", "document 1 (line 1): line 2, column 1: " },
        { "infinity", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nv: .inf\n", "cannot be represented in JSON" },
        { "null-key", "~: 1\n", "line 1, column 1: " },
        { "bad-separator", "a: 1\n--- {b: 2}\n", "line 2, column 1: invalid document separator" },
        { "control-character", "a: \u0001\n", "document 1 (line 1): line 1, column " },
        { "lone-surrogate", "a: \"\\uD800\"\n", "document 1 (line 1): line 1, column " },
        { "broken-json", "{\"a\": [1, 2}\n", "document 1 (line 1): " },
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public async Task Hostile_input_gets_a_one_line_error_and_exit_1(string name, string input, string expected)
    {
        var file = Write(name + ".yaml", input);

        using var injector = InjectorProgram.Start(["inject", "-f", file]);

        Assert.Equal(1, await injector.WaitForExitAsync());
        var error = Assert.Single(StandardError(injector));
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_with_the_offset()
    {
        var file = Path.Combine(_dir, "latin1.yaml");
        await File.WriteAllBytesAsync(file, [.. "a: caf"u8, 0xE9, (byte)'\n']);

        using var injector = InjectorProgram.Start(["inject", "-f", file]);

        Assert.Equal(1, await injector.WaitForExitAsync());
        Assert.Contains("is not valid UTF-8", Assert.Single(StandardError(injector)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_larger_than_the_limit_is_refused_without_reading_it_all()
    {
        var file = Path.Combine(_dir, "huge.yaml");
        await using (var stream = File.Create(file))
        {
            stream.SetLength(200L * 1024 * 1024);
        }

        using var injector = InjectorProgram.Start(["inject", "-f", file]);

        Assert.Equal(1, await injector.WaitForExitAsync());
        Assert.Contains("larger than", Assert.Single(StandardError(injector)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_named_with_its_full_path()
    {
        using var injector = InjectorProgram.Start(["inject", "-f", Path.Combine(_dir, "missing.yaml")]);

        Assert.Equal(1, await injector.WaitForExitAsync());
        Assert.Contains(Path.Combine(_dir, "missing.yaml"), Assert.Single(StandardError(injector)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_readme_example_works_from_the_repository_root_under_dotnet_run()
    {
        // `dotnet run --project src/Injector -- inject -f deployment.yaml`: the web SDK runs the program from the
        // project directory unless told otherwise, so a path relative to where the user stands must still resolve.
        var root = TestInputs.RepositoryRoot();
        var relative = Path.Combine("manifests", "examples", "appup-deployment.yaml");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var result = await TestProcess.RunAsync(new ProcessSpec("dotnet", ["run", "--project", Path.Combine("src", "Injector"), "-c", configuration, "--no-build", "--", "inject", "-f", relative]) { WorkingDirectory = root }, TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.Describe());
        var deployment = YamlJson.ParseOne(result.StdOut)!;
        Assert.Equal("appup", deployment["spec"]!["template"]!["spec"]!["initContainers"]![0]!["name"]!.GetValue<string>());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static List<string> StandardError(TestProcess injector) =>
        [.. injector.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static string StandardOutput(TestProcess injector) => injector.StdOut;
}
