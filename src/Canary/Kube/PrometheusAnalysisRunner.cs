using System.Net;
using System.Text;
using Canary.Analysis;
using Canary.Api;
using Canary.Reconciling;
using k8s;
using k8s.Autorest;

namespace Canary.Kube;

/// <summary>Runs a CanaryApp's check: the bearer token from its Secret (if any), then the query.</summary>
public sealed class PrometheusAnalysisRunner(IKubernetes client, PrometheusClient prometheus) : IAnalysisRunner
{
    public async Task<AnalysisResult> RunAsync(CanaryApp app, EffectiveSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(spec);
        string? token = null;
        if (spec.TokenSecret is { } secretRef)
        {
            var key = string.IsNullOrEmpty(secretRef.Key) ? "token" : secretRef.Key;
            try
            {
                var secret = await client.CoreV1.ReadNamespacedSecretAsync(secretRef.Name, app.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (secret.Data is null || !secret.Data.TryGetValue(key, out var bytes))
                {
                    return AnalysisResult.Error($"Secret {secretRef.Name} has no key \"{key}\" for the Prometheus token");
                }

                token = Encoding.UTF8.GetString(bytes).Trim();
                if (!PrometheusClient.IsValidToken(token))
                {
                    // Sent as is it would break the request (a newline is a header injection): refused before it leaves.
                    return AnalysisResult.Error($"the Prometheus token in Secret {secretRef.Name} (key \"{key}\") is empty or has characters an HTTP header cannot carry (printable ASCII only)");
                }
            }
            catch (HttpOperationException ex)
            {
                return AnalysisResult.Error(ex.Response.StatusCode == HttpStatusCode.NotFound
                    ? $"Secret {secretRef.Name} (the Prometheus token) does not exist"
                    : $"reading Secret {secretRef.Name} failed: {(int)ex.Response.StatusCode} {ex.Response.ReasonPhrase}");
            }
        }

        return await prometheus.QueryAsync(spec, token, cancellationToken).ConfigureAwait(false);
    }
}
