using System.Reflection;
using Sidecars.Contract;

namespace Charts.Tests;

/// <summary>
/// The annotation and label keys of the contract that every annotation table must list (the chart's README, the
/// annotation reference in docs/): every public string constant of <see cref="AnnotationKeys"/> that is a key, not a
/// prefix (ending in '/') or a fragment (starting with '.'), plus each sidecar's image override key.
/// </summary>
public static class ContractKeys
{
    public static IReadOnlyList<string> All { get; } = Enumerate();

    /// <summary><see cref="All"/> as xUnit theory data.</summary>
    public static TheoryData<string> Data() => new(All);

    private static List<string> Enumerate()
    {
        var keys = typeof(AnnotationKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(k => !k.StartsWith('.') && !k.EndsWith('/'))
            .Concat(SidecarNames.All.Select(AnnotationKeys.ImageOverride))
            .ToList();
        if (keys.Count <= 20)
        {
            throw new InvalidOperationException($"found only {keys.Count} keys in AnnotationKeys: has the contract moved?");
        }

        return keys;
    }
}
