using System.Text;

namespace Injector.Core.Tests.Support;

/// <summary>Inputs and places several test projects use (linked into Injector.Tests).</summary>
internal static class TestInputs
{
    /// <summary>The classic "billion laughs": each level holds nine aliases of the one before (9^levels leaves).</summary>
    public static string AliasBomb(int levels)
    {
        var yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= levels; i++)
        {
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        }

        return yaml.ToString();
    }

    /// <summary>The checkout the tests run from (the folder holding Injector.sln).</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Injector.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Injector.sln not found above " + AppContext.BaseDirectory);
    }
}
