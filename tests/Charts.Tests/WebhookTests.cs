using k8s.Models;

namespace Charts.Tests;

/// <summary>The MutatingWebhookConfiguration as docs/overview.md describes it (step 2 of the flow: registration and filters).</summary>
public sealed class WebhookTests
{
    private const string Cel =
        "has(object.metadata.annotations) && ('sidecars.dev/inject' in object.metadata.annotations || " +
        "'shawarma.centeredge.io/service-name' in object.metadata.annotations || " +
        "'shawarma.centeredge.io/service-labels' in object.metadata.annotations || " +
        "'sidecars.dev/status' in object.metadata.annotations)";

    private static V1MutatingWebhook Hook(Rendered r) =>
        Assert.Single(r.One<V1MutatingWebhookConfiguration>().Webhooks);

    [Theory]
    [InlineData("certManager")]
    [InlineData("helm")]
    public void Webhook_settings(string mode)
    {
        var r = HelmChart.Render($"tls.mode={mode}");
        var hook = Hook(r);
        Assert.Equal("inject.sidecars.dev", hook.Name);
        Assert.Equal(["v1"], hook.AdmissionReviewVersions);
        Assert.Equal("None", hook.SideEffects);
        Assert.Equal("Fail", hook.FailurePolicy);
        Assert.Equal("IfNeeded", hook.ReinvocationPolicy);
        Assert.InRange(hook.TimeoutSeconds!.Value, 1, 10);

        var svc = hook.ClientConfig.Service;
        Assert.Equal("/mutate", svc.Path);
        Assert.Equal(HelmChart.Namespace, svc.NamespaceProperty);
        var service = r.Named<V1Service>(svc.Name);
        var port = Assert.Single(service.Spec.Ports, p => p.Port == svc.Port);
        Assert.Equal("https-webhook", port.TargetPort.Value);
        Assert.Null(hook.ClientConfig.Url);

        var rule = Assert.Single(hook.Rules);
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["v1"], rule.ApiVersions);
        Assert.Equal(["CREATE"], rule.Operations);
        Assert.Equal(["pods"], rule.Resources);

        var condition = Assert.Single(hook.MatchConditions);
        Assert.Equal(Cel, condition.Expression);
    }

    [Fact]
    public void Namespace_selector_excludes_system_release_and_opted_out_namespaces()
    {
        var hook = Hook(HelmChart.Render("webhook.excludeNamespaces={monitoring,kube-system}"));
        var exprs = hook.NamespaceSelector.MatchExpressions;
        var byName = Assert.Single(exprs, e => e.Key == "kubernetes.io/metadata.name");
        Assert.Equal("NotIn", byName.OperatorProperty);
        Assert.Equal(["kube-system", "kube-public", "kube-node-lease", HelmChart.Namespace, "monitoring"], byName.Values);
        var optOut = Assert.Single(exprs, e => e.Key == "sidecars.dev/injection");
        Assert.Equal("NotIn", optOut.OperatorProperty);
        Assert.Equal(["disabled"], optOut.Values);
        Assert.Null(hook.NamespaceSelector.MatchLabels);
    }

    [Fact]
    public void Failure_policy_and_timeout_come_from_values()
    {
        var hook = Hook(HelmChart.Render("webhook.failurePolicy=Ignore", "webhook.timeoutSeconds=3"));
        Assert.Equal("Ignore", hook.FailurePolicy);
        Assert.Equal(3, hook.TimeoutSeconds);
    }

    [Fact]
    public void Cert_manager_mode_injects_the_ca_from_the_serving_certificate()
    {
        var r = HelmChart.Render();
        var mwc = r.One<V1MutatingWebhookConfiguration>();
        var from = mwc.Metadata.Annotations["cert-manager.io/inject-ca-from"];
        Assert.Equal($"{HelmChart.Namespace}/injector-serving", from);
        Assert.Null(Hook(r).ClientConfig.CaBundle);
        r.Named<Certificate>("injector-serving");
    }

    [Fact]
    public void Helm_mode_sets_a_ca_bundle_and_no_cert_manager_annotation()
    {
        var r = HelmChart.Render("tls.mode=helm");
        var mwc = r.One<V1MutatingWebhookConfiguration>();
        Assert.False(mwc.Metadata.Annotations?.ContainsKey("cert-manager.io/inject-ca-from") ?? false);
        Assert.NotNull(Hook(r).ClientConfig.CaBundle);
        Assert.Empty(r.All<Certificate>());
        Assert.Empty(r.All<Issuer>());
    }
}
