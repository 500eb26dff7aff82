namespace Sidecars.Contract;

/// <summary>
/// The RoleBindings the injector keeps so shawarma and proa can read the API: their names and the labels that mark
/// them as the injector's (the chart's uninstall notes and the docs select on these).
/// </summary>
public static class RoleBindingContract
{
    /// <summary>Names are <c>sidecars-dev-&lt;sidecar&gt;-&lt;serviceaccount&gt;</c>.</summary>
    public const string NamePrefix = "sidecars-dev-";

    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "sidecars-injector";

    /// <summary>Which sidecar a binding is for (<see cref="SidecarNames"/>).</summary>
    public const string SidecarLabel = "sidecars.dev/sidecar";

    /// <summary>The label selector of injected pods (<see cref="AnnotationKeys.InjectedLabel"/>).</summary>
    public const string InjectedSelector = AnnotationKeys.InjectedLabel + "=true";

    /// <summary>The service account of a pod that names none.</summary>
    public const string DefaultServiceAccount = "default";
}
