using k8s.Models;

namespace Charts.Tests;

/// <summary>HA, security contexts, probes, config wiring of the injector Deployment.</summary>
public sealed class DeploymentTests
{
    private static V1Deployment Deployment(params string[] sets) => HelmChart.Render(sets).One<V1Deployment>();

    [Fact]
    public void Runs_two_replicas_with_a_pdb_and_anti_affinity()
    {
        var r = HelmChart.Render();
        var deploy = r.One<V1Deployment>();
        Assert.Equal(2, deploy.Spec.Replicas);
        Assert.Equal("0", deploy.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);

        var pdb = r.One<V1PodDisruptionBudget>();
        Assert.Equal("1", pdb.Spec.MinAvailable.Value);
        Assert.Equal(deploy.Spec.Selector.MatchLabels, pdb.Spec.Selector.MatchLabels);

        var anti = deploy.Spec.Template.Spec.Affinity.PodAntiAffinity;
        var term = Assert.Single(anti.PreferredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal("kubernetes.io/hostname", term.PodAffinityTerm.TopologyKey);
        Assert.Equal(deploy.Spec.Selector.MatchLabels, term.PodAffinityTerm.LabelSelector.MatchLabels);
        foreach (var (k, v) in deploy.Spec.Selector.MatchLabels)
        {
            Assert.Equal(v, deploy.Spec.Template.Metadata.Labels[k]);
        }
    }

    [Fact]
    public void Hard_anti_affinity_is_required_scheduling()
    {
        var anti = Deployment("podAntiAffinity=hard").Spec.Template.Spec.Affinity.PodAntiAffinity;
        Assert.Single(anti.RequiredDuringSchedulingIgnoredDuringExecution);
        Assert.Null(anti.PreferredDuringSchedulingIgnoredDuringExecution);
    }

    [Fact]
    public void Runs_non_root_read_only_with_no_capabilities()
    {
        var spec = Deployment().Spec.Template.Spec;
        Assert.True(spec.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, spec.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", spec.SecurityContext.SeccompProfile.Type);
        Assert.NotEqual(true, spec.HostNetwork);

        var c = Assert.Single(spec.Containers);
        Assert.True(c.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(c.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(c.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(true, c.SecurityContext.Privileged);
        Assert.Equal(["ALL"], c.SecurityContext.Capabilities.Drop);
        Assert.Null(c.SecurityContext.Capabilities.Add);
        // Writable scratch space only through an emptyDir.
        Assert.Contains(c.VolumeMounts, m => m.MountPath == "/tmp");
    }

    [Fact]
    public void Probes_use_the_plain_http_health_port()
    {
        var c = Deployment().Spec.Template.Spec.Containers[0];
        var health = Assert.Single(c.Ports, p => p.Name == "http-health");
        Assert.Equal(8080, health.ContainerPort);
        Assert.Equal(8443, Assert.Single(c.Ports, p => p.Name == "https-webhook").ContainerPort);

        Assert.Equal("/healthz", c.LivenessProbe.HttpGet.Path);
        Assert.Equal("http-health", c.LivenessProbe.HttpGet.Port.Value);
        Assert.Equal("HTTP", c.LivenessProbe.HttpGet.Scheme);
        Assert.Equal("/readyz", c.ReadinessProbe.HttpGet.Path);
        Assert.Equal("http-health", c.ReadinessProbe.HttpGet.Port.Value);
    }

    [Fact]
    public void Passes_ports_tls_files_and_config_to_injector_serve()
    {
        var spec = Deployment().Spec.Template.Spec;
        var c = spec.Containers[0];
        Assert.Equal("ghcr.io/sidecars-dev/injector:0.1.0", c.Image);
        Assert.Equal("serve", c.Args[0]);
        var env = c.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("8443", env["INJECTOR_PORT"]);
        Assert.Equal("8080", env["INJECTOR_HEALTH_PORT"]);
        Assert.Equal("/etc/injector/config.yaml", env["INJECTOR_CONFIG"]);

        // TLS and config come from whole-directory mounts (subPath mounts never see updates, breaking hot reload).
        Assert.All(c.VolumeMounts, m => Assert.Null(m.SubPath));
        var tlsMount = Assert.Single(c.VolumeMounts, m => m.Name == "tls");
        Assert.Equal(tlsMount.MountPath + "/tls.crt", env["INJECTOR_TLS_CERT_FILE"]);
        Assert.Equal(tlsMount.MountPath + "/tls.key", env["INJECTOR_TLS_KEY_FILE"]);
        Assert.Equal("/etc/injector", Assert.Single(c.VolumeMounts, m => m.Name == "config").MountPath);
        Assert.Equal("injector-config", Assert.Single(spec.Volumes, v => v.Name == "config").ConfigMap.Name);
    }

    [Fact]
    public void Config_checksum_rolls_pods_only_when_the_config_changes()
    {
        static string Checksum(params string[] sets) =>
            Deployment(sets).Spec.Template.Metadata.Annotations["checksum/config"];

        Assert.Matches("^[0-9a-f]{64}$", Checksum());
        Assert.Equal(Checksum(), Checksum("replicaCount=3"));
        Assert.NotEqual(Checksum(), Checksum("config.defaultMode=classic"));
    }

    [Fact]
    public void Image_digest_wins_over_tag()
    {
        var digest = "sha256:" + new string('a', 64);
        Assert.Equal($"ghcr.io/sidecars-dev/injector@{digest}", Deployment($"image.digest={digest}").Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public void Helm_test_hook_checks_health_and_tls()
    {
        var r = HelmChart.Render();
        var pod = r.Named<V1Pod>("injector-test");
        Assert.Equal("test", pod.Metadata.Annotations["helm.sh/hook"]);
        var script = string.Join('\n', pod.Spec.Containers[0].Args);
        Assert.Contains("/healthz", script);
        Assert.Contains("--cacert /tls/ca.crt", script);
        Assert.Contains("https://injector.sidecars-system.svc:443/mutate", script);
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.Equal(["ALL"], pod.Spec.Containers[0].SecurityContext.Capabilities.Drop);
    }
}
