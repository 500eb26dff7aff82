using Rollout.Cli;

namespace Rollout.Watch;

public static class WatchProgram
{
    public static Task<int> RunAsync(WatchOptions options, RolloutConsole console, CancellationToken stop) => throw new NotSupportedException();
}
