using Sidecars.Contract;
using Sidecars.Runtime.Errors;
namespace Proa.Install;

/// <summary>
/// <c>proa --copy-to DIR</c>: what the injected init container runs. The sidecar images are distroless (no
/// <c>cp</c>), so proa copies its own executable into the shared volume, through a temporary file and a rename
/// so the app container never sees a half-written binary.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class SelfInstaller
{
    public static int Run(string directory)
    {
        var source = Environment.ProcessPath;
        if (string.IsNullOrEmpty(source) || Path.GetFileNameWithoutExtension(source) == "dotnet")
        {
            Log.Error($"{ProaContract.CopyToOption} needs the native proa executable (the process path is {source ?? "unknown"})");
            return ExitCodes.Usage;
        }

        try
        {
            Directory.CreateDirectory(directory);
            var target = Path.Combine(directory, ProaContract.BinaryName);
            var temporary = target + ".tmp";
            File.Copy(source, temporary, overwrite: true);
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.Move(temporary, target, overwrite: true);
            Log.Info("installed " + target);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Error($"cannot copy proa into {directory}: {ErrorText.Describe(ex)}");
            return 1;
        }
    }
}
