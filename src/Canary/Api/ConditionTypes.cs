namespace Canary.Api;

/// <summary>The condition types in <c>status.conditions</c> and the reasons they carry.</summary>
public static class ConditionTypes
{
    /// <summary>True when the primary Deployment is rolled out and available.</summary>
    public const string Ready = "Ready";

    /// <summary>True while a revision is being analysed or promoted.</summary>
    public const string Progressing = "Progressing";

    /// <summary>True when the desired revision is the primary's and takes all the traffic.</summary>
    public const string Promoted = "Promoted";
}
