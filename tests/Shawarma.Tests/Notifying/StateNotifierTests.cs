using System.Collections.Concurrent;
using Sidecars.Runtime.Logging;
using TestKit;
using Shawarma.Notifying;
using Shawarma.State;
using Shawarma.Tests.Fakes;

namespace Shawarma.Tests.Notifying;

public sealed class StateNotifierTests
{
    private static readonly DeploymentState Active = new(["web"]);

    private sealed class Recorder
    {
        public ConcurrentQueue<string> Attempts { get; } = new();

        public ConcurrentQueue<string> Delivered { get; } = new();

        public volatile bool Up = true;

        public Task<bool> SendAsync(DeploymentState state, CancellationToken ct)
        {
            Attempts.Enqueue(state.Json);
            if (Up)
            {
                Delivered.Enqueue(state.Json);
            }

            return Task.FromResult(Up);
        }
    }

    private static (StateNotifier Notifier, Recorder Recorder, CancellationTokenSource Cts, Task Run) Start(TimeSpan debounce)
    {
        var recorder = new Recorder();
        var notifier = new StateNotifier(recorder.SendAsync, new SidecarLog("shawarma", LogLevel.Error, LogFormat.Text, TextWriter.Null), debounce, TimeSpan.FromMilliseconds(200));
        var cts = new CancellationTokenSource();
        return (notifier, recorder, cts, notifier.RunAsync(cts.Token));
    }

    [Fact]
    public async Task A_burst_is_debounced_into_one_post_of_the_latest_state()
    {
        var (notifier, recorder, cts, run) = Start(TimeSpan.FromMilliseconds(300));
        // The initial state goes out at once; only later changes are debounced.
        notifier.Update(Active);
        await Eventually.TrueAsync(() => recorder.Delivered.Count == 1, "initial delivery");
        notifier.Update(DeploymentState.Inactive);
        notifier.Update(Active);
        notifier.Update(DeploymentState.Inactive);
        await Eventually.TrueAsync(() => recorder.Delivered.Count == 2, "debounced delivery");
        await cts.CancelAsync();
        await run;
        Assert.Equal([Active.Json, DeploymentState.Inactive.Json], recorder.Delivered);
    }

    [Fact]
    public async Task A_flap_back_to_the_delivered_state_posts_nothing()
    {
        var (notifier, recorder, cts, run) = Start(TimeSpan.FromMilliseconds(200));
        notifier.Update(Active);
        await Eventually.TrueAsync(() => recorder.Delivered.Count == 1, "first delivery");
        notifier.Update(DeploymentState.Inactive);
        notifier.Update(Active); // within the debounce window
        notifier.Update(Active);
        await Task.Delay(600); // nothing may happen here: give it the chance to misbehave
        await cts.CancelAsync();
        await run;
        Assert.Equal([Active.Json], recorder.Attempts);
    }

    [Fact]
    public async Task Retries_until_delivered_and_a_newer_state_supersedes_the_retry()
    {
        var (notifier, recorder, cts, run) = Start(TimeSpan.FromMilliseconds(10));
        recorder.Up = false;
        notifier.Update(Active);
        await Eventually.TrueAsync(() => recorder.Attempts.Count >= 3, "retries");
        Assert.All(recorder.Attempts, a => Assert.Equal(Active.Json, a));

        notifier.Update(DeploymentState.Inactive);
        await Eventually.TrueAsync(() => recorder.Attempts.LastOrDefault() == DeploymentState.Inactive.Json, "retrying the newer state");
        recorder.Up = true;
        await Eventually.TrueAsync(() => !recorder.Delivered.IsEmpty, "delivery");
        await cts.CancelAsync();
        await run;
        Assert.Equal([DeploymentState.Inactive.Json], recorder.Delivered);
    }

    [Fact]
    public async Task Cancellation_stops_a_retry_loop_promptly()
    {
        var (notifier, recorder, cts, run) = Start(TimeSpan.FromMilliseconds(10));
        recorder.Up = false;
        notifier.Update(Active);
        await Eventually.TrueAsync(() => !recorder.Attempts.IsEmpty, "an attempt");
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
