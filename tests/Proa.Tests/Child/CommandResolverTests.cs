using TestKit;
using Proa.Child;
using Proa.Tests.Infrastructure;

namespace Proa.Tests.Child;

public sealed class CommandResolverTests
{
    [Fact]
    public void Looks_up_names_on_path_in_order()
    {
        using var dir = new TempDirectory();
        var first = Directory.CreateDirectory(dir.File("a")).FullName;
        var second = Directory.CreateDirectory(dir.File("b")).FullName;
        File.WriteAllText(Path.Combine(first, "tool"), "not executable");
        File.WriteAllText(Path.Combine(second, "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(second, "tool"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

        Assert.Equal(Path.Combine(second, "tool"), CommandResolver.Resolve("tool", $"{first}:{second}").Path);
    }

    [Fact]
    public void Not_found_is_127_and_not_executable_is_126()
    {
        using var dir = new TempDirectory();
        var plain = dir.File("plain");
        File.WriteAllText(plain, "x");
        Assert.Equal(127, CommandResolver.Resolve("nope", dir.Path).ExitCode);
        Assert.Equal(127, CommandResolver.Resolve(dir.File("nope"), null).ExitCode);
        Assert.Equal(126, CommandResolver.Resolve(plain, null).ExitCode);
        Assert.Equal(126, CommandResolver.Resolve(dir.Path + "/", null).ExitCode);
    }

    [Fact]
    public void Path_with_a_slash_is_used_as_is() =>
        Assert.Equal("/bin/sh", CommandResolver.Resolve("/bin/sh", "").Path);
}
