using System.Text;

namespace Sidecars.Kube.Tests;

/// <summary>Splitting a watch stream into events, whatever the chunking, with a bound on one event.</summary>
public sealed class WatchLineReaderTests
{
    /// <summary>Hands out at most <paramref name="chunk"/> bytes per read, as a network does.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    private static async Task<List<string>> LinesAsync(string text, int chunk)
    {
        using var reader = new WatchLineReader(new ChunkedStream(Encoding.UTF8.GetBytes(text), chunk));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(Encoding.UTF8.GetString(line.Span));
        }

        return lines;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task Lines_come_out_whole_whatever_the_chunks(int chunk)
    {
        var big = new string('x', 40_000); // larger than the first buffer: it grows
        Assert.Equal(["{\"a\":1}", "", big, "é last without newline"], await LinesAsync("{\"a\":1}\n\n" + big + "\né last without newline", chunk));
    }

    [Fact]
    public async Task An_endless_line_is_an_error_not_unbounded_memory()
    {
        using var reader = new WatchLineReader(new ChunkedStream(new byte[WatchLineReader.MaxLineBytes + 1], 1 << 20));
        var e = await Assert.ThrowsAsync<KubeApiException>(async () => await reader.ReadLineAsync(CancellationToken.None));
        Assert.Equal("an event is larger than 16 MiB", e.Message);
    }
}
