using System.Text;
using Sidecars.Contract;

namespace Shawarma.State;

/// <summary>
/// Whether this pod receives traffic, and through which Services. Equality is by value (used to suppress
/// duplicate notifications); the JSON is rendered once because it is served on every GET.
/// </summary>
internal sealed class DeploymentState : IEquatable<DeploymentState>
{
    public static readonly DeploymentState Inactive = new([]);

    /// <param name="activeServices">Services that have this pod as a ready endpoint; empty means inactive.</param>
    public DeploymentState(IEnumerable<string> activeServices)
    {
        ActiveServices = [.. activeServices.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Json = Render(ActiveServices);
        JsonUtf8 = Encoding.UTF8.GetBytes(Json);
    }

    public bool IsActive => ActiveServices.Count > 0;

    public IReadOnlyList<string> ActiveServices { get; }

    /// <summary><c>{"status":"active","activeServices":["web"]}</c> or <c>{"status":"inactive","activeServices":[]}</c>.</summary>
    public string Json { get; }

    public byte[] JsonUtf8 { get; }

    public bool Equals(DeploymentState? other) => other is not null && other.Json == Json;

    public override bool Equals(object? obj) => obj is DeploymentState other && Equals(other);

    public override int GetHashCode() => Json.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => IsActive ? "active [" + string.Join(", ", ActiveServices) + "]" : "inactive";

    // Hand-written rather than Utf8JsonWriter: this is all the JSON shawarma writes besides its logs, and the writer's
    // encoder tables would cost start-up pages in every pod.
    private static string Render(IReadOnlyList<string> services)
    {
        var json = new StringBuilder("{\"").Append(ShawarmaContract.StatusField).Append("\":\"")
            .Append(services.Count == 0 ? ShawarmaContract.InactiveStatus : ShawarmaContract.ActiveStatus)
            .Append("\",\"").Append(ShawarmaContract.ActiveServicesField).Append("\":[");
        for (var i = 0; i < services.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            AppendJsonString(json, services[i]);
        }

        return json.Append("]}").ToString();
    }

    private static void AppendJsonString(StringBuilder json, string value)
    {
        // Service names are DNS labels; escaping is defensive only.
        json.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                json.Append('\\').Append(c);
            }
            else if (c < ' ')
            {
                json.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                json.Append(c);
            }
        }

        json.Append('"');
    }
}
