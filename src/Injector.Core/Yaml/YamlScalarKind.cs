namespace Injector.Core.Yaml;

/// <summary>What a scalar resolves to in go-yaml v2, before sigs.k8s.io/yaml turns it into JSON.</summary>
internal enum YamlScalarKind
{
    Null,
    Bool,

    /// <summary>A Go <c>int</c>: <see cref="YamlScalar.Int"/>.</summary>
    Int,

    /// <summary>A Go <c>uint64</c> above int64's range: <see cref="YamlScalar.UInt"/>.</summary>
    UInt,
    Float,
    String,
}
