namespace Injector.Rbac;

/// <summary>Settings of <see cref="RoleBindingReconciler"/>.</summary>
public sealed class RoleBindingReconcilerOptions
{
    /// <summary>Sidecar name -> ClusterRole bound for it (e.g. shawarma -> injector-shawarma). Sidecars not listed
    /// (appup) get no binding.</summary>
    public IReadOnlyDictionary<string, string> ClusterRoles { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How often everything is re-listed and re-checked even without errors, so a binding somebody
    /// deleted comes back. The watch is restarted at this interval too.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>First delay after an API error; doubles per consecutive failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the retry delay.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Timeout of each non-watch API call (list page, get, create, update).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Page size of the pod list.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>The watch's timeoutSeconds (see <see cref="Sidecars.Kube.ListWatchOptions.WatchTimeout"/>).</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A watch silent this much longer than <see cref="WatchTimeout"/> is taken for dead.</summary>
    public TimeSpan WatchIdleGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A watch open this long resets the backoff.</summary>
    public TimeSpan HealthyWatch { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Parses the <c>--sidecar-clusterroles</c> / <c>INJECTOR_SIDECAR_CLUSTERROLES</c> value,
    /// <c>shawarma=RELEASE-shawarma,proa=RELEASE-proa</c>. Empty input gives an empty map (the loop stays off).
    /// </summary>
    /// <exception cref="FormatException">An entry is not <c>name=clusterrole</c>, or a name repeats.</exception>
    public static IReadOnlyDictionary<string, string> ParseClusterRoles(string? value)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(value))
        {
            return map;
        }

        foreach (var raw in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            var sidecar = eq > 0 ? raw[..eq].Trim() : string.Empty;
            var role = eq > 0 ? raw[(eq + 1)..].Trim() : string.Empty;
            if (sidecar.Length == 0 || role.Length == 0)
            {
                throw new FormatException($"--sidecar-clusterroles: '{raw}' is not sidecar=clusterrole (e.g. shawarma=injector-shawarma)");
            }

            if (!map.TryAdd(sidecar, role))
            {
                throw new FormatException($"--sidecar-clusterroles: sidecar '{sidecar}' is listed twice");
            }
        }

        return map;
    }
}
