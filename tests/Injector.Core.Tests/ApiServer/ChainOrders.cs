namespace Injector.Core.Tests.ApiServer;

/// <summary>Webhook line-ups: ours alone, with an Istio-like webhook before or after, with a Vault-like one.</summary>
public static class ChainOrders
{
    public static IReadOnlyList<string> Names { get; } =
        ["ours", "istio,ours", "ours,istio", "ours,vault", "vault,ours", "istio,ours,vault", "vault,ours,istio-ifneeded"];

    public static IReadOnlyList<IMutatingWebhook> Webhooks(string order) =>
        order.Split(',').Select(name => name switch
        {
            "ours" => (IMutatingWebhook)new InjectorWebhook(),
            "istio" => new IstioLikeWebhook(),
            "istio-ifneeded" => new IstioLikeWebhook(ReinvocationPolicy.IfNeeded),
            "vault" => new VaultLikeWebhook(),
            _ => throw new ArgumentException(name),
        }).ToList();
}
