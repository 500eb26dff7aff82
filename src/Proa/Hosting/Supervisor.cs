using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Proa.Child;
using Proa.Cli;
using Proa.Identity;
using Proa.Kube;
using Proa.Readiness;
using Proa.Shutdown;
using Sidecars.Contract;
using Sidecars.Kube;
using Sidecars.Runtime.Errors;

namespace Proa.Hosting;

/// <summary>
/// The three phases: wait for the sidecars, run the command, shut down. Every path out of phase 1 or 2 goes
/// through phase 3, so the sidecars are told to stop even when the command never ran; and nothing in phase 3 can
/// lose the command's exit code, the one thing proa must keep.
/// </summary>
internal sealed class Supervisor(ProaOptions options, Func<string?, KubeApiClient> connect, Func<string, string?> getEnv)
{
    private const int DefaultGracePeriodSeconds = 30;

    /// <summary>
    /// The longest wait for the other containers to stop. The pod's terminationGracePeriodSeconds is untrusted input
    /// (5000000 is valid); the kubelet kills the pod at its grace period anyway.
    /// </summary>
    private static readonly TimeSpan MaxGracePeriod = TimeSpan.FromDays(1);

    private PodFollower? _follower;
    private string? _ownContainer;

    public async Task<int> RunAsync()
    {
        using var signals = new SignalForwarder();
        KubeApiClient? api = null;
        int exitCode;
        try
        {
            var startup = await WaitForSidecarsAsync(signals, client => api = client);
            if (startup.Ready)
            {
                exitCode = await RunCommandAsync(signals);
            }
            else
            {
                Log.Error(startup.Message);
                exitCode = startup.ExitCode!.Value;
            }
        }
        catch (Exception e)
        {
            // Not expected; still a clean message, still phase 3.
            Log.Error($"waiting for the sidecars failed: {ErrorText.Describe(e)}");
            exitCode = ExitCodes.Config;
        }

        try
        {
            await ShutdownCaller.CallAllAsync(options.ShutdownGet, options.ShutdownPost, ShutdownCaller.PerCallTimeout);
            await WaitForOthersToStopAsync(signals);
        }
        catch (Exception e)
        {
            Log.Error($"shutting down the sidecars failed: {ErrorText.Describe(e)}; keeping the command's exit code");
        }
        finally
        {
            api?.Dispose();
        }

        Log.Info($"exiting with code {exitCode}");
        return exitCode;
    }

    private async Task<StartupResult> WaitForSidecarsAsync(SignalForwarder signals, Action<KubeApiClient> track)
    {
        if (getEnv(ProaContract.SkipWaitVariable) is { } skip && (skip == "1" || skip.Equals("true", StringComparison.OrdinalIgnoreCase)))
        {
            Log.Info($"{ProaContract.SkipWaitVariable} is set: not waiting for the sidecars");
            return new StartupResult(null, "skipped");
        }

        var identity = PodIdentityResolver.Resolve(getEnv, () => Environment.MachineName, ReadFileOrNull, out var identityError);
        if (identity is null)
        {
            return new StartupResult(ExitCodes.Config, identityError!);
        }

        KubeApiClient api;
        try
        {
            api = connect(options.Kubeconfig);
        }
        catch (KubeConfigException e)
        {
            return new StartupResult(ExitCodes.Config, "cannot reach the Kubernetes API: " + e.Message);
        }

        track(api);
        _follower = new PodFollower(api, identity.Namespace, identity.Name);
        var timeout = options.StartupTimeout;
        Log.Info($"waiting for the other containers of pod {identity} to be ready (pod name from {identity.NameSource}, namespace from {identity.NamespaceSource}; API {api.Server}; timeout {(timeout is null ? "none" : Format(timeout.Value))})");

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(signals.Stopped);
        if (timeout is not null)
        {
            cts.CancelAfter(timeout.Value);
        }

        var started = Stopwatch.GetTimestamp();
        var seenPod = false;
        string? lastDetail = null;
        try
        {
            var decision = await _follower.WatchUntilAsync(update => Decide(update, identity, ref seenPod, ref lastDetail), cts.Token);
            if (decision.State == ReadinessState.Ready)
            {
                Log.Info($"{decision.Detail} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.###}s; starting {options.Command}");
                return new StartupResult(null, decision.Detail);
            }

            return new StartupResult(seenPod ? ExitCodes.SidecarFailed : ExitCodes.Config, decision.Detail);
        }
        catch (OperationCanceledException) when (signals.Stopped.IsCancellationRequested)
        {
            return new StartupResult(ExitCodes.ForSignal(signals.ReceivedSignal), $"received signal {signals.ReceivedSignal} while waiting for the sidecars; not starting {options.Command}");
        }
        catch (OperationCanceledException)
        {
            var why = lastDetail ?? "the pod could not be read";
            var apiError = _follower.LastError is { } e ? $"; last API error: {e}" : "";
            return new StartupResult(ExitCodes.StartupTimeout, $"startup timeout: the sidecars were not ready after {Format(timeout!.Value)} ({why}{apiError}); not starting {options.Command}");
        }
    }

    private ReadinessDecision? Decide(PodUpdate update, PodIdentity identity, ref bool seenPod, ref string? lastDetail)
    {
        if (update.Deleted)
        {
            return ReadinessDecision.Failed(seenPod
                ? $"pod {identity} was deleted while waiting for the sidecars"
                : $"pod {identity} not found (name from {identity.NameSource}, namespace from {identity.NamespaceSource}); set {ProaContract.PodNameVariable} and {ProaContract.PodNamespaceVariable} from the downward API");
        }

        if (!seenPod)
        {
            seenPod = true;
            var (own, source) = OwnContainerResolver.Resolve(getEnv(ProaContract.ContainerNameVariable), ReadFileOrNull("/proc/self/mountinfo"), update.Pod);
            _ownContainer = own ?? "";
            Log.Info($"own container: {own ?? "(none)"} (from {source})");
            if (own is not null && !ContainerNames(update.Pod).Contains(own))
            {
                Log.Info($"warning: this pod has no container named '{own}'; waiting for all of its containers");
            }
        }

        var decision = ReadinessEvaluator.Evaluate(update.Pod, _ownContainer!);
        if (decision.State == ReadinessState.Waiting)
        {
            if (decision.Detail != lastDetail)
            {
                Log.Info(decision.Detail);
            }
            else
            {
                Log.Debug(decision.Detail);
            }

            lastDetail = decision.Detail;
            return null;
        }

        lastDetail = decision.Detail;
        return decision;
    }

    private async Task<int> RunCommandAsync(SignalForwarder signals)
    {
        var (path, errorCode, error) = CommandResolver.Resolve(options.Command, getEnv("PATH"));
        if (path is null)
        {
            Log.Error(error!);
            return errorCode;
        }

        try
        {
            var code = await ChildRunner.RunAsync(path, options.Arguments, signals);
            if (code is null)
            {
                Log.Info($"received signal {signals.ReceivedSignal} before the command started; not starting it");
                return ExitCodes.ForSignal(signals.ReceivedSignal);
            }

            return code.Value;
        }
        catch (ChildStartException e)
        {
            Log.Error(e.Message);
            return ExitCodes.CannotExecute;
        }
    }

    /// <summary>Waits, bounded by the pod's grace period, for the other regular containers to stop.</summary>
    private async Task WaitForOthersToStopAsync(SignalForwarder signals)
    {
        if (_follower?.LastPod is not { } lastPod || _ownContainer is null)
        {
            return;
        }

        var since = DateTimeOffset.UtcNow;
        var grace = GracePeriod(lastPod);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(signals.Stopped);
        cts.CancelAfter(grace);
        string? detail = null;
        try
        {
            var result = await _follower.WatchUntilAsync(
                update =>
                {
                    if (update.Deleted)
                    {
                        return "pod deleted";
                    }

                    var (done, text) = TerminationEvaluator.Evaluate(update.Pod, _ownContainer, since);
                    if (text != detail)
                    {
                        Log.Info(text);
                        detail = text;
                    }

                    return done ? text : null;
                },
                cts.Token);
            Log.Debug(result);
        }
        catch (OperationCanceledException) when (signals.Stopped.IsCancellationRequested)
        {
            Log.Info($"received signal {signals.ReceivedSignal}; not waiting for the other containers any longer");
        }
        catch (OperationCanceledException)
        {
            Log.Info($"gave up waiting for the other containers to stop after the {Format(grace)} grace period ({detail ?? "no pod status"})");
        }
    }

    private static List<string> ContainerNames(JsonElement pod) =>
        ((JsonElement?)pod).Child("spec").Array("containers").Select(c => ((JsonElement?)c).String("name")).OfType<string>().ToList();

    /// <summary>The pod's grace period, clamped to [0, <see cref="MaxGracePeriod"/>].</summary>
    internal static TimeSpan GracePeriod(JsonElement pod)
    {
        var seconds = ((JsonElement?)pod).Child("spec").Long("terminationGracePeriodSeconds") ?? DefaultGracePeriodSeconds;
        return seconds <= 0 ? TimeSpan.Zero : seconds >= MaxGracePeriod.TotalSeconds ? MaxGracePeriod : TimeSpan.FromSeconds(seconds);
    }

    private static string Format(TimeSpan span) =>
        span.TotalSeconds < 120
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###}s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.##}m");

    private static string? ReadFileOrNull(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
