using Proa.Identity;

namespace Proa.Tests.Identity;

public sealed class PodIdentityResolverTests
{
    private static PodIdentity? Resolve(Dictionary<string, string> env, string? namespaceFile, out string? error) =>
        PodIdentityResolver.Resolve(k => env.GetValueOrDefault(k), () => "host-pod-name", _ => namespaceFile, out error);

    [Fact]
    public void Environment_first()
    {
        var id = Resolve(new() { ["POD_NAME"] = "web-1", ["POD_NAMESPACE"] = "shop" }, "other", out _)!;
        Assert.Equal(new PodIdentity("shop", "web-1", "POD_NAME", "POD_NAMESPACE"), id);
    }

    [Fact]
    public void Hostname_and_service_account_namespace_as_fallbacks()
    {
        var id = Resolve([], "shop\n", out _)!;
        Assert.Equal(new PodIdentity("shop", "host-pod-name", "hostname", PodIdentityResolver.ServiceAccountNamespaceFile), id);
    }

    [Fact]
    public void No_namespace_is_a_clear_error()
    {
        Assert.Null(Resolve([], null, out var error));
        Assert.Contains("set POD_NAMESPACE", error);
    }
}
