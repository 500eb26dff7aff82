namespace Canary.Tests.Support;

internal static class Repo
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Injector.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Injector.sln) not found above " + AppContext.BaseDirectory);
    }
}
