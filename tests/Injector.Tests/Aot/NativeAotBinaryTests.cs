using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Tests.Support;
using Injector.Rbac;
using Injector.Tests.Configuration;
using Injector.Tests.Support;
using TestKit.Kube;
using TestKit.Kube.Server;

namespace Injector.Tests.Aot;

/// <summary>
/// The published Native AOT binary, as a real process: what the JIT-hosted tests prove in-process must also hold once
/// the trimmer and ILC have had their say (a type kept only through reflection, a serializer that lost its metadata,
/// a TLS or file-watching path that behaves differently). Serving (every golden review over HTTPS, HTTP/2, hostile
/// bodies, health and metrics, SIGTERM), certificate rotation through a Secret volume's symlink swap, config
/// reload, the offline YAML verb, and the RoleBinding loop against the stand-in API server.
/// </summary>
public sealed partial class NativeAotBinaryTests : IClassFixture<PublishedInjector>, IDisposable
{
    private readonly PublishedInjector _published;
    private readonly TempDirectory _dir = new("injector-aot-");

    public NativeAotBinaryTests(PublishedInjector published)
    {
        _published = published;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Serves_every_golden_review_over_https_and_http2_answers_hostile_bodies_and_stops_on_SIGTERM()
    {
        using var injector = _published.Start(["serve", "--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--log-format", "text",
            "--self-signed-dir", _dir.File("tls")]);
        var (mutate, health) = await ListeningAsync(injector);
        using var client = TrustOnlyCaHandler.Create(_dir.File("tls/ca.crt"));

        foreach (var name in GoldenScenario.Names())
        {
            var scenario = GoldenScenario.Load(name);
            var response = await PostAsync(client, mutate, scenario.Review.ToJsonString(), HttpVersion.Version11);
            Assert.Equal(scenario.Uid, response["uid"]!.GetValue<string>());
            JsonObject? patched = null;
            if (response["patch"] is { } patch)
            {
                patched = Rfc6902.Apply(scenario.RequestObject, Encoding.UTF8.GetString(Convert.FromBase64String(patch.GetValue<string>())));
                var again = await PostAsync(client, mutate, scenario.ReviewWith(patched).ToJsonString(), HttpVersion.Version20);
                Assert.Null(again["patch"]);
            }

            scenario.Verify(response, patched);
        }

        // Whatever the bytes, the binary answers exactly as the engine does in-process: a 400 with a JSON error, or a
        // review with the uid.
        var handler = new AdmissionReviewHandler(new InjectionEngine());
        string[] hostile =
        [
            "{", "[]", "null", "{\"kind\":\"AdmissionReview\"}", "{\"a\":1,\"a\":2}", "\"\\ud800\"",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u1\",\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\",\"object\":{\"spec\":7}}}",
            new string('[', 5000),
        ];
        foreach (var body in hostile)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var answer = await client.PostAsync(mutate, content);
            var expected = handler.Handle(Encoding.UTF8.GetBytes(body), InjectorConfig.Default);
            Assert.Equal(expected.StatusCode, (int)answer.StatusCode);
            Assert.Equal(Encoding.UTF8.GetString(expected.Body), await answer.Content.ReadAsStringAsync());
        }

        using var plain = new HttpClient();
        Assert.Equal("ready\n", await plain.GetStringAsync(new Uri(health, "readyz")));
        var metrics = await plain.GetStringAsync(new Uri(health, "metrics"));
        Assert.True(PrometheusText.Sum(metrics, "injector_admission_requests_total", "result=\"injected\"") >= 1, metrics);
        Assert.True(PrometheusText.Sum(metrics, "injector_admission_requests_total", "result=\"bad_request\"") >= 1, metrics);
        Assert.Contains("injector_admission_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total", metrics, StringComparison.Ordinal); // runtime metrics
        Assert.Contains("process_memory_usage_bytes", metrics, StringComparison.Ordinal); // process metrics

        injector.Signal(System.Runtime.InteropServices.PosixSignal.SIGTERM);
        Assert.Equal(0, await injector.WaitForExitAsync());
        Assert.DoesNotContain("Unhandled exception", injector.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rotated_certificate_in_a_secret_volume_is_served_on_new_connections()
    {
        using var ca = TestCertificateAuthority.Create();
        using var first = ca.IssueLocalhost();
        using var second = ca.IssueLocalhost();
        var volume = _dir.File("secret");
        Directory.CreateDirectory(volume);
        WriteGeneration(volume, "..2026_01_01_00_00_00.000000001", first);
        SwapData(volume, "..2026_01_01_00_00_00.000000001");
        File.CreateSymbolicLink(Path.Combine(volume, "tls.crt"), Path.Combine("..data", "tls.crt"));
        File.CreateSymbolicLink(Path.Combine(volume, "tls.key"), Path.Combine("..data", "tls.key"));

        using var injector = _published.Start(["serve", "--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--log-format", "text",
            "--tls-cert-file", Path.Combine(volume, "tls.crt"), "--tls-key-file", Path.Combine(volume, "tls.key")]);
        var (mutate, _) = await ListeningAsync(injector);
        Assert.Equal(first.Certificate.Thumbprint, await PresentedThumbprintAsync(ca.Certificate, mutate));

        WriteGeneration(volume, "..2026_01_01_01_00_00.000000002", second);
        SwapData(volume, "..2026_01_01_01_00_00.000000002");

        await Eventually.TrueAsync(async () => await PresentedThumbprintAsync(ca.Certificate, mutate) == second.Certificate.Thumbprint,
            "the rotated certificate to be served", diagnostics: () => injector.Output);
    }

    [Fact]
    public async Task An_edited_config_applies_to_the_next_review_and_a_broken_edit_keeps_the_last_good_one()
    {
        var config = _dir.File("config.yaml");
        await WriteAtomicallyAsync(config, "sidecars:\n  appup:\n    image: registry.example.com/appup:1.0.0\n");
        using var injector = _published.Start(["serve", "--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--log-format", "text",
            "--self-signed-dir", _dir.File("tls"), "--config", config]);
        var (mutate, health) = await ListeningAsync(injector);
        using var client = TrustOnlyCaHandler.Create(_dir.File("tls/ca.crt"));
        Assert.Equal("registry.example.com/appup:1.0.0", await ConfigReloadSurvivalTests.InjectedImageAsync(client, mutate));

        await WriteAtomicallyAsync(config, "sidecars:\n  appup:\n    image: registry.example.com/appup:2.0.0\n");
        await Eventually.TrueAsync(async () => await ConfigReloadSurvivalTests.InjectedImageAsync(client, mutate) == "registry.example.com/appup:2.0.0",
            "the edited config to be used", diagnostics: () => injector.Output);

        await WriteAtomicallyAsync(config, "sidecars:\n  appup:\n    imag: typo\n");
        await injector.WaitForLineAsync(l => l.Contains("Could not load config", StringComparison.Ordinal), "the reload failure line");
        Assert.Equal("registry.example.com/appup:2.0.0", await ConfigReloadSurvivalTests.InjectedImageAsync(client, mutate));
        using var plain = new HttpClient();
        Assert.Equal(1, PrometheusText.Sum(await plain.GetStringAsync(new Uri(health, "metrics")), "injector_config_reloads_total", "result=\"error\"", "reason=\"invalid\""));
    }

    [Fact]
    public async Task After_a_burst_of_connections_the_idle_webhook_gives_their_native_memory_back()
    {
        using var injector = _published.Start(["serve", "--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--log-format", "text",
            "--self-signed-dir", _dir.File("tls")]);
        var (mutate, _) = await ListeningAsync(injector);
        var idle = ResidentKiB(injector.Id);
        var review = GoldenScenario.Load("appup-plain-pod").Review.ToJsonString();

        // 64 clients, a new connection (so a TLS handshake) per review: OpenSSL's per-connection state is malloc'd and
        // freed again, and glibc keeps the freed pages in its per-thread arenas unless told to give them back.
        // Measured: 1,024 such reviews left the idle process ~11 MiB above its start, ~3 MiB once glibc trims.
        using var client = TrustOnlyCaHandler.Create(_dir.File("tls/ca.crt"), pooled: false);
        await SixtyFourClientsSixteenTimesAsync(async () =>
        {
            using var content = new StringContent(review, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(mutate, content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });

        await ComesBackToIdleAsync(injector, idle);
    }

    [Fact]
    public async Task After_a_storm_of_failed_tls_handshakes_the_idle_webhook_gives_their_native_memory_back()
    {
        using var injector = _published.Start(["serve", "--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--log-format", "text",
            "--self-signed-dir", _dir.File("tls")]);
        var (mutate, _) = await ListeningAsync(injector);
        var idle = ResidentKiB(injector.Id);

        // 64 clients, 16 connections each, all refusing the self-signed certificate: no request ever reaches /mutate, yet
        // every handshake leaves OpenSSL state freed into glibc's arenas. Measured: ~49 MiB RSS afterwards until the
        // next review came, when only reviews counted as traffic for the idle trim.
        using var untrusting = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
        await SixtyFourClientsSixteenTimesAsync(async () =>
        {
            using var content = new StringContent("{}", Encoding.UTF8, "application/json");
            await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.PostAsync(mutate, content));
        });

        await ComesBackToIdleAsync(injector, idle);
    }

    /// <summary>64 concurrent clients, each sending 16 requests one after another.</summary>
    private static Task SixtyFourClientsSixteenTimesAsync(Func<Task> send) =>
        Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            for (var i = 0; i < 16; i++)
            {
                await send();
            }
        }));

    /// <summary>The idle webhook's RSS comes back within 6 MiB of what it was at start (the idle trim ran).</summary>
    private static Task ComesBackToIdleAsync(TestProcess injector, long idle) =>
        Eventually.TrueAsync(() => ResidentKiB(injector.Id) <= idle + (6 * 1024),
            $"the idle webhook's RSS to come back within 6 MiB of its {idle} KiB at start", timeout: TimeSpan.FromSeconds(10),
            diagnostics: () => $"RSS now {ResidentKiB(injector.Id)} KiB");

    [Fact]
    public async Task Started_in_a_deep_working_directory_it_watches_only_its_own_files()
    {
        // The image starts the webhook in "/": a host that watched its content root for appsettings.json would put an
        // inotify watch (and a path string) on every directory below it, and take seconds to get there.
        var cwd = _dir.File("cwd");
        for (var i = 0; i < 200; i++)
        {
            Directory.CreateDirectory(Path.Combine(cwd, $"d{i}", "sub"));
        }

        using var injector = _published.Start(["serve", "--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--log-format", "text",
            "--self-signed-dir", _dir.File("tls")], workingDirectory: cwd);
        await ListeningAsync(injector);

        var watches = Directory.EnumerateFiles($"/proc/{injector.Id}/fdinfo")
            .Sum(f => { try { return File.ReadLines(f).Count(l => l.StartsWith("inotify wd:", StringComparison.Ordinal)); } catch (IOException) { return 0; } });
        Assert.InRange(watches, 1, 20); // the directories of its TLS files, not the 400 of the working directory
    }

    /// <summary>VmRSS of a process, in KiB.</summary>
    private static long ResidentKiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))["VmRSS:".Length..^"kB".Length].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_inject_verb_prints_what_the_framework_dependent_program_prints()
    {
        const string Yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {tier: 0755, enabled: yes}
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                  annotations:
                    sidecars.dev/inject: appup,proa
                    proa.sidecars.dev/shutdown-http-post: "http://localhost:8080/quit"
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    command: [nginx, -g, daemon off;]
                    ports:
                    - containerPort: 80
            ---
            kind: Job
            metadata: {name: broken}
            spec: {template: {metadata: {annotations: {sidecars.dev/inject: nope}}, spec: {containers: [{name: a, image: b}]}}}
            """;
        using var aot = _published.Start(["inject", "-f", "-"], stdin: Yaml);
        using var jit = InjectorProgram.Start(["inject", "-f", "-"], stdin: Yaml);

        Assert.Equal(await jit.WaitForExitAsync(), await aot.WaitForExitAsync());
        Assert.Equal(1, aot.ExitCode); // the Job is denied and reported; the Deployment still prints
        Assert.Contains("sidecars-appup", aot.StdOut, StringComparison.Ordinal);
        Assert.Equal(jit.StdOut, aot.StdOut);
        Assert.Equal(jit.StdErr, aot.StdErr);
    }

    [Fact]
    public async Task The_RoleBinding_loop_binds_the_service_account_of_an_injected_pod()
    {
        await using var kube = await KubeApiServer.StartAsync();
        var kubeconfig = kube.WriteKubeconfig(_dir.File("kubeconfig"));
        using var injector = _published.Start(["serve", "--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--log-format", "text",
            "--self-signed-dir", _dir.File("tls"), "--sidecar-clusterroles", "shawarma=injector-shawarma", "--kubeconfig", kubeconfig]);
        await ListeningAsync(injector);

        kube.Store.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = "web-1",
                ["namespace"] = "shop",
                ["labels"] = new JsonObject { ["sidecars.dev/injected"] = "true" },
                ["annotations"] = new JsonObject
                {
                    ["sidecars.dev/status"] = """{"revision":"r1","sidecars":["shawarma"],"mode":"native","containers":[],"initContainers":["shawarma"],"volumes":[]}""",
                },
            },
            ["spec"] = new JsonObject
            {
                ["serviceAccountName"] = "web",
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app:1" }),
            },
        });

        var binding = await Eventually.ValueAsync(() => kube.Store.Get(ResourceTypes.RoleBinding, "shop", RoleBindingPlanner.BindingName("shawarma", "web")),
            "the RoleBinding for shop/web", diagnostics: () => injector.Output + "\nrequests:\n  " + string.Join("\n  ", kube.Requests.All));
        Assert.Equal("injector-shawarma", binding["roleRef"]!["name"]!.GetValue<string>());
        Assert.Equal("web", binding["subjects"]![0]!["name"]!.GetValue<string>());
    }

    /// <summary>The HTTPS mutate and plain-HTTP health URIs from the start-up line.</summary>
    private static async Task<(Uri Mutate, Uri Health)> ListeningAsync(TestProcess injector)
    {
        var line = await injector.WaitForLineAsync(l => l.Contains("Webhook listening on", StringComparison.Ordinal), "the listening line");
        var match = ListeningLine().Match(line);
        Assert.True(match.Success, line);
        return (new Uri($"https://localhost:{match.Groups[1].Value}/mutate"), new Uri($"http://127.0.0.1:{match.Groups[2].Value}/"));
    }

    private static async Task<JsonObject> PostAsync(HttpClient client, Uri mutate, string review, Version version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, mutate)
        {
            Content = new StringContent(review, Encoding.UTF8, "application/json"),
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version, response.Version);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!.AsObject();
    }

    /// <summary>Opens a new connection and returns the thumbprint the server presented (null: not one the CA signed).</summary>
    private static async Task<string?> PresentedThumbprintAsync(X509Certificate2 ca, Uri mutate)
    {
        string? seen = null;
        using var client = TrustOnlyCaHandler.Create(ca, cert => seen = cert.Thumbprint, pooled: false);
        try
        {
            using var content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(mutate, content);
            return seen;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static void WriteGeneration(string volume, string name, IssuedCertificate certificate)
    {
        var dir = Path.Combine(volume, name);
        Directory.CreateDirectory(dir);
        certificate.WriteFiles(Path.Combine(dir, "tls.crt"), Path.Combine(dir, "tls.key"));
    }

    /// <summary>The kubelet's atomic writer: a new <c>..data</c> symlink renamed over the old one.</summary>
    private static void SwapData(string volume, string generation)
    {
        var temp = Path.Combine(volume, "..data_tmp");
        File.CreateSymbolicLink(temp, generation);
        Assert.Equal(0, Rename(temp, Path.Combine(volume, "..data")));
    }

    private static async Task WriteAtomicallyAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);

    [GeneratedRegex(@"https://[^:]+:(\d+)/mutate, health on http://[^:]+:(\d+)")]
    private static partial Regex ListeningLine();
}
