using k8s.Models;

namespace Charts.Tests;

/// <summary>
/// The NetworkPolicy admits exactly the webhook and metrics traffic to the injector pods: checked by evaluating its
/// rules (pod selector, ports, peers) against the rendered Deployment, not by comparing text.
/// </summary>
public sealed class NetworkPolicyTests
{
    [Fact]
    public void Off_by_default()
    {
        Assert.Empty(HelmChart.Render().All<V1NetworkPolicy>());
    }

    [Fact]
    public void Selects_the_injector_pods_and_restricts_ingress_only()
    {
        var r = HelmChart.Render("networkPolicy.enabled=true");
        var policy = r.One<V1NetworkPolicy>();
        var podLabels = r.One<V1Deployment>().Spec.Template.Metadata.Labels;

        Assert.All(policy.Spec.PodSelector.MatchLabels, kv => Assert.Equal(kv.Value, podLabels[kv.Key]));
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes); // egress (the API server, for the RoleBinding loop) stays open
    }

    [Fact]
    public void The_webhook_port_is_open_to_any_source_by_default_and_the_metrics_port_to_pods_of_every_namespace()
    {
        var r = HelmChart.Render("networkPolicy.enabled=true");
        var policy = r.One<V1NetworkPolicy>();
        var container = r.One<V1Deployment>().Spec.Template.Spec.Containers[0];

        var webhook = RuleFor(policy, Port(container, "https-webhook"));
        Assert.Null(webhook.FromProperty); // no from: every source, wherever this distribution's API server calls from
        var metrics = RuleFor(policy, Port(container, "http-health"));
        var peer = Assert.Single(metrics.FromProperty);
        Assert.Empty(peer.NamespaceSelector.MatchLabels ?? new Dictionary<string, string>());
        Assert.Empty(peer.PodSelector.MatchLabels ?? new Dictionary<string, string>());
        Assert.Null(peer.IpBlock); // pods only, not any address outside the cluster
        Assert.Equal(2, policy.Spec.Ingress.Count); // nothing else is admitted
    }

    [Fact]
    public void The_webhook_sources_and_the_metrics_selectors_are_configurable()
    {
        var r = HelmChart.Render("networkPolicy.enabled=true", "networkPolicy.webhook.from[0].ipBlock.cidr=10.0.0.0/24",
            "networkPolicy.metrics.namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=monitoring",
            "networkPolicy.metrics.podSelector.matchLabels.app\\.kubernetes\\.io/name=prometheus", "ports.webhook=9443", "ports.health=9090");
        var policy = r.One<V1NetworkPolicy>();

        Assert.Equal("10.0.0.0/24", Assert.Single(RuleFor(policy, 9443).FromProperty).IpBlock.Cidr);
        var peer = Assert.Single(RuleFor(policy, 9090).FromProperty);
        Assert.Equal("monitoring", peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal("prometheus", peer.PodSelector.MatchLabels["app.kubernetes.io/name"]);
    }

    [Fact]
    public void The_schema_rejects_unknown_keys()
    {
        var result = HelmChart.Template("networkPolicy.metrics.namespaces=x");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("additional properties 'namespaces' not allowed", result.StdErr, StringComparison.Ordinal);
    }

    private static V1NetworkPolicyIngressRule RuleFor(V1NetworkPolicy policy, int port) =>
        Assert.Single(policy.Spec.Ingress, rule => rule.Ports.Any(p => p.Port.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture) && p.Protocol == "TCP"));

    private static int Port(V1Container container, string name) => Assert.Single(container.Ports, p => p.Name == name).ContainerPort;
}
