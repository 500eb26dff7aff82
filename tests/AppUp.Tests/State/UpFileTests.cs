using AppUp.State;
using AppUp.Tests.Support;

namespace AppUp.Tests.State;

public sealed class UpFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Create_makes_missing_directories_and_keeps_existing_content()
    {
        var file = new UpFile(_dir.File("a/b/up.txt"));

        file.Create();
        File.WriteAllText(file.Path, "kept");
        file.Create();

        Assert.True(file.Exists());
        Assert.Equal("kept", File.ReadAllText(file.Path));
    }

    [Fact]
    public void Remove_says_whether_the_file_was_there()
    {
        var file = new UpFile(_dir.File("up.txt"));
        file.Create();

        Assert.True(file.Remove());
        Assert.False(file.Exists());
        Assert.False(file.Remove());
    }

    [Fact]
    public void A_file_in_the_way_of_the_directory_is_an_io_error()
    {
        File.WriteAllText(_dir.File("blocker"), "");
        var file = new UpFile(_dir.File("blocker/up.txt"));

        Assert.ThrowsAny<IOException>(file.Create);
    }

    public void Dispose() => _dir.Dispose();
}
