using Microsoft.Win32.SafeHandles;

namespace AppUp.State;

/// <summary>
/// The real up file. No state is cached: the file is the truth, so a <c>touch</c> or <c>rm</c> through
/// <c>kubectl exec</c> (the original README's "shell exec" control) is seen by the next probe.
/// </summary>
internal sealed class UpFile(string path) : IUpFile
{
    public string Path { get; } = path;

    public bool Exists() => File.Exists(Path);

    private readonly string? _directory = System.IO.Path.GetDirectoryName(path);

    public void Create()
    {
        try
        {
            Touch();
        }
        catch (DirectoryNotFoundException) when (!string.IsNullOrEmpty(_directory))
        {
            // Only now create the directory: doing it on every /up would cost a stat per level and garbage per call.
            Directory.CreateDirectory(_directory);
            Touch();
        }
    }

    // OpenHandle rather than FileStream: no buffer, no lock, just open(O_CREAT) and close.
    private void Touch()
    {
        using SafeFileHandle handle = File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    public bool Remove()
    {
        if (!File.Exists(Path))
        {
            return false;
        }

        // Another remover may win the race; File.Delete does not throw for a missing file, and either way it is down.
        File.Delete(Path);
        return true;
    }
}
