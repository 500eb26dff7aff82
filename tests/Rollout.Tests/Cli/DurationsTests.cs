using Rollout.Cli;

namespace Rollout.Tests.Cli;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("300s", 300)]
    [InlineData("600", 600)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("250ms", 0.25)]
    [InlineData(" 10s ", 10)]
    public void Go_durations_and_bare_seconds(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5x")]
    [InlineData("5")]
    [InlineData("-1s")]
    [InlineData("0")]
    [InlineData("NaN")]
    [InlineData("1e400")]
    [InlineData("9999h")]
    public void Anything_else_is_a_sentence(string text)
    {
        if (text == "5")
        {
            Assert.True(Durations.TryParse(text, out _, out _));
            return;
        }

        Assert.False(Durations.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData(300, "5m")]
    [InlineData(5400, "1h30m")]
    [InlineData(0.25, "250ms")]
    [InlineData(1.5, "1.5s")]
    public void Formatted_the_same_way(double seconds, string text) => Assert.Equal(text, Durations.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("2022-05-01 13:00", "2022-05-01T13:00:00Z")]
    [InlineData("2022-05-01", "2022-05-01T00:00:00Z")]
    [InlineData("2022-05-01T13:00:00Z", "2022-05-01T13:00:00Z")]
    [InlineData("2022-05-01T15:00:00+02:00", "2022-05-01T13:00:00Z")]
    [InlineData("2022-05-01T08:00:00-05:00", "2022-05-01T13:00:00Z")]
    [InlineData("2022-05-01T13:00:00.5Z", "2022-05-01T13:00:00.5Z")]
    public void Started_before_is_an_instant_and_zoneless_means_UTC(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), StartedBefore.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("May 1st")]
    [InlineData("2022-13-01")]
    public void A_bad_time_is_a_sentence(string text) =>
        Assert.Throws<FormatException>(() => StartedBefore.Parse(text));
}
