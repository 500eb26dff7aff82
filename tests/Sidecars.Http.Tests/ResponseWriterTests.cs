using System.Buffers;
using Sidecars.Http;
using Sidecars.Http.Tests.Support;
using TestKit.Time;

namespace Sidecars.Http.Tests;

public sealed class ResponseWriterTests
{
    private static readonly byte[] Date = Wire.Ascii("Sun, 06 Nov 1994 08:49:37 GMT");

    private static string Write(HttpResponse response, bool keepAlive = true, bool http10KeepAlive = false, bool omitBody = false)
    {
        var output = new ArrayBufferWriter<byte>();
        ResponseWriter.Write(output, response, Date, "appup"u8, keepAlive, http10KeepAlive, omitBody);
        return Wire.Text(output.WrittenSpan);
    }

    [Fact]
    public void Frames_status_line_headers_and_body_exactly()
    {
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: appup\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 10\r\nCache-Control: no-store\r\n\r\napp is up\n",
            Write(new HttpResponse(200, "app is up\n")));
    }

    [Fact]
    public void Content_type_comes_from_the_response_and_no_server_name_leaves_the_header_out()
    {
        var output = new ArrayBufferWriter<byte>();
        ResponseWriter.Write(output, new HttpResponse(200, "{}"u8.ToArray(), contentType: HttpResponse.Json), Date, default, keepAlive: true, http10KeepAlive: false, omitBody: false);
        var text = Wire.Text(output.WrittenSpan);

        Assert.Contains("\r\nContent-Type: application/json\r\n", text);
        Assert.DoesNotContain("Server:", text);
        Assert.EndsWith("\r\n\r\n{}", text);
    }

    [Fact]
    public void Head_keeps_content_length_but_drops_the_body()
    {
        var text = Write(new HttpResponse(503, "app is down\n"), omitBody: true);

        Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\n", text);
        Assert.Contains("\r\nContent-Length: 12\r\n", text);
        Assert.EndsWith("\r\n\r\n", text);
    }

    [Fact]
    public void Method_not_allowed_carries_allow()
    {
        var text = Write(new HttpResponse(405, "no\n", allowGetHead: true));

        Assert.StartsWith("HTTP/1.1 405 Method Not Allowed\r\n", text);
        Assert.Contains("\r\nAllow: GET, HEAD\r\n", text);
    }

    [Fact]
    public void Connection_header_only_when_needed()
    {
        Assert.DoesNotContain("Connection:", Write(HttpResponse.BadRequest, keepAlive: true));
        Assert.Contains("\r\nConnection: close\r\n", Write(HttpResponse.BadRequest, keepAlive: false));
        Assert.Contains("\r\nConnection: keep-alive\r\n", Write(HttpResponse.BadRequest, keepAlive: true, http10KeepAlive: true));
    }

    [Theory]
    [InlineData(400, "Bad Request")]
    [InlineData(404, "Not Found")]
    [InlineData(413, "Content Too Large")]
    [InlineData(431, "Request Header Fields Too Large")]
    [InlineData(500, "Internal Server Error")]
    [InlineData(501, "Not Implemented")]
    [InlineData(505, "HTTP Version Not Supported")]
    public void Status_lines_carry_the_standard_reason(int status, string reason) =>
        Assert.StartsWith($"HTTP/1.1 {status} {reason}\r\n", Write(new HttpResponse(status, "x\n")));

    [Fact]
    public void Date_is_formatted_once_per_second()
    {
        var clock = FakeClock.Create(new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero));
        var date = new HttpDate(clock);

        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", Wire.Text(date.Now));
        clock.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", Wire.Text(date.Now));
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal("Sun, 06 Nov 1994 08:49:38 GMT", Wire.Text(date.Now));
    }

    [Theory]
    [InlineData("1994-11-06T08:49:37Z")]
    [InlineData("2000-02-29T00:00:00Z")]
    [InlineData("2025-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    public void The_hand_made_date_is_what_the_R_format_gives(string instant)
    {
        var time = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime;
        Assert.Equal(time.ToString("R", System.Globalization.CultureInfo.InvariantCulture), Wire.Text(HttpDate.Format(time)));
    }
}
