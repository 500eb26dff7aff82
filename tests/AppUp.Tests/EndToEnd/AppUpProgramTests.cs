using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using AppUp.Tests.Support;
using Sidecars.Http.Tests.Support;

namespace AppUp.Tests.EndToEnd;

/// <summary>The real program over real HTTP: one child process per test, a temp UP_FILE and a free port.</summary>
public sealed class AppUpProgramTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<AppUpProcess> _processes = [];

    private string UpFile => _dir.File("up.txt");

    private async Task<AppUpProcess> ServeAsync(string? initial = null, string? upFile = null, string port = "0")
    {
        var app = await AppUpProcess.StartServingAsync(new Dictionary<string, string?>
        {
            ["UP_FILE"] = upFile ?? UpFile,
            ["UP_PORT"] = port,
            ["UP_INITIAL"] = initial,
        });
        _processes.Add(app);
        return app;
    }

    private AppUpProcess Run(Dictionary<string, string?> environment, params string[] args)
    {
        var app = AppUpProcess.Start(environment, args);
        _processes.Add(app);
        return app;
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(AppUpProcess app, string path, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        using var response = await app.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Starts_up_by_default_and_logs_file_port_and_state()
    {
        var app = await ServeAsync();

        Assert.True(File.Exists(UpFile));
        Assert.Equal((HttpStatusCode.OK, "app is up\n"), await GetAsync(app, "/health"));
        Assert.Contains($"port={app.Port} file={UpFile} state=up", app.Stderr);
    }

    [Fact]
    public async Task Down_up_cycle_follows_the_original_contract()
    {
        var app = await ServeAsync();

        Assert.Equal((HttpStatusCode.OK, "app is down\n"), await GetAsync(app, "/down"));
        Assert.False(File.Exists(UpFile));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "app is already down\n"), await GetAsync(app, "/down"));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "app is down\n"), await GetAsync(app, "/health"));
        Assert.Equal((HttpStatusCode.OK, "app is up\n"), await GetAsync(app, "/up"));
        Assert.True(File.Exists(UpFile));
        Assert.Equal((HttpStatusCode.OK, "app is up\n"), await GetAsync(app, "/health"));
        await app.WaitForStderrAsync(line => line.Contains("state down (was up) after GET /down", StringComparison.Ordinal));
        await app.WaitForStderrAsync(line => line.Contains("state up (was down) after GET /up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Initial_down_removes_an_existing_file()
    {
        await File.WriteAllTextAsync(UpFile, "");

        var app = await ServeAsync(initial: "down");

        Assert.False(File.Exists(UpFile));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(app, "/health")).Status);
        Assert.Contains("state=down", app.Stderr);
    }

    [Fact]
    public async Task Up_creates_a_missing_directory()
    {
        var nested = _dir.File("a/b/up.txt");
        var app = await ServeAsync(initial: "down", upFile: nested);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app, "/up")).Status);
        Assert.True(File.Exists(nested));
    }

    [Fact]
    public async Task Shell_exec_control_is_seen_by_health()
    {
        var app = await ServeAsync();

        File.Delete(UpFile); // kubectl exec ... rm /pod/up.txt
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(app, "/health")).Status);
        await File.WriteAllTextAsync(UpFile, ""); // kubectl exec ... touch /pod/up.txt
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app, "/health")).Status);
        await app.WaitForStderrAsync(line => line.Contains("state down (was up) after a change outside appup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_path_is_404_with_a_body()
    {
        var app = await ServeAsync();

        var (status, body) = await GetAsync(app, "/nope");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.NotEmpty(body);
    }

    [Fact]
    public async Task Other_methods_are_405_with_allow()
    {
        var app = await ServeAsync();

        using var response = await app.Client.PostAsync("/down", new StringContent("x"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.True(File.Exists(UpFile));
    }

    [Fact]
    public async Task Head_gets_status_without_body()
    {
        var app = await ServeAsync();

        using var request = new HttpRequestMessage(HttpMethod.Head, "/health");
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Keep_alive_serves_many_requests_on_one_connection()
    {
        var app = await ServeAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, app.Port);
        var stream = client.GetStream();

        var pipelined = "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /down HTTP/1.1\r\nHost: x\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(pipelined));
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));

        var responses = await ReadToEndAsync(stream);
        Assert.Equal([200, 200, 503], Wire.StatusCodes(responses));
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/1.1\r\nBad Header: x\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/2.0\r\n\r\n", 505)]
    public async Task Malformed_requests_get_an_error_and_the_connection_closes(string request, int expected)
    {
        var app = await ServeAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, app.Port);
        var stream = client.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var responses = await ReadToEndAsync(stream);

        Assert.Equal([expected], Wire.StatusCodes(responses));
        Assert.Contains("Connection: close", responses);
    }

    [Fact]
    public async Task Oversized_headers_get_431()
    {
        var app = await ServeAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, app.Port);
        var stream = client.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nX-Big: " + new string('a', 20_000) + "\r\n\r\n"));
        var responses = await ReadToEndAsync(stream);

        Assert.Equal([431], Wire.StatusCodes(responses));
    }

    [Fact]
    public async Task Listens_on_the_port_given_in_UP_PORT()
    {
        var port = FreePort();

        var app = await ServeAsync(port: port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(port, app.Port);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app, "/health")).Status);
    }

    [Theory]
    [InlineData(PosixSignal.SIGTERM)]
    [InlineData(PosixSignal.SIGINT)]
    public async Task Signals_stop_with_exit_code_0(PosixSignal signal)
    {
        var app = await ServeAsync();
        // A connection in flight must not hold the process up.
        using var idle = new TcpClient();
        await idle.ConnectAsync(IPAddress.Loopback, app.Port);

        app.Signal(signal);

        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.Contains($"{signal} received", app.Stderr);
    }

    [Theory]
    [InlineData("UP_PORT", "abc", "1 to 65535")]
    [InlineData("UP_PORT", "70000", "1 to 65535")]
    [InlineData("UP_INITIAL", "maybe", "'up'")]
    [InlineData("UP_FILE", "/tmp/", "not a directory")]
    public async Task Invalid_configuration_exits_2_with_a_message(string name, string value, string hint)
    {
        var app = Run(new Dictionary<string, string?> { ["UP_FILE"] = UpFile, [name] = value });

        Assert.Equal(2, await app.WaitForExitAsync());
        Assert.Contains($"{name} '{value}'", app.Stderr);
        Assert.Contains(hint, app.Stderr);
    }

    [Fact]
    public async Task Existing_directory_as_file_exits_2()
    {
        var app = Run(new Dictionary<string, string?> { ["UP_FILE"] = _dir.Path });

        Assert.Equal(2, await app.WaitForExitAsync());
        Assert.Contains("is a directory", app.Stderr);
    }

    [Fact]
    public async Task Port_in_use_exits_1_with_a_message()
    {
        using var blocker = new TcpListener(IPAddress.Any, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        var app = Run(new Dictionary<string, string?> { ["UP_FILE"] = UpFile, ["UP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(1, await app.WaitForExitAsync());
        Assert.Contains("already in use", app.Stderr);
    }

    [Fact]
    public async Task Help_prints_usage_and_exits_0()
    {
        var app = Run(new Dictionary<string, string?>(), "--help");

        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.Contains("UP_FILE", app.Stdout);
        Assert.Contains("/health", app.Stdout);
    }

    [Fact]
    public async Task Logs_are_json_lines_by_default_in_a_container()
    {
        var app = await ServeAsync();
        await GetAsync(app, "/down");
        await app.WaitForStderrAsync(l => l.Contains("state down", StringComparison.Ordinal));

        var lines = app.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2);
        foreach (var line in lines)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal(["time", "level", "logger", "msg"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal("appup", root.GetProperty("logger").GetString());
            Assert.Contains(root.GetProperty("level").GetString(), new[] { "error", "warn", "info", "debug", "trace" });
            Assert.True(DateTimeOffset.TryParse(root.GetProperty("time").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        }
    }

    [Fact]
    public async Task Log_format_text_writes_one_readable_line_per_event()
    {
        var app = Run(new Dictionary<string, string?> { ["UP_FILE"] = UpFile, ["UP_PORT"] = "0" }, "--log-format", "text");
        var line = await app.WaitForStderrAsync(l => l.Contains("appup started", StringComparison.Ordinal));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info  appup: appup started: ", line);
    }

    [Fact]
    public async Task Unknown_argument_exits_2()
    {
        var app = Run(new Dictionary<string, string?>(), "--port=1");

        Assert.Equal(2, await app.WaitForExitAsync());
        Assert.Contains("unknown argument '--port=1'", app.Stderr);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Any, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        using var deadline = new CancellationTokenSource(AppUpProcess.Deadline);
        using var all = new MemoryStream();
        await stream.CopyToAsync(all, deadline.Token);
        return Encoding.ASCII.GetString(all.ToArray());
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _dir.Dispose();
    }
}
