using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Patching;

namespace Injector.Core.Admission;

/// <summary>
/// AdmissionReview bytes in, AdmissionReview bytes out (admission.k8s.io/v1). Shaped like controller-runtime's
/// handler: a usable review always gets a response echoing its uid; an unusable body gets HTTP 400 with a message
/// that says what was wrong and what is expected.
/// </summary>
public sealed class AdmissionReviewHandler
{
    public const string ApiVersion = "admission.k8s.io/v1";

    private const int MaxDepth = AdmissionRequestReader.MaxDepth;

    private readonly InjectionEngine _engine;
    private readonly bool _fastPath;

    public AdmissionReviewHandler(InjectionEngine engine)
        : this(engine, fastPath: true)
    {
    }

    /// <param name="fastPath">False answers every review through the engine's tree path, which the differential
    /// tests compare the fast path against byte for byte.</param>
    public AdmissionReviewHandler(InjectionEngine engine, bool fastPath)
    {
        _engine = engine;
        _fastPath = fastPath;
    }

    /// <summary>
    /// Reads the review in one pass (<see cref="AdmissionRequestReader"/>: the pod as a sparse tree, so the work
    /// follows what the injector changes) and answers it. The result's <see cref="InjectionResult.Pod"/> is not
    /// returned: it shares bytes with <paramref name="body"/>, which the caller may reuse.
    /// </summary>
    public AdmissionOutcome Handle(ReadOnlyMemory<byte> body, InjectorConfig config)
    {
        if (!Utf8.IsValid(body.Span))
        {
            return BadRequest($"request body is not valid UTF-8 (at byte {Utf8Prefix(body.Span)}); expected an {ApiVersion} AdmissionReview");
        }

        // The fast tokenizer accepts no escaped surrogate, so when it reads the body the check below has nothing to find.
        var request = AdmissionRequestReader.TryReadFast(body);
        if (request is null)
        {
            if (LoneSurrogate(body.Span) is { } unreadable)
            {
                return BadRequest(unreadable);
            }

            request = AdmissionRequestReader.ReadWithUtf8JsonReader(body);
        }

        if (request.SyntaxError is { } syntax)
        {
            return BadRequest($"request body is not valid JSON ({syntax}); expected an {ApiVersion} AdmissionReview");
        }

        if (!request.RootIsObject)
        {
            return BadRequest($"request body must be a JSON object: an {ApiVersion} AdmissionReview");
        }

        if (request.EnvelopeHasDuplicate)
        {
            return BadRequest(DuplicateKeyMessage(body.Span));
        }

        if (request.Kind != "AdmissionReview")
        {
            return BadRequest($"kind is '{request.Kind}', expected AdmissionReview ({ApiVersion})");
        }

        if (request.ApiVersion != ApiVersion)
        {
            return BadRequest($"apiVersion '{request.ApiVersion}' is not supported; expected {ApiVersion} (set admissionReviewVersions: [\"v1\"] in the webhook configuration)");
        }

        if (!request.HasRequest)
        {
            return BadRequest("AdmissionReview has no request object");
        }

        var uid = request.Uid;
        if (string.IsNullOrEmpty(uid))
        {
            return BadRequest("AdmissionReview request has no uid");
        }

        var isPod = request.RequestKindKind == "Pod" && string.IsNullOrEmpty(request.RequestKindGroup);
        var pod = request.Pod;
        var identity = PodIdentity.From(request.Namespace, pod);
        if (!isPod)
        {
            return Respond(uid, identity, InjectionResult.Skip(SkipReasons.NotAPod));
        }

        if (request.Operation is not null && request.Operation != "CREATE")
        {
            return Respond(uid, identity, InjectionResult.Skip(SkipReasons.NotCreate));
        }

        if (pod is null)
        {
            return BadRequest("AdmissionReview request for a Pod has no object", uid);
        }

        if (request.PodHasDuplicate)
        {
            return BadRequest(DuplicateKeyMessage(body.Span), uid);
        }

        try
        {
            return Respond(uid, identity, _fastPath ? _engine.InjectPatch(pod, config) : _engine.Inject(pod, config) with { Pod = null });
        }
        catch (ArgumentException) when (DuplicateKey(body.Span) is { } duplicate)
        {
            // A duplicate key deeper in a part the engine opened (JsonNode reports it on first access).
            return BadRequest($"request body has a duplicate key ({duplicate}); expected an {ApiVersion} AdmissionReview", uid);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A defect, not an answer: fail closed with the uid (as failurePolicy Fail would) and let the metrics
            // count it under its own reason rather than as an empty HTTP 500.
            var message = $"internal error ({ex.GetType().Name}); the injector could not process this pod, please report it";
            return Respond(uid, identity, InjectionResult.Deny(SkipReasons.InternalError, message));
        }
    }

    private static string DuplicateKeyMessage(ReadOnlySpan<byte> body) =>
        DuplicateKey(body) is { } duplicate
            ? $"request body has a duplicate key ({duplicate}); expected an {ApiVersion} AdmissionReview"
            : $"request body has a duplicate key; expected an {ApiVersion} AdmissionReview";

    /// <summary>The parse error for a duplicate key in the body, or null when it has none (only on the error path).</summary>
    private static string? DuplicateKey(ReadOnlySpan<byte> body)
    {
        try
        {
            using var strict = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
            return null;
        }
        catch (JsonException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// A string escape that decodes to a lone UTF-16 surrogate, which kube-apiserver never sends (Go's encoder does
    /// not write one; invalid UTF-8, the other such input, is checked first). System.Text.Json only notices it when
    /// the string is first read, so it is looked for up front.
    /// </summary>
    private static string? LoneSurrogate(ReadOnlySpan<byte> body)
    {
        if (!MayEscapeSurrogate(body))
        {
            return null;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            return $"request body has a string with a lone UTF-16 surrogate escape (near byte {reader.TokenStartIndex}); expected an {ApiVersion} AdmissionReview";
        }
        catch (JsonException)
        {
            // Not JSON at all: the parse reports it.
        }

        return null;
    }

    /// <summary>Whether the body contains <c>\uD800</c>-<c>\uDFFF</c> (either case) anywhere.</summary>
    private static bool MayEscapeSurrogate(ReadOnlySpan<byte> body)
    {
        for (var i = body.IndexOf("\\u"u8); i >= 0 && i + 3 < body.Length; )
        {
            if (body[i + 2] is (byte)'d' or (byte)'D' && body[i + 3] is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F'))
            {
                return true;
            }

            var next = body[(i + 2)..].IndexOf("\\u"u8);
            i = next < 0 ? -1 : i + 2 + next;
        }

        return false;
    }

    private static int Utf8Prefix(ReadOnlySpan<byte> body)
    {
        Utf8.ToUtf16(body, new char[body.Length], out var read, out _, replaceInvalidSequences: false);
        return read;
    }

    private static AdmissionOutcome Respond(string uid, PodIdentity identity, InjectionResult result)
    {
        using var scratch = ScratchWriter.Rent(ScratchWriter.Use.Response);
        var writer = scratch.Writer;
        {
            writer.WriteStartObject();
            writer.WriteString(Names.ApiVersion, Names.ApiVersionValue);
            writer.WriteString(Names.Kind, Names.KindValue);
            writer.WriteStartObject(Names.Response);
            writer.WriteString(Names.Uid, uid);
            writer.WriteBoolean(Names.Allowed, result.Decision != InjectionDecision.Denied);
            if (result.Decision == InjectionDecision.Denied)
            {
                writer.WriteStartObject("status");
                writer.WriteNumber("code", 403);
                writer.WriteString("reason", "Forbidden");
                writer.WriteString("message", "sidecar injection: " + result.Message);
                writer.WriteEndObject();
            }
            else if (result.Patch.Count > 0)
            {
                writer.WriteString(Names.PatchType, Names.JsonPatch);
                using var patch = ScratchWriter.Rent(ScratchWriter.Use.Patch);
                JsonPatchSerializer.Write(result.Patch, patch.Writer);
                writer.WriteBase64String(Names.Patch, patch.Flush());
            }

            if (result.Warnings.Count > 0)
            {
                writer.WriteStartArray(Names.Warnings);
                foreach (var warning in result.Warnings)
                {
                    writer.WriteStringValue(warning);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return new AdmissionOutcome(200, scratch.Flush().ToArray(), uid, identity, result, null);
    }

    /// <summary>The response's fixed names and values, encoded once (as the response writer's encoder would).</summary>
    private static class Names
    {
        public static readonly JsonEncodedText ApiVersion = Encode("apiVersion");
        public static readonly JsonEncodedText ApiVersionValue = Encode(AdmissionReviewHandler.ApiVersion);
        public static readonly JsonEncodedText Kind = Encode("kind");
        public static readonly JsonEncodedText KindValue = Encode("AdmissionReview");
        public static readonly JsonEncodedText Response = Encode("response");
        public static readonly JsonEncodedText Uid = Encode("uid");
        public static readonly JsonEncodedText Allowed = Encode("allowed");
        public static readonly JsonEncodedText PatchType = Encode("patchType");
        public static readonly JsonEncodedText JsonPatch = Encode("JSONPatch");
        public static readonly JsonEncodedText Patch = Encode("patch");
        public static readonly JsonEncodedText Warnings = Encode("warnings");

        private static JsonEncodedText Encode(string text) => JsonPatchSerializer.Encode(text);
    }

    /// <summary>HTTP 400 with a small JSON error body; used for problems with the request itself.</summary>
    public static AdmissionOutcome BadRequest(string message, string? uid = null)
    {
        var body = new JsonObject { ["error"] = message };
        return new AdmissionOutcome(400, Encoding.UTF8.GetBytes(body.ToJsonString()), uid, PodIdentity.Unknown, null, message);
    }

}
