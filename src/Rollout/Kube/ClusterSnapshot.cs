using k8s.Models;
using Rollout.Planning;
using Rollout.Selection;

namespace Rollout.Kube;

/// <summary>Everything a run reads before deciding anything, from paged list calls.</summary>
public sealed record ClusterSnapshot(
    IReadOnlyList<V1Pod> Pods,
    IReadOnlyList<V1ReplicaSet> ReplicaSets,
    IReadOnlyDictionary<WorkloadRef, WorkloadState> Workloads,
    IReadOnlyList<V1PodDisruptionBudget> Budgets,
    IReadOnlyList<string> Warnings);
