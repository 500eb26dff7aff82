using k8s.Models;

namespace Charts.Tests;

/// <summary>Prometheus finds /metrics: by pod annotations by default, or through a ServiceMonitor that selects the Service.</summary>
public sealed class MonitoringTests
{
    [Fact]
    public void By_default_the_pods_carry_scrape_annotations_for_the_health_port_and_no_ServiceMonitor_is_rendered()
    {
        var r = HelmChart.Render();
        var pod = r.One<V1Deployment>().Spec.Template;
        var health = Assert.Single(pod.Spec.Containers[0].Ports, p => p.Name == "http-health");

        Assert.Equal("true", pod.Metadata.Annotations["prometheus.io/scrape"]);
        Assert.Equal(health.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), pod.Metadata.Annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", pod.Metadata.Annotations["prometheus.io/path"]);
        Assert.Empty(r.All<ServiceMonitor>());
    }

    [Fact]
    public void The_scrape_annotations_follow_the_health_port()
    {
        var pod = HelmChart.Render("ports.health=9090").One<V1Deployment>().Spec.Template;

        Assert.Equal("9090", pod.Metadata.Annotations["prometheus.io/port"]);
    }

    [Fact]
    public void A_ServiceMonitor_selects_the_Service_and_its_metrics_port_and_replaces_the_annotations()
    {
        var r = HelmChart.Render("metrics.serviceMonitor.enabled=true", "metrics.serviceMonitor.labels.release=kube-prometheus-stack", "metrics.serviceMonitor.scrapeTimeout=10s");
        var monitor = r.One<ServiceMonitor>();
        var service = r.One<V1Service>();

        Assert.Equal("monitoring.coreos.com/v1", monitor.ApiVersion);
        Assert.Equal("kube-prometheus-stack", monitor.Metadata.Labels["release"]);
        Assert.Equal([HelmChart.Namespace], monitor.Spec.NamespaceSelector!.MatchNames);
        Assert.All(monitor.Spec.Selector.MatchLabels, kv => Assert.Equal(kv.Value, service.Metadata.Labels[kv.Key])); // it selects this Service
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        var port = Assert.Single(service.Spec.Ports, p => p.Name == endpoint.Port);
        Assert.Equal("http-health", port.TargetPort.Value); // the container port serving /metrics
        Assert.Contains(r.One<V1Deployment>().Spec.Template.Spec.Containers[0].Ports, p => p.Name == "http-health");
        Assert.Equal("/metrics", endpoint.Path);
        Assert.Equal("http", endpoint.Scheme);
        Assert.Equal("30s", endpoint.Interval);
        Assert.Equal("10s", endpoint.ScrapeTimeout);
        Assert.DoesNotContain("prometheus.io/scrape", r.One<V1Deployment>().Spec.Template.Metadata.Annotations.Keys);
    }

    [Fact]
    public void A_ServiceMonitor_can_live_in_the_monitoring_namespace()
    {
        var monitor = HelmChart.Render("metrics.serviceMonitor.enabled=true", "metrics.serviceMonitor.namespace=monitoring").One<ServiceMonitor>();

        Assert.Equal("monitoring", monitor.Metadata.NamespaceProperty);
        Assert.Equal([HelmChart.Namespace], monitor.Spec.NamespaceSelector!.MatchNames);
    }

    [Fact]
    public void Metrics_off_renders_neither()
    {
        var r = HelmChart.Render("metrics.enabled=false", "metrics.serviceMonitor.enabled=true");

        Assert.Empty(r.All<ServiceMonitor>());
        Assert.DoesNotContain("prometheus.io/scrape", r.One<V1Deployment>().Spec.Template.Metadata.Annotations.Keys);
    }

    [Theory]
    [InlineData("metrics.serviceMonitor.interval=often", "metrics/serviceMonitor/interval")]
    [InlineData("metrics.serviceMonitor.bogus=1", "additional properties 'bogus' not allowed")]
    public void The_schema_checks_the_monitoring_values(string set, string message)
    {
        var result = HelmChart.Template(set);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
    }
}
