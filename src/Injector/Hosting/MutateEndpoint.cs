using System.Diagnostics;
using Injector.Configuration;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Diagnostics;
using Injector.Metrics;
using Microsoft.AspNetCore.Http;

namespace Injector.Hosting;

/// <summary>
/// HTTP side of <c>POST /mutate</c>: content type, body cap, timing, logs and metrics. Everything about the
/// AdmissionReview itself is in <see cref="AdmissionReviewHandler"/>. Total: every request gets a review with its uid
/// or a 400 with a JSON error, whatever is thrown below it, and every answer is counted and timed.
/// </summary>
internal sealed class MutateEndpoint
{
    private readonly Func<ReadOnlyMemory<byte>, InjectorConfig, AdmissionOutcome> _handle;
    private readonly ConfigStore _config;
    private readonly InjectorMetrics _metrics;
    private readonly ILogger _logger;
    private readonly long _maxBytes;
    private readonly RequestBufferPool _buffers;

    public MutateEndpoint(Func<ReadOnlyMemory<byte>, InjectorConfig, AdmissionOutcome> handle, ConfigStore config, InjectorMetrics metrics, ILogger logger, long maxBytes, RequestBufferPool? buffers = null)
    {
        _handle = handle;
        _config = config;
        _metrics = metrics;
        _logger = logger;
        _maxBytes = maxBytes;
        _buffers = buffers ?? new RequestBufferPool(DefaultRetainedBufferBytes);
    }

    /// <summary>Request buffers kept for reuse while reviews come in (all are dropped when the webhook goes idle).</summary>
    public const long DefaultRetainedBufferBytes = 16 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        AdmissionOutcome outcome;
        bool failed;
        try
        {
            (outcome, failed) = await ReadAndHandleAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            _metrics.Request("aborted");
            Log.AdmissionAborted(_logger, Remote(context));
            _metrics.ObserveDuration(Stopwatch.GetElapsedTime(started));
            return;
        }

        if (failed)
        {
            _metrics.Request("error");
        }
        else
        {
            Record(outcome, context);
        }

        context.Response.StatusCode = outcome.StatusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = outcome.Body.Length;
        _metrics.ObserveDuration(Stopwatch.GetElapsedTime(started));
        await context.Response.Body.WriteAsync(outcome.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <returns>The answer, and whether it reports a failure inside the injector (already logged).</returns>
    private async Task<(AdmissionOutcome Outcome, bool Failed)> ReadAndHandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType;
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (AdmissionReviewHandler.BadRequest($"content type '{contentType ?? "(none)"}' is not supported; send the AdmissionReview as application/json"), false);
        }

        if (request.ContentLength > _maxBytes)
        {
            return (AdmissionReviewHandler.BadRequest($"request body of {request.ContentLength} bytes is over the {_maxBytes}-byte limit (--max-request-bytes)"), false);
        }

        // One byte more than announced, so a body longer than its Content-Length is noticed without a second array.
        var initial = (int)Math.Min(request.ContentLength ?? 16 * 1024, _maxBytes) + 1;
        var buffer = _buffers.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = _buffers.Rent((int)Math.Min((long)buffer.Length * 2, _maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    _buffers.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > _maxBytes)
                {
                    return (AdmissionReviewHandler.BadRequest($"request body is over the {_maxBytes}-byte limit (--max-request-bytes)"), false);
                }
            }

            if (length == 0)
            {
                return (AdmissionReviewHandler.BadRequest("request body is empty; expected an admission.k8s.io/v1 AdmissionReview"), false);
            }

            return (_handle(buffer.AsMemory(0, length), _config.Current), false);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel refused the framing (a malformed chunk, a body cut short, too slow a client).
            return (AdmissionReviewHandler.BadRequest($"request body could not be read: {ex.Message}"), false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var outcome = AdmissionFailure.Answer(buffer.AsSpan(0, length), ex);
            Log.AdmissionFailed(_logger, Remote(request.HttpContext), outcome.Uid ?? "unknown",
                outcome.StatusCode == 200 ? "with a denial (status 500)" : "with HTTP 400", ex);
            return (outcome, true);
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }

    private static string Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private void Record(AdmissionOutcome outcome, HttpContext context)
    {
        if (outcome.Result is not { } result)
        {
            _metrics.Request("bad_request");
            Log.BadRequest(_logger, Remote(context), outcome.Error ?? "bad request");
            return;
        }

        var pod = outcome.Pod;
        var uid = outcome.Uid ?? string.Empty;
        switch (result.Decision)
        {
            case InjectionDecision.Denied:
                _metrics.Request("denied");
                _metrics.Denial(result.Reason);
                Log.Denied(_logger, pod.Namespace, pod.Name, pod.Owner, uid, result.Message ?? string.Empty);
                break;
            case InjectionDecision.Skipped:
                _metrics.Request("skipped");
                _metrics.Skip(result.Reason);
                Log.Skipped(_logger, pod.Namespace, pod.Name, uid, result.Reason);
                break;
            case InjectionDecision.Injected when result.Patch.Count == 0:
                _metrics.Request("unchanged");
                Log.Unchanged(_logger, pod.Namespace, pod.Name, pod.Owner, uid);
                break;
            default:
                _metrics.Request("injected");
                foreach (var sidecar in result.Sidecars)
                {
                    _metrics.Injection(sidecar);
                }

                if (_logger.IsEnabled(LogLevel.Information))
                {
                    // Checked first: the joined names would otherwise be built for every review and thrown away.
                    Log.Injected(_logger, string.Join(",", result.Sidecars), pod.Namespace, pod.Name, pod.Owner, uid, result.Patch.Count);
                }
                break;
        }
    }
}
