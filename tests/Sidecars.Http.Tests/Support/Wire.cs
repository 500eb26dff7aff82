using System.Text;
using System.Text.RegularExpressions;

namespace Sidecars.Http.Tests.Support;

/// <summary>Helpers for writing requests and reading responses as raw text.</summary>
internal static class Wire
{
    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);

    /// <summary>Removes the Date header line, the only part of a response that changes with time.</summary>
    public static string WithoutDate(string response) =>
        string.Join("\r\n", response.Split("\r\n").Where(line => !line.StartsWith("Date: ", StringComparison.Ordinal)));

    /// <summary>Status codes of every response in a stream of responses, in order.</summary>
    /// <remarks>A status line starts the stream or follows a body, and every appup body ends with a newline.</remarks>
    public static int[] StatusCodes(string responses) =>
        Regex.Matches(responses, @"(?:^|\n)HTTP/1\.1 (\d{3}) ")
            .Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
}
