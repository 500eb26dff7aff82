using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestKit.Kube.Server;

/// <summary>
/// The list continue token of k8s.io/apiserver/pkg/storage: base64url (no padding) of
/// <c>{"v":"meta.k8s.io/v1","rv":N,"start":"&lt;next key&gt;"}</c>, the key relative to the listed prefix, ending in
/// "\u0000" so the next page starts strictly after the last returned key. rv -1 means "at the latest revision".
/// </summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string lastKey)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = resourceVersion, ["start"] = lastKey + "\u0000" }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <exception cref="KubeApiException">400 for a token that does not decode.</exception>
    public static (long ResourceVersion, string StartAfter) Decode(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(base64))) as JsonObject
                ?? throw new FormatException("not an object");
            if ((string?)json["v"] != "meta.k8s.io/v1")
            {
                throw new FormatException($"continue key is not valid: incorrect encoded start resourceVersion (version {(string?)json["v"]})");
            }

            var start = (string?)json["start"] ?? throw new FormatException("continue key is not valid: no start");
            if (start.Length == 0 || start.Contains("..", StringComparison.Ordinal) || start.StartsWith('/'))
            {
                throw new FormatException("continue key is not valid: the start key is not a valid key");
            }

            var rv = json["rv"]?.GetValue<long>() ?? 0;
            return (rv, start.TrimEnd('\u0000'));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or DecoderFallbackException)
        {
            throw KubeApiException.BadRequest($"invalid continue token: {e.Message}");
        }
    }
}
