namespace Injector.Core.Engine;

/// <summary>
/// Counts the steps a review takes (bytes of the status read, items indexed, list entries merged, nodes diffed) so
/// tests can assert that the work grows linearly with the input rather than timing it.
/// </summary>
public sealed class WorkMeter
{
    public long Steps { get; private set; }

    public void Add(long steps) => Steps += steps;

    public void Step() => Steps++;
}
