using AppUp.State;

namespace AppUp.Tests.Support;

/// <summary>An in-memory up file; can be told to fail like a read-only volume.</summary>
internal sealed class FakeUpFile(bool exists = false) : IUpFile
{
    public bool IsPresent { get; set; } = exists;

    public Exception? Failure { get; set; }

    public string Path => "/pod/up.txt";

    public bool Exists() => Failure is null ? IsPresent : throw Failure;

    public void Create()
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        IsPresent = true;
    }

    public bool Remove()
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        var was = IsPresent;
        IsPresent = false;
        return was;
    }
}
