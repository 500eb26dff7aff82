namespace Injector.Core.Tests.ApiServer;

/// <summary>admissionregistration.k8s.io/v1 MutatingWebhook.reinvocationPolicy.</summary>
public enum ReinvocationPolicy
{
    Never,
    IfNeeded,
}
