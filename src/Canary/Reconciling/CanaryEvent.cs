namespace Canary.Reconciling;

/// <summary>An Event to record on the CanaryApp (<c>Normal</c> or <c>Warning</c>, a reason from <see cref="EventReasons"/>).</summary>
public sealed record CanaryEvent(string Type, string Reason, string Note)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
