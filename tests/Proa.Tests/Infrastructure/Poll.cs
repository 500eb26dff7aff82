namespace Proa.Tests.Infrastructure;

/// <summary>For conditions nothing signals (a file the wrapped command writes): re-check often, fail at a deadline.</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0}s waiting for {what}");
            }

            await Task.Delay(20);
        }
    }
}
