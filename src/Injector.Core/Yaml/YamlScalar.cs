namespace Injector.Core.Yaml;

/// <summary>A resolved scalar: its kind and value.</summary>
internal readonly record struct YamlScalar(YamlScalarKind Kind, bool Bool = false, long Int = 0, ulong UInt = 0, double Float = 0, string? String = null)
{
    public static YamlScalar Null => new(YamlScalarKind.Null);

    public static YamlScalar Of(string s) => new(YamlScalarKind.String, String: s);

    public static YamlScalar Of(bool b) => new(YamlScalarKind.Bool, Bool: b);

    public static YamlScalar Of(long l) => new(YamlScalarKind.Int, Int: l);

    public static YamlScalar Of(ulong u) => new(YamlScalarKind.UInt, UInt: u);

    public static YamlScalar Of(double d) => new(YamlScalarKind.Float, Float: d);
}
