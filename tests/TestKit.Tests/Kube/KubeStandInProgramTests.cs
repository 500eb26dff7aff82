using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using TestKit.Processes;

namespace TestKit.Tests.Kube;

/// <summary>The stand-in as a program (what hack/bench/run starts): port file, seeded world, clean stop on SIGTERM.</summary>
public sealed class KubeStandInProgramTests
{
    [Fact]
    public async Task Serves_the_seeded_world_on_the_port_it_writes_and_stops_on_sigterm()
    {
        using var dir = new TempDirectory();
        var portFile = dir.File("port");
        using var program = TestProcess.Start(ProcessSpec.DotnetFromTestOutput("KubeStandIn.dll", portFile, "--namespace", "shop", "--service", "web", "--pod", "web-0"));
        var port = await Eventually.ValueAsync(() => File.Exists(portFile) ? File.ReadAllText(portFile) : null, "the port file");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var slices = JsonNode.Parse(await http.GetStringAsync("/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb"))!;
        var pod = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/shop/pods/web-0"))!;

        Assert.Equal("web-0", (string?)slices["items"]![0]!["endpoints"]![0]!["targetRef"]!["name"]);
        Assert.Equal(false, (bool?)pod["status"]!["containerStatuses"]![1]!["ready"]);
        program.Signal(PosixSignal.SIGTERM);
        Assert.Equal(0, await program.WaitForExitAsync());
    }

    [Fact]
    public async Task Without_a_port_file_it_exits_2_with_usage()
    {
        var result = await TestProcess.RunAsync(ProcessSpec.DotnetFromTestOutput("KubeStandIn.dll"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("PORTFILE is required", result.StdErr, StringComparison.Ordinal);
    }
}
