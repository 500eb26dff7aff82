using System.Text;
using System.Text.Json.Nodes;

namespace Injector.Core.Yaml;

/// <summary>
/// Converts between YAML and <see cref="JsonNode"/> exactly as kubectl does (sigs.k8s.io/yaml over go-yaml v2, so
/// YAML 1.1 typing: <c>0755</c> is 493, <c>yes</c> is true, merge keys merge), so manifests and the config go through
/// the same JSON engine as admission requests and mean what they mean to kubectl. Writing produces YAML that kubectl
/// reads back to the same JSON. Reading is bounded by <see cref="YamlLimits"/>.
/// </summary>
public static class YamlJson
{
    /// <summary>
    /// Every document of a stream, each read on its own: one that cannot be read carries its error and the others
    /// are still read. Empty and null documents are skipped. Throws <see cref="YamlJsonException"/> only when the
    /// whole input is larger than <see cref="YamlLimits.MaxStreamChars"/>.
    /// </summary>
    public static IEnumerable<YamlStreamDocument> ReadStream(string text, YamlLimits? limits = null) =>
        YamlStreamReader.Read(text, limits ?? YamlLimits.Manifests);

    /// <summary>Every document with content; the first one that cannot be read throws <see cref="YamlJsonException"/>.</summary>
    public static List<JsonNode?> ParseAll(string yaml, YamlLimits? limits = null)
    {
        var result = new List<JsonNode?>();
        foreach (var document in ReadStream(yaml, limits))
        {
            result.Add(document.Error is { } error ? throw error : document.Node);
        }

        return result;
    }

    /// <summary>The stream's only document, or null when it has none.</summary>
    public static JsonNode? ParseOne(string yaml, YamlLimits? limits = null)
    {
        var all = ParseAll(yaml, limits);
        return all.Count switch
        {
            0 => null,
            1 => all[0],
            _ => throw new YamlJsonException($"expected one YAML document, found {all.Count}"),
        };
    }

    /// <summary>Writes the nodes as a YAML stream, documents separated by <c>---</c>.</summary>
    public static string Serialize(IEnumerable<JsonNode?> documents)
    {
        var output = new StringBuilder();
        var first = true;
        foreach (var document in documents)
        {
            if (!first)
            {
                output.Append("---\n");
            }

            first = false;
            WriteDocument(output, document);
        }

        return output.ToString();
    }

    /// <summary>Appends one document (without a separator).</summary>
    public static void WriteDocument(StringBuilder output, JsonNode? document) => YamlJsonWriter.WriteDocument(output, document);
}
