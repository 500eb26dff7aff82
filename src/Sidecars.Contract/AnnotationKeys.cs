namespace Sidecars.Contract;

/// <summary>The annotation and label keys users and the injector write on pods and namespaces.</summary>
public static class AnnotationKeys
{
    /// <summary>The prefix of the injector's pod-level keys.</summary>
    public const string Prefix = "sidecars.dev/";

    /// <summary>The prefix of the original shawarma-webhook's keys.</summary>
    public const string LegacyShawarmaPrefix = "shawarma.centeredge.io/";

    /// <summary>Comma-separated sidecars to inject: any of <c>appup</c>, <c>shawarma</c>, <c>proa</c>.</summary>
    public const string Inject = "sidecars.dev/inject";

    /// <summary><c>native</c> (sidecars as initContainers with restartPolicy: Always) or <c>classic</c>.</summary>
    public const string Mode = "sidecars.dev/mode";

    /// <summary>Written by the injector: what it added and under which config (see <c>docs/status-annotation.md</c>).</summary>
    public const string Status = "sidecars.dev/status";

    /// <summary>Label on injected pods so controllers (the RBAC loop, rollout) can select them server-side.</summary>
    public const string InjectedLabel = "sidecars.dev/injected";

    /// <summary>
    /// On a Deployment, StatefulSet or DaemonSet (or its pod template): <c>"false"</c> keeps <c>sidecar-rollout watch</c>
    /// from restarting it when its sidecars are out of date (it is still reported and counted).
    /// </summary>
    public const string AutoRollout = "sidecars.dev/auto-rollout";

    /// <summary>Namespace label; the value <c>disabled</c> opts a whole namespace out.</summary>
    public const string NamespaceInjection = "sidecars.dev/injection";

    /// <summary>The prefix shared by the per-sidecar keys: <c>&lt;sidecar&gt;.sidecars.dev/&lt;key&gt;</c>.</summary>
    public const string SidecarKeySuffix = ".sidecars.dev/";

    public const string AppUpContainer = "appup.sidecars.dev/container";
    public const string AppUpPort = "appup.sidecars.dev/port";
    public const string AppUpInitial = "appup.sidecars.dev/initial";

    public const string ShawarmaService = "shawarma.sidecars.dev/service";
    public const string ShawarmaServiceLabels = "shawarma.sidecars.dev/service-labels";
    public const string ShawarmaUrl = "shawarma.sidecars.dev/url";
    public const string ShawarmaListenPort = "shawarma.sidecars.dev/listen-port";
    public const string ShawarmaLogLevel = "shawarma.sidecars.dev/log-level";
    public const string ShawarmaDisableNotifier = "shawarma.sidecars.dev/disable-notifier";

    // The original shawarma-webhook's keys, accepted so existing workloads are injected unchanged.
    public const string LegacyShawarmaServiceName = "shawarma.centeredge.io/service-name";
    public const string LegacyShawarmaServiceLabels = "shawarma.centeredge.io/service-labels";
    public const string LegacyShawarmaStateUrl = "shawarma.centeredge.io/state-url";
    public const string LegacyShawarmaListenPort = "shawarma.centeredge.io/listen-port";
    public const string LegacyShawarmaLogLevel = "shawarma.centeredge.io/log-level";

    public const string ProaContainer = "proa.sidecars.dev/container";
    public const string ProaShutdownHttpGet = "proa.sidecars.dev/shutdown-http-get";
    public const string ProaShutdownHttpPost = "proa.sidecars.dev/shutdown-http-post";
    public const string ProaCommand = "proa.sidecars.dev/command";

    /// <summary><c>&lt;sidecar&gt;.sidecars.dev/image</c>, honoured only when the config allows image overrides.</summary>
    public static string ImageOverride(string sidecar) => sidecar switch
    {
        // The known ones as constants: the injector looks them up for every sidecar of every pod.
        SidecarNames.AppUp => SidecarNames.AppUp + SidecarKeySuffix + "image",
        SidecarNames.Shawarma => SidecarNames.Shawarma + SidecarKeySuffix + "image",
        SidecarNames.Proa => SidecarNames.Proa + SidecarKeySuffix + "image",
        _ => sidecar + SidecarKeySuffix + "image",
    };

    /// <summary>
    /// Every key the injector reads on a pod (plus <see cref="Status"/>, which it writes), so a key under one of
    /// its prefixes that is not here is a typo worth a warning.
    /// </summary>
    public static IReadOnlyList<string> PodKeys { get; } =
    [
        Inject, Mode, Status, AutoRollout,
        AppUpContainer, AppUpPort, AppUpInitial, ImageOverride(SidecarNames.AppUp),
        ShawarmaService, ShawarmaServiceLabels, ShawarmaUrl, ShawarmaListenPort, ShawarmaLogLevel, ShawarmaDisableNotifier, ImageOverride(SidecarNames.Shawarma),
        LegacyShawarmaServiceName, LegacyShawarmaServiceLabels, LegacyShawarmaStateUrl, LegacyShawarmaListenPort, LegacyShawarmaLogLevel,
        ProaContainer, ProaShutdownHttpGet, ProaShutdownHttpPost, ProaCommand, ImageOverride(SidecarNames.Proa),
    ];
}
