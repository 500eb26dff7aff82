namespace TestKit.Tests.Support;

public sealed class EventuallyTests
{
    [Fact]
    public async Task Returns_as_soon_as_the_condition_holds()
    {
        var calls = 0;
        await Eventually.TrueAsync(() => ++calls >= 3, "three calls");
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Fails_at_the_deadline_naming_what_was_awaited_with_diagnostics_and_the_last_error()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.TrueAsync(
            bool () => throw new InvalidOperationException("connection refused"), "the server to answer", TimeSpan.FromMilliseconds(100), () => "state: starting"));

        Assert.StartsWith("timed out after ", error.Message, StringComparison.Ordinal);
        Assert.Contains("waiting for: the server to answer", error.Message, StringComparison.Ordinal);
        Assert.Contains("last error: InvalidOperationException: connection refused", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("state: starting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_returns_the_first_non_null_probe_result()
    {
        var values = new Queue<string?>([null, null, "ready"]);
        Assert.Equal("ready", await Eventually.ValueAsync(() => values.Dequeue(), "a value"));
        Assert.Equal(7, await Eventually.ValueAsync(() => Task.FromResult<int?>(7), "a number"));
    }
}
