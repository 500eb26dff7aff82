using Injector.Cli;
using Injector.Tls;

namespace Injector.Tests.Tls;

/// <summary>
/// The serve command skips the system CA store unless something could need it; the published binary's TLS tests
/// (serve, a review over HTTPS, rotation) run with it skipped.
/// </summary>
public sealed class SystemTrustStoreTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Serving_alone_needs_no_system_store()
    {
        Assert.False(SystemTrustStore.IsNeeded(new ServeOptions(), Environment()));
        Assert.False(SystemTrustStore.IsNeeded(new ServeOptions { Kubeconfig = "/home/me/.kube/config" }, Environment()));
    }

    [Fact]
    public void The_role_binding_loop_in_a_cluster_trusts_the_cluster_CA_alone()
    {
        var options = new ServeOptions { SidecarClusterRoles = "shawarma=shawarma-reader" };
        Assert.False(SystemTrustStore.IsNeeded(options, Environment(("KUBERNETES_SERVICE_HOST", "10.96.0.1"))));
    }

    [Fact]
    public void The_role_binding_loop_outside_a_cluster_keeps_the_store_for_its_kubeconfig()
    {
        var options = new ServeOptions { SidecarClusterRoles = "shawarma=shawarma-reader" };
        Assert.True(SystemTrustStore.IsNeeded(options, Environment()));
        Assert.True(SystemTrustStore.IsNeeded(options with { Kubeconfig = "/k" }, Environment(("KUBERNETES_SERVICE_HOST", "10.96.0.1"))));
    }

    [Theory]
    [InlineData(SystemTrustStore.FileVariable)]
    [InlineData(SystemTrustStore.DirectoryVariable)]
    public void An_operators_own_store_is_kept(string variable)
    {
        Assert.True(SystemTrustStore.IsNeeded(new ServeOptions(), Environment((variable, "/etc/pki/tls/certs"))));
    }
}
