using TestKit.Kube.Storage;

namespace TestKit.Kube.Simulation;

/// <summary>
/// A simulated controller: level-triggered like the real ones, it reads the world from the store and moves it one
/// step per <see cref="Reconcile"/> (a tick). <see cref="OnChange"/> sees every committed write first, for
/// bookkeeping only (it runs on the writer's thread; reconcile does the writing).
/// </summary>
public abstract class ControllerSimulation
{
    /// <summary>Called after each committed change, outside the store's lock. Must not write to the store.</summary>
    protected internal virtual void OnChange(StoredChange change)
    {
    }

    /// <summary>One tick: read the world, take one step.</summary>
    protected internal abstract void Reconcile(KubeStore store, DateTimeOffset now);
}
