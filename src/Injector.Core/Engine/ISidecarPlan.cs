namespace Injector.Core.Engine;

/// <summary>Adds one sidecar (and whatever it needs) to the pod through <see cref="InjectionContext.Pod"/>.</summary>
public interface ISidecarPlan
{
    string Name { get; }

    /// <summary>The names and keys this plan adds: what a status entry may claim for it.</summary>
    SidecarFootprint Footprint { get; }

    /// <summary>Applies the plan; returns why the pod cannot be honoured, or null on success.</summary>
    string? Apply(InjectionContext context);
}
