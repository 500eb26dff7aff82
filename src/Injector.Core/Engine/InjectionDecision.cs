namespace Injector.Core.Engine;

public enum InjectionDecision
{
    /// <summary>The pod opted in; the patch may be empty when it is already as desired (re-invocation).</summary>
    Injected,

    /// <summary>Nothing to do (no opt-in, not a pod, ...); the pod is admitted unchanged.</summary>
    Skipped,

    /// <summary>The pod asked for something we cannot honour; the message says what and how to fix it.</summary>
    Denied,
}
