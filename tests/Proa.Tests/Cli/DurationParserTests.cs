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
        Assert.True(DurationParser.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5d")]
    [InlineData("-5s")]
    [InlineData("5 m")]
    [InlineData("m5")]
    public void Rejects(string text) => Assert.False(DurationParser.TryParse(text, out _));
}
