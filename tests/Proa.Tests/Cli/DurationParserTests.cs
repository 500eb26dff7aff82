using Proa.Cli;

namespace Proa.Tests.Cli;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("2.5", 2.5)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1m30s", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("0", 0)]
    public void Parses(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5d")]
    [InlineData("-5s")]
    [InlineData("5 m")]
    [InlineData("m5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e3")]
    [InlineData("+5s")]
    [InlineData("5s10")]
    [InlineData("24h1s")]
    [InlineData("99999999999999999999999999h")]
    public void Rejects(string text) => Assert.False(DurationParser.TryParse(text, out _, out _));

    [Fact]
    public void A_day_is_the_most()
    {
        Assert.True(DurationParser.TryParse("24h", out var day, out _));
        Assert.Equal(DurationParser.Max, day);
        Assert.True(DurationParser.TryParse("23h59m59s", out _, out _));
    }
}
