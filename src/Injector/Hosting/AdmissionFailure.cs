using System.Buffers;
using System.Text;
using System.Text.Json;
using Injector.Core.Admission;

namespace Injector.Hosting;

/// <summary>
/// The answer when handling a review failed inside the injector (a bug, not a bad request): a review echoing the
/// request's uid that denies the pod with status 500, as controller-runtime's <c>admission.Errored</c> does, so the
/// pod is neither created without its sidecars nor left with an opaque HTTP 500; when no uid can be read, HTTP 400.
/// </summary>
internal static class AdmissionFailure
{
    public static AdmissionOutcome Answer(ReadOnlySpan<byte> body, Exception exception)
    {
        var uid = ReadUid(body);
        var message = $"sidecar injection failed inside the injector ({exception.GetType().Name}); its log has the details (event 105)";
        if (uid is null)
        {
            return AdmissionReviewHandler.BadRequest(message);
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", AdmissionReviewHandler.ApiVersion);
            writer.WriteString("kind", "AdmissionReview");
            writer.WriteStartObject("response");
            writer.WriteString("uid", uid);
            writer.WriteBoolean("allowed", false);
            writer.WriteStartObject("status");
            writer.WriteNumber("code", 500);
            writer.WriteString("reason", "InternalError");
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return new AdmissionOutcome(200, buffer.WrittenSpan.ToArray(), uid, PodIdentity.Unknown, null, message);
    }

    /// <summary><c>request.uid</c> of an AdmissionReview, read without building a document; null when absent or unreadable.</summary>
    public static string? ReadUid(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRequest = reader.ValueTextEquals("request"u8);
                reader.Read();
                if (isRequest && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isUid = reader.ValueTextEquals("uid"u8);
                        reader.Read();
                        if (isUid && reader.TokenType == JsonTokenType.String)
                        {
                            var uid = reader.GetString();
                            return string.IsNullOrEmpty(uid) || !IsWellFormed(uid) ? null : uid;
                        }

                        reader.Skip();
                    }

                    return null;
                }

                reader.Skip();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or not UTF-8: nothing to echo.
        }

        return null;
    }

    private static bool IsWellFormed(string text)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(text); // a lone surrogate cannot be echoed
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
