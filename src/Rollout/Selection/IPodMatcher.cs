using k8s.Models;

namespace Rollout.Selection;

/// <summary>Decides whether one pod calls for a restart: by sidecar drift, or by container name.</summary>
public interface IPodMatcher
{
    PodMatch Match(V1Pod pod);
}
