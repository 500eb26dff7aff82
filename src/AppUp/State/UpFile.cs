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

    public void Create()
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // OpenHandle rather than FileStream: no buffer, no lock, just open(O_CREAT) and close.
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
