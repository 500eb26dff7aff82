using System.Text.Json.Nodes;
using Canary.Api;
using Canary.Tests.Support;
using Injector.Core.Yaml;
using TestKit;
using TestKit.Processes;
using TestKit.Tools;
using k8s;
using k8s.Models;

namespace Canary.Tests.Chart;

/// <summary>The chart's canary part: off by default, least-privilege RBAC, the controller's arguments, the dashboard,
/// and manifests/canary current with the chart.</summary>
public sealed class CanaryChartTests
{
    /// <summary>The documents rendered from the canary templates (the others are the chart's own business).</summary>
    /// <summary>The render's YAML; a failed render fails the test with helm's output.</summary>
    private static string Rendered(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StdOut;
    }

    private static List<JsonObject> Objects(string yaml) =>
        yaml.Split("\n---\n").Where(d => d.Contains("# Source: injector/templates/canary-", StringComparison.Ordinal))
            .SelectMany(d => YamlJson.ParseAll(d)).OfType<JsonObject>().ToList();

    private static JsonObject Single(List<JsonObject> objects, string kind, string? nameSuffix = null) =>
        Assert.Single(objects, o => (string?)o["kind"] == kind && (nameSuffix is null || ((string)o["metadata"]!["name"]!).EndsWith(nameSuffix, StringComparison.Ordinal)));

    [Fact]
    public void Canary_controller_is_off_by_default()
    {
        var rendered = Rendered(Helm.Template());
        Assert.DoesNotContain("# Source: injector/templates/canary-", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("canary-controller", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Rbac_grants_what_the_controller_uses_and_nothing_else()
    {
        var objects = Objects(Rendered(Helm.Template("canary.enabled=true")));
        var role = Single(objects, "ClusterRole", "canary-controller");
        var rules = role["rules"]!.AsArray().Select(r => (
            Groups: string.Join(",", r!["apiGroups"]!.AsArray().Select(x => (string)x!)),
            Resources: string.Join(",", r["resources"]!.AsArray().Select(x => (string)x!)),
            Verbs: string.Join(",", r["verbs"]!.AsArray().Select(x => (string)x!)))).ToList();
        Assert.Equal(
        [
            ("canary.sidecars.dev", "canaryapps", "get,list,watch,patch"),
            ("canary.sidecars.dev", "canaryapps/status", "update,patch"),
            ("apps", "deployments", "get,list,watch,create,patch"),
            ("", "services", "get,create,patch"),
            ("networking.istio.io", "virtualservices,destinationrules", "get,create,patch"),
            ("gateway.networking.k8s.io", "httproutes", "get,create,patch"),
            ("events.k8s.io", "events", "create,patch"),
        ], rules);
        Assert.DoesNotContain(rules, r => r.Verbs.Contains("delete", StringComparison.Ordinal) || r.Resources.Contains('*', StringComparison.Ordinal));

        var withSecrets = Objects(Rendered(Helm.Template("canary.enabled=true", "canary.rbac.readSecrets=true")));
        Assert.Contains(Single(withSecrets, "ClusterRole", "canary-controller")["rules"]!.AsArray(), r => r!["resources"]![0]!.GetValue<string>() == "secrets" && r["verbs"]!.AsArray().Single()!.GetValue<string>() == "get");

        var lease = Single(objects, "Role", "leader-election");
        Assert.Contains(lease["rules"]!.AsArray(), r => r!["resourceNames"]?[0]?.GetValue<string>() == "injector-canary-controller");
    }

    [Fact]
    public void Watching_one_namespace_uses_a_role_there()
    {
        var objects = Objects(Rendered(Helm.Template("canary.enabled=true", "canary.watchNamespace=team-a")));
        Assert.DoesNotContain(objects, o => (string?)o["kind"] == "ClusterRole" && ((string)o["metadata"]!["name"]!).Contains("canary", StringComparison.Ordinal));
        Assert.Equal("team-a", (string?)Single(objects, "Role", "canary-controller")["metadata"]!["namespace"]);
        var args = KubernetesJson.Deserialize<V1Deployment>(Single(objects, "Deployment", "canary-controller").ToJsonString()).Spec.Template.Spec.Containers[0].Args;
        Assert.Contains("--namespace=team-a", args);
    }

    [Fact]
    public void Deployment_runs_the_controller_with_the_values_and_probes()
    {
        var objects = Objects(Rendered(Helm.Template("canary.enabled=true", "canary.replicaCount=2")));
        var deployment = KubernetesJson.Deserialize<V1Deployment>(Single(objects, "Deployment", "canary-controller").ToJsonString());
        var container = deployment.Spec.Template.Spec.Containers.Single();
        Assert.Equal("ghcr.io/sidecars-dev/canary-controller:0.1.0", container.Image);
        Assert.Contains("--leader-elect=true", container.Args);
        Assert.Contains("--leader-election-id=injector-canary-controller", container.Args);
        Assert.Contains("--log-format=json", container.Args);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Contains(container.Env, e => e.Name == "POD_NAMESPACE" && e.ValueFrom.FieldRef.FieldPath == "metadata.namespace");
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("canary-controller", deployment.Spec.Selector.MatchLabels["app.kubernetes.io/component"]);

        // Every argument the chart passes is one the program accepts.
        var parse = Canary.Hosting.CommandLine.Build((_, _) => Task.FromResult(0), _ => null).Parse([.. container.Args]);
        Assert.Empty(parse.Errors);
    }

    [Fact]
    public void Several_replicas_without_leader_election_is_refused()
    {
        var result = Helm.Template("canary.enabled=true", "canary.replicaCount=2", "canary.leaderElection.enabled=false");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("leader election", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_is_a_grafana_configmap_plotting_weight_value_and_verdicts()
    {
        var objects = Objects(Rendered(Helm.Template("canary.enabled=true", "canary.dashboard.enabled=true")));
        var cm = Single(objects, "ConfigMap", "dashboard");
        Assert.Equal("1", (string?)cm["metadata"]!["labels"]!["grafana_dashboard"]);
        var dashboard = JsonNode.Parse((string)cm["data"]!["sidecars-canary.json"]!)!;
        var exprs = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]?.AsArray() ?? []).Select(t => (string)t!["expr"]!).ToList();
        foreach (var metric in new[] { "canary_weight", "canary_analysis_value", "canary_analysis_checks_total", "canary_promotions_total", "canary_rollbacks_total", "canary_phase", "injector_admission_requests_total", "injector_injections_total" })
        {
            Assert.Contains(exprs, e => e.Contains(metric, StringComparison.Ordinal));
        }

        Assert.Contains(dashboard["panels"]!.AsArray(), p => (string?)p!["targets"]?[0]?["legendFormat"] == "{{namespace}}/{{name}}");
    }

    [Fact]
    public void The_example_is_a_valid_canaryapp()
    {
        // tests/Charts.Tests ManifestsTests checks that every rendered file under manifests/ is current.
        var example = YamlJson.ParseAll(File.ReadAllText(RepositoryPaths.Of("manifests", "canary", "example-status-code-app.yaml"))).OfType<JsonObject>()
            .Single(o => (string?)o["kind"] == CanaryApp.KindName);
        var (stored, errors) = CrdAdmission.FromChart().Admit(example);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Null(EffectiveSpec.From(KubernetesJson.Deserialize<CanaryApp>(stored.ToJsonString()).Spec).Error);
    }
}
