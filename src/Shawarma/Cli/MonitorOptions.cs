using Sidecars.Runtime.Logging;

namespace Shawarma.Cli;

/// <summary>Validated settings of <c>shawarma monitor</c>.</summary>
internal sealed record MonitorOptions(
    string? Service,
    IReadOnlyDictionary<string, string> ServiceLabels,
    string Pod,
    string Namespace,
    Uri Url,
    bool DisableNotifier,
    int ListenPort,
    LogLevel LogLevel,
    LogFormat LogFormat,
    string? Kubeconfig,
    string? Context)
{
    /// <summary>The <c>--service-labels</c> as a Kubernetes label selector (<c>k=v,k2=v2</c>), or null.</summary>
    public string? LabelSelector => ServiceLabels.Count == 0
        ? null
        : string.Join(',', ServiceLabels.Select(kv => kv.Key + "=" + kv.Value));
}
