using k8s.Models;
using Rollout.Planning;
using Rollout.Selection;

namespace Rollout.Execution;

/// <summary>The calls one rollout makes: the restart patch, reads of the workload while waiting, its pods on failure.</summary>
public interface IWorkloadApi
{
    /// <summary>Sends the merge patch (with <c>dryRun=All</c> when asked); returns the object the API server answered with.</summary>
    Task<WorkloadState> PatchTemplateAsync(WorkloadRef workload, string mergePatch, bool dryRun, CancellationToken cancellationToken);

    /// <summary>The workload now, or null when it is gone (404).</summary>
    Task<WorkloadState?> GetAsync(WorkloadRef workload, CancellationToken cancellationToken);

    /// <summary>The pods a selector picks in one namespace (one list call, for naming stuck pods).</summary>
    Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, string labelSelector, CancellationToken cancellationToken);
}
