namespace Controllers.Kube;

/// <summary>Leader election on a coordination.k8s.io/v1 Lease (client-go's defaults: 15 s, 10 s, 2 s).</summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseNamespace { get; init; }

    public required string LeaseName { get; init; }

    /// <summary>This replica's identity (the pod name, plus a random suffix so a restarted pod is a new candidate).</summary>
    public required string Identity { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}
