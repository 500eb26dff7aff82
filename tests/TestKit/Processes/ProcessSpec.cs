namespace TestKit.Processes;

/// <summary>What to start: program, arguments, environment changes, working directory and optional standard input.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Variables to set (a null value removes the variable from the inherited environment).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Inherited variables to remove (a developer's own settings must not leak into a test).</summary>
    public IReadOnlyList<string> RemoveEnvironment { get; init; } = [];

    public string? WorkingDirectory { get; init; }

    /// <summary>Written to standard input, which is then closed. Null with <see cref="KeepStandardInputOpen"/> false: no stdin.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Keeps standard input open for <see cref="TestProcess.StandardInput"/>.</summary>
    public bool KeepStandardInputOpen { get; init; }

    /// <summary>A short name used in messages (defaults to the program's file name).</summary>
    public string? DisplayName { get; init; }

    /// <summary>Runs <c>dotnet &lt;dll&gt; args</c> with the same host that runs the tests.</summary>
    public static ProcessSpec Dotnet(string dll, params IEnumerable<string> arguments) =>
        new(DotnetHost.Path, [dll, .. arguments]) { DisplayName = System.IO.Path.GetFileNameWithoutExtension(dll) };

    /// <summary>Runs an assembly that the test project's build copied next to the tests (e.g. <c>injector.dll</c>).</summary>
    public static ProcessSpec DotnetFromTestOutput(string dllName, params IEnumerable<string> arguments)
    {
        var dll = System.IO.Path.Combine(AppContext.BaseDirectory, dllName);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dllName} not found next to the tests in {AppContext.BaseDirectory}; does the test project reference its project?", dll);
        }

        return Dotnet(dll, arguments);
    }
}
