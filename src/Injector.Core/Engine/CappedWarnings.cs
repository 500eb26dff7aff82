namespace Injector.Core.Engine;

/// <summary>
/// Warnings about one source (the status annotation) with a cap, so a forged status with thousands of entries
/// yields a handful of warnings and a count rather than a response the API server would truncate.
/// </summary>
internal sealed class CappedWarnings(List<string> into, string what, int cap = 5)
{
    private int _count;

    public void Add(string warning)
    {
        if (++_count <= cap)
        {
            into.Add(warning);
        }
    }

    public void Flush()
    {
        if (_count > cap)
        {
            into.Add($"{_count - cap} more entries of {what} were ignored");
        }
    }
}
