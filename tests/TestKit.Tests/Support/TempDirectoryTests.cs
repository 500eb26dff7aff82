namespace TestKit.Tests.Support;

public sealed class TempDirectoryTests
{
    [Fact]
    public void Creates_a_fresh_directory_and_deletes_it_with_its_contents()
    {
        string path;
        using (var dir = new TempDirectory("kit-"))
        {
            path = dir.Path;
            var file = dir.Write("a/b/c.txt", "x");
            Assert.Equal("x", File.ReadAllText(file));
            Assert.StartsWith("kit-", Path.GetFileName(path), StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(path));
    }
}
