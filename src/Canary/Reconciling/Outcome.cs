namespace Canary.Reconciling;

/// <summary>What a decision finished, for the promotion and rollback counters.</summary>
public enum Outcome
{
    None,
    Promoted,
    RolledBack,
}
