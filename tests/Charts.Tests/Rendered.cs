using k8s;
using k8s.Models;

namespace Charts.Tests;

/// <summary>Objects of a rendered chart (or manifest file), parsed with KubernetesClient's YAML loader.</summary>
public sealed class Rendered
{
    private static readonly Dictionary<string, Type> CertManagerTypes = new()
    {
        ["cert-manager.io/v1/Certificate"] = typeof(Certificate),
        ["cert-manager.io/v1/Issuer"] = typeof(Issuer),
        ["cert-manager.io/v1/ClusterIssuer"] = typeof(Issuer),
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
    };

    private Rendered(string yaml, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects)
    {
        Yaml = yaml;
        Objects = objects;
    }

    public string Yaml { get; }

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects { get; }

    public static Rendered Parse(string yaml)
    {
        // Strict first: the API server (and kubectl) refuse a mapping with a duplicate key, KubernetesYaml does not.
        new YamlDotNet.RepresentationModel.YamlStream().Load(new StringReader(yaml));
        var objects = KubernetesYaml.LoadAllFromString(yaml, CertManagerTypes)
            .Select(o => o as IKubernetesObject<V1ObjectMeta>
                ?? throw new InvalidOperationException($"not a Kubernetes object: {o?.GetType()}"))
            .ToList();
        return new Rendered(yaml, objects);
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T One<T>() where T : IKubernetesObject<V1ObjectMeta>
    {
        var all = All<T>().ToList();
        Assert.True(all.Count == 1, $"expected one {typeof(T).Name}, found {all.Count}");
        return all[0];
    }

    public T Named<T>(string name) where T : IKubernetesObject<V1ObjectMeta>
    {
        var match = All<T>().Where(o => o.Metadata.Name == name).ToList();
        Assert.True(match.Count == 1, $"expected one {typeof(T).Name} named {name}, found {match.Count}; have: " +
            string.Join(", ", Objects.Select(o => $"{o.Kind}/{o.Metadata.Name}")));
        return match[0];
    }

    public bool Has(string kind, string name) => Objects.Any(o => o.Kind == kind && o.Metadata.Name == name);

    public IEnumerable<string> Kinds => Objects.Select(o => o.Kind);
}

// Minimal cert-manager models: only the fields the chart renders.
public sealed class Certificate : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public CertificateSpec Spec { get; set; } = new();
}

public sealed class CertificateSpec
{
    public bool? IsCA { get; set; }
    public string? CommonName { get; set; }
    public string? SecretName { get; set; }
    public SecretTemplate? SecretTemplate { get; set; }
    public List<string>? DnsNames { get; set; }
    public string? Duration { get; set; }
    public string? RenewBefore { get; set; }
    public List<string>? Usages { get; set; }
    public PrivateKey? PrivateKey { get; set; }
    public IssuerRef IssuerRef { get; set; } = new();
}

public sealed class SecretTemplate
{
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}

public sealed class PrivateKey
{
    public string? Algorithm { get; set; }
    public int? Size { get; set; }
    public string? RotationPolicy { get; set; }
}

public sealed class IssuerRef
{
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string? Name { get; set; }
}

public sealed class Issuer : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public IssuerSpec Spec { get; set; } = new();
}

public sealed class IssuerSpec
{
    public Dictionary<string, object>? SelfSigned { get; set; }
    public CaIssuer? Ca { get; set; }
}

public sealed class CaIssuer
{
    public string? SecretName { get; set; }
}

// Minimal Prometheus Operator model: only the fields the chart renders.
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed class ServiceMonitorSpec
{
    public NamespaceSelector? NamespaceSelector { get; set; }
    public V1LabelSelector Selector { get; set; } = new();
    public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

public sealed class NamespaceSelector
{
    public List<string>? MatchNames { get; set; }
}

public sealed class ServiceMonitorEndpoint
{
    public string? Port { get; set; }
    public string? Path { get; set; }
    public string? Scheme { get; set; }
    public string? Interval { get; set; }
    public string? ScrapeTimeout { get; set; }
}
