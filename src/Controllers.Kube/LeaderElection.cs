using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace Controllers.Kube;

/// <summary>
/// Runs work only while this replica holds the Lease. Built on KubernetesClient's <see cref="LeaderElector"/> with a
/// <see cref="LeaseLock"/> (acquire, renew within the renew deadline, optimistic concurrency on the Lease's
/// resourceVersion, the client-go algorithm), with two things it lacks added here:
/// <list type="bullet">
/// <item>release on shutdown (client-go's <c>ReleaseOnCancel</c>): a replica that stops cleanly empties
/// <c>holderIdentity</c>, so the other takes over at once instead of after a whole lease duration;</item>
/// <item>the work gets a token that is cancelled the moment leadership is lost, and the loop goes back to being a
/// candidate (controller-runtime exits instead; staying in-process keeps the health endpoints up).</item>
/// </list>
/// </summary>
public sealed class LeaderElection
{
    private readonly IKubernetes _client;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private volatile bool _leading;
    private volatile string? _leader;

    public LeaderElection(IKubernetes client, LeaderElectionOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _options = options;
        _logger = logger;
    }

    public bool IsLeader => _leading;

    public string? Leader => _leader;

    public string Identity => _options.Identity;

    private string LeaseDescription => $"{_options.LeaseNamespace}/{_options.LeaseName}";

    /// <summary>Until <paramref name="cancellationToken"/> fires: wait to lead, run <paramref name="lead"/> while leading.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        while (!cancellationToken.IsCancellationRequested)
        {
            var leaseLock = new LeaseLock(_client, _options.LeaseNamespace, _options.LeaseName, _options.Identity);
            using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
            {
                LeaseDuration = _options.LeaseDuration,
                RenewDeadline = _options.RenewDeadline,
                RetryPeriod = _options.RetryPeriod,
            });
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task? work = null;
            elector.OnStartedLeading += () =>
            {
                _leading = true;
                Log.StartedLeading(_logger, _options.Identity, LeaseDescription);
                work = Task.Run(() => lead(leading.Token), CancellationToken.None);
            };
            elector.OnStoppedLeading += () =>
            {
                _leading = false;
                leading.Cancel();
                Log.StoppedLeading(_logger, _options.Identity, LeaseDescription);
            };
            elector.OnNewLeader += leader =>
            {
                _leader = leader;
                Log.NewLeader(_logger, LeaseDescription, leader);
            };
            elector.OnError += e => Log.LeaseError(_logger, e.Message);
            try
            {
                await elector.RunUntilLeadershipLostAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                // The elector lets transport errors (API server unreachable) escape; stay a candidate.
                Log.LeaseError(_logger, ex.Message);
            }
            finally
            {
                _leading = false;
                await leading.CancelAsync().ConfigureAwait(false);
                if (work is not null)
                {
                    try
                    {
                        await work.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                if (work is not null)
                {
                    await ReleaseAsync().ConfigureAwait(false);
                }

                break;
            }

            try
            {
                await Task.Delay(_options.RetryPeriod, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Empties the Lease's holder if it is still us (so a successor need not wait for it to expire).</summary>
    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(_options.RenewDeadline);
        try
        {
            var lease = await _client.CoordinationV1.ReadNamespacedLeaseAsync(_options.LeaseName, _options.LeaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != _options.Identity)
            {
                return;
            }

            var now = DateTime.UtcNow;
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = now;
            lease.Spec.AcquireTime = now;
            await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _options.LeaseName, _options.LeaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            Log.Released(_logger, LeaseDescription);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            Log.ReleaseFailed(_logger, LeaseDescription, ex.Message);
        }
    }
}
