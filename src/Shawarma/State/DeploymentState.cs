using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
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

    private static string Render(IReadOnlyList<string> services)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString(ShawarmaContract.StatusField, services.Count == 0 ? ShawarmaContract.InactiveStatus : ShawarmaContract.ActiveStatus);
            json.WriteStartArray(ShawarmaContract.ActiveServicesField);
            foreach (var service in services)
            {
                json.WriteStringValue(service);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
