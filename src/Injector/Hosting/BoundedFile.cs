namespace Injector.Hosting;

/// <summary>Reads a watched file whole, refusing one larger than a cap (a mounted ConfigMap or Secret is at most 1 MiB).</summary>
internal static class BoundedFile
{
    public const int MaxBytes = 1024 * 1024;

    /// <exception cref="IOException">Unreadable, or larger than <see cref="MaxBytes"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to read it.</exception>
    public static byte[] Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        var buffer = new byte[Math.Min(stream.CanSeek ? stream.Length + 1 : 64 * 1024, MaxBytes + 1)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > MaxBytes)
                {
                    throw new IOException($"the file is larger than {MaxBytes / 1024} KiB");
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, MaxBytes + 1));
            }

            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                return buffer[..length];
            }

            length += read;
        }
    }
}
