using System.Diagnostics;

namespace Proa.Tests.EndToEnd;

/// <summary><c>proa --copy-to DIR</c>, as the injected init container runs it: the executable lands in DIR/proa, runnable.</summary>
public sealed class CopyToTests
{
    [Fact]
    public async Task Copies_its_own_executable_into_the_shared_directory()
    {
        var binary = Environment.GetEnvironmentVariable("PROA_TEST_BINARY") is { Length: > 0 } native ? native : Path.Combine(AppContext.BaseDirectory, "proa");
        var target = Path.Combine(Directory.CreateTempSubdirectory("proa-copy-").FullName, "shared");
        try
        {
            var info = new ProcessStartInfo(binary) { RedirectStandardError = true, ArgumentList = { "--copy-to", target } };
            using var process = Process.Start(info)!;
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.True(process.ExitCode == 0, stderr);
            var copied = Path.Combine(target, "proa");
            Assert.Equal(await File.ReadAllBytesAsync(binary), await File.ReadAllBytesAsync(copied));
            Assert.True(File.GetUnixFileMode(copied).HasFlag(UnixFileMode.OtherExecute));
            Assert.False(File.Exists(copied + ".tmp"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(target)!, recursive: true);
        }
    }
}
