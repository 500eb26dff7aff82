namespace Proa.Child;

/// <summary>
/// Resolves COMMAND the way a shell does: a name with a slash is used as is, anything else is looked up on PATH.
/// (Process.Start would also look next to proa's own binary first, which is not what a wrapper should do.)
/// </summary>
internal static class CommandResolver
{
    public static (string? Path, int ExitCode, string? Error) Resolve(string command, string? pathVariable)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return Check(command, command) ?? (command, 0, null);
        }

        foreach (var dir in (pathVariable ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':'))
        {
            var candidate = System.IO.Path.Combine(dir.Length == 0 ? "." : dir, command);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return (candidate, 0, null);
            }
        }

        return (null, ExitCodes.CommandNotFound, $"command not found: '{command}' (PATH={pathVariable})");
    }

    private static (string?, int, string?)? Check(string command, string path)
    {
        if (Directory.Exists(path))
        {
            return (null, ExitCodes.CannotExecute, $"cannot execute '{command}': is a directory");
        }

        if (!File.Exists(path))
        {
            return (null, ExitCodes.CommandNotFound, $"command not found: '{command}' (no such file)");
        }

        return IsExecutable(path) ? null : (null, ExitCodes.CannotExecute, $"cannot execute '{command}': permission denied (not executable)");
    }

    private static bool IsExecutable(string path)
    {
        const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & AnyExecute) != 0;
    }
}
