using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Controllers.Kube;

/// <summary>One sentence for a failed API call: the status code and the API server's own message.</summary>
public static class KubeErrors
{
    public static HttpStatusCode? StatusOf(Exception exception) =>
        exception is HttpOperationException { Response: { } response } ? response.StatusCode : null;

    /// <summary>Worth another try: conflicts, throttling, server errors and transport failures.</summary>
    public static bool IsTransient(Exception exception) => StatusOf(exception) switch
    {
        HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => true,
        null => exception is HttpRequestException or IOException or TaskCanceledException,
        _ => false,
    };

    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is HttpOperationException { Response: { } response })
        {
            var message = ServerMessage(response.Content);
            var code = (int)response.StatusCode;
            var what = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => "unauthorized (check the kubeconfig's credentials)",
                HttpStatusCode.Forbidden => "forbidden",
                HttpStatusCode.NotFound => "not found",
                HttpStatusCode.Conflict => "conflict",
                HttpStatusCode.UnprocessableEntity => "rejected",
                HttpStatusCode.TooManyRequests => "throttled",
                _ => "failed",
            };
            return string.IsNullOrWhiteSpace(message) ? $"{what} (HTTP {code})" : $"{what} (HTTP {code}): {message}";
        }

        return exception switch
        {
            HttpRequestException http => $"cannot reach the API server: {Flatten(http)}",
            TaskCanceledException => "the API server did not answer in time",
            _ => Flatten(exception),
        };
    }

    private static string? ServerMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            var status = KubernetesJson.Deserialize<V1Status>(content);
            if (!string.IsNullOrWhiteSpace(status?.Message))
            {
                return OneLine(status.Message);
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or ArgumentException)
        {
        }

        return OneLine(content.Length > 200 ? content[..200] + "..." : content);
    }

    private static string Flatten(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null && messages.Count < 3; e = e.InnerException)
        {
            if (!messages.Contains(e.Message))
            {
                messages.Add(OneLine(e.Message));
            }
        }

        return string.Join(": ", messages);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
