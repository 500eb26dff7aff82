using System.Collections.Concurrent;

namespace TestKit.Kube.Simulation;

/// <summary>
/// Which workloads a simulation has rolling out now and the most at once, for <c>MaxRolloutsInFlight</c> (the
/// StatefulSet and DaemonSet simulations share it).
/// </summary>
internal sealed class InFlightCounter
{
    private readonly ConcurrentDictionary<string, bool> _inFlight = new();
    private int _max;

    public int Max => Volatile.Read(ref _max);

    public void Track(string key, bool rollingOut)
    {
        if (!rollingOut)
        {
            _inFlight.TryRemove(key, out _);
            return;
        }

        _inFlight[key] = true;
        var now = _inFlight.Count;
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }
    }
}
