using System.Runtime.InteropServices;
using Controllers.Kube;
using Rollout.Kube;
using Rollout.Output;

namespace Rollout.Cli;

/// <summary>
/// The program: parses the command line and runs the one-shot restart or the watch mode. The first SIGINT/SIGTERM
/// stops new rollouts from starting while those in flight finish (up to their timeout); a second one stops waiting
/// for them. Either way the summary is printed.
/// </summary>
public static class RolloutProgram
{
    public static async Task<int> MainAsync(string[] args)
    {
        using var stopStarting = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        var signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // we end by ourselves, after the summary
            if (Interlocked.Increment(ref signals) == 1)
            {
                stopStarting.Cancel();
            }
            else
            {
                abort.Cancel();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await RunAsync(args, RolloutConsole.System, stopStarting.Token, abort.Token).ConfigureAwait(false);
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, RolloutConsole console, CancellationToken stopStarting, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(console);
        switch (RolloutCommandLine.Parse(args, console.Out, console.Error))
        {
            case CliRequest.Run run:
                return await RunOnceAsync(run.Options, console, stopStarting, abort).ConfigureAwait(false);
            case CliRequest.Watch watch:
                return await Watch.WatchProgram.RunAsync(watch.Options, console, stopStarting).ConfigureAwait(false);
            case CliRequest.Done done:
                return done.Code;
            default:
                return ExitCodes.Usage;
        }
    }

    private static async Task<int> RunOnceAsync(RunOptions options, RolloutConsole console, CancellationToken stopStarting, CancellationToken abort)
    {
        IRunReporter reporter = options.LogFormat == OutputFormat.Json
            ? new JsonReporter(console.Out, options.LogLevel, console.Time)
            : new TextReporter(console.Out, console.Error, console.ErrorIsTerminal, options.LogLevel, console.Time);
        k8s.IKubernetes client;
        try
        {
            client = KubeClientFactory.Create(options.Kubeconfig, options.Context, console.Environment);
        }
        catch (KubeconfigException ex)
        {
            reporter.Log(Verbosity.Error, $"cannot use the kubeconfig: {ex.Message}");
            return ExitCodes.Failure;
        }

        using (client)
        using (stopStarting.Register(() => reporter.Log(Verbosity.Warn, "interrupted: no new rollout starts; waiting for those in flight (interrupt again to stop waiting)")))
        {
            return await RolloutRun.RunAsync(options, client, reporter, console.Time, stopStarting, abort).ConfigureAwait(false);
        }
    }
}
