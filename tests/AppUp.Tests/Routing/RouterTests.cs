using Sidecars.Http;
using Sidecars.Http.Tests.Support;
using AppUp.Routing;
using AppUp.Tests.Support;

namespace AppUp.Tests.Routing;

public sealed class RouterTests
{
    private readonly FakeUpFile _file = new(exists: true);
    private readonly List<string> _log = [];
    private readonly Router _router;

    public RouterTests()
    {
        _router = new Router(_file, _log.Add);
        _router.Observe(_file.IsPresent, "start");
    }

    private (int Status, string Body, HttpResponse Response) Get(string path, string method = "GET")
    {
        var response = _router.Handle(Wire.Ascii(method), Wire.Ascii(path));
        return (response.StatusCode, Wire.Text(response.Body.Span), response);
    }

    private (int Status, string Body) Brief(string path)
    {
        var (status, body, _) = Get(path);
        return (status, body);
    }

    [Fact]
    public void Health_reflects_the_file()
    {
        Assert.Equal((200, "app is up\n"), Brief("/health"));
        _file.IsPresent = false;
        Assert.Equal((503, "app is down\n"), Brief("/health"));
    }

    [Fact]
    public void Down_then_down_again_is_503_as_the_original_readme_says()
    {
        Assert.Equal((200, "app is down\n"), Brief("/down"));
        Assert.False(_file.IsPresent);
        Assert.Equal((503, "app is already down\n"), Brief("/down"));
    }

    [Fact]
    public void Up_creates_the_file_and_is_idempotent()
    {
        _file.IsPresent = false;

        Assert.Equal((200, "app is up\n"), Brief("/up"));
        Assert.True(_file.IsPresent);
        Assert.Equal((200, "app is up\n"), Brief("/up"));
    }

    [Fact]
    public void Head_acts_like_get()
    {
        Assert.Equal(200, Get("/down", "HEAD").Status);
        Assert.False(_file.IsPresent);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/healthz")]
    [InlineData("/UP")]
    [InlineData("/up/")]
    public void Unknown_paths_are_404_with_a_body(string path)
    {
        var (status, body, _) = Get(path);

        Assert.Equal(404, status);
        Assert.Contains("/health", body);
    }

    [Theory]
    [InlineData("POST", "/up")]
    [InlineData("PUT", "/down")]
    [InlineData("DELETE", "/health")]
    [InlineData("OPTIONS", "/health")]
    public void Other_methods_on_known_paths_are_405_with_allow_and_change_nothing(string method, string path)
    {
        var (status, _, response) = Get(path, method);

        Assert.Equal(405, status);
        Assert.True(response.AllowGetHead);
        Assert.True(_file.IsPresent);
    }

    [Fact]
    public void File_errors_are_500_with_the_reason()
    {
        _file.Failure = new UnauthorizedAccessException();

        var (status, body, _) = Get("/up");

        Assert.Equal(500, status);
        Assert.Equal("cannot create /pod/up.txt: permission denied\n", body);
        Assert.Contains("cannot create /pod/up.txt: permission denied", _log);
    }

    [Fact]
    public void Logs_transitions_once_including_changes_made_outside()
    {
        Get("/health");
        Get("/down");
        Get("/down");
        Get("/health");
        _file.IsPresent = true; // kubectl exec ... touch /pod/up.txt
        Get("/health");
        Get("/health");

        Assert.Equal(
            ["state down (was up) after GET /down", "state up (was down) after a change outside appup, seen by /health"],
            _log);
    }
}
