using Injector.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Injector.Tests.Hosting;

/// <summary>Changed content is used only after two equal reads at least the settle time apart.</summary>
public sealed class ContentSettlerTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);
    private readonly FakeTimeProvider _clock = new();
    private readonly ContentSettler _settler;

    public ContentSettlerTests()
    {
        _settler = new ContentSettler(Settle, _clock);
        _settler.Handled([0]);
    }

    [Fact]
    public void Content_already_handled_is_unchanged()
    {
        Assert.Equal(ContentState.Unchanged, _settler.Observe([0]));
    }

    [Fact]
    public void New_content_settles_only_when_read_again_after_the_settle_time()
    {
        Assert.Equal(ContentState.Changing, _settler.Observe([1]));
        _clock.Advance(Settle / 2);
        Assert.Equal(ContentState.Changing, _settler.Observe([1])); // equal, but too soon: a writer may be pausing
        _clock.Advance(Settle / 2);
        Assert.Equal(ContentState.Settled, _settler.Observe([1]));
    }

    [Fact]
    public void Content_still_being_written_restarts_the_wait()
    {
        Assert.Equal(ContentState.Changing, _settler.Observe([1])); // half written
        _clock.Advance(Settle);
        Assert.Equal(ContentState.Changing, _settler.Observe([1, 2])); // the rest arrived: a new candidate
        _clock.Advance(Settle - TimeSpan.FromTicks(1));
        Assert.Equal(ContentState.Changing, _settler.Observe([1, 2]));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(ContentState.Settled, _settler.Observe([1, 2]));
    }

    [Fact]
    public void Handled_content_is_not_handed_over_again_and_going_back_counts_as_a_change()
    {
        _settler.Observe([1]);
        _clock.Advance(Settle);
        Assert.Equal(ContentState.Settled, _settler.Observe([1]));
        _settler.Handled([1]);

        Assert.Equal(ContentState.Unchanged, _settler.Observe([1]));
        Assert.Equal(ContentState.Changing, _settler.Observe([0]));
    }
}
