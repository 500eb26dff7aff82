namespace AppUp.State;

/// <summary>The readiness flag: a file whose presence means "up". An interface so routing is tested without disk.</summary>
internal interface IUpFile
{
    string Path { get; }

    bool Exists();

    /// <summary>Creates the file and any missing directory; leaves an existing file as it is (like touch).</summary>
    void Create();

    /// <summary>Removes the file; false when it was not there.</summary>
    bool Remove();
}
