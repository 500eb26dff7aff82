using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;
using Json.Schema;
using Injector.Core.Yaml;
using TestKit;

namespace Canary.Tests.Support;

/// <summary>
/// What the API server does with a CanaryApp before storing it, from the CRD alone: strict field validation
/// (unknown fields are errors, as with kubectl's default <c>--validate=strict</c>), structural defaulting (missing
/// fields with a default get it, recursively, also inside defaulted objects), OpenAPI validation (JsonSchema.Net on
/// the schema with the Kubernetes extensions taken out), <c>x-kubernetes-list-type: set</c> uniqueness, and every
/// <c>x-kubernetes-validations</c> CEL rule (Cel.NET, with the Kubernetes list function <c>isSorted</c>).
/// </summary>
internal sealed class CrdAdmission
{
    private readonly JsonObject _schema;
    private readonly JsonSchema _jsonSchema;
    private readonly CelEnvironment _cel = new(null, "");

    public CrdAdmission(string crdYaml)
    {
        var crd = YamlJson.ParseAll(crdYaml).Single()!.AsObject();
        Crd = crd;
        _schema = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
        _jsonSchema = JsonSchema.FromText(WithoutExtensions(_schema)!.ToJsonString());
        _cel.RegisterFunction("isSorted", [typeof(object[])], args => IsSorted((object[])args[0]!));
    }

    public JsonObject Crd { get; }

    public JsonObject Schema => _schema;

    public static CrdAdmission FromChart() => new(File.ReadAllText(RepositoryPaths.Of("charts", "injector", "crds", "canaryapps.yaml")));

    /// <summary>Returns the object as it would be stored (defaulted), and the errors the API server would answer with.</summary>
    public (JsonObject Stored, IReadOnlyList<string> Errors) Admit(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        var errors = new List<string>();
        Unknown(copy, _schema, "", errors);
        Default(copy, _schema);
        using var doc = JsonDocument.Parse(copy.ToJsonString());
        var result = _jsonSchema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            foreach (var d in result.Details ?? [])
            {
                foreach (var e in d.Errors ?? new Dictionary<string, string>())
                {
                    errors.Add($"{d.InstanceLocation}: {e.Key}: {e.Value}");
                }
            }

            if (errors.Count == 0)
            {
                errors.Add("schema: invalid");
            }
        }

        Extensions(copy, _schema, "", errors);
        return (copy, errors);
    }

    private static void Unknown(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true && schema["properties"] is null)
        {
            return;
        }

        if (value is JsonObject o && schema["properties"] is JsonObject props)
        {
            foreach (var (k, v) in o)
            {
                if (props[k] is JsonObject sub)
                {
                    Unknown(v, sub, $"{path}.{k}", errors);
                }
                else if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() != true && !(path == "" && k is "metadata"))
                {
                    errors.Add($"unknown field \"{path.TrimStart('.')}{(path == "" ? "" : ".")}{k}\"");
                }
            }
        }
        else if (value is JsonArray a && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < a.Count; i++)
            {
                Unknown(a[i], items, $"{path}[{i}]", errors);
            }
        }
    }

    private static void Default(JsonNode? value, JsonObject schema)
    {
        if (value is JsonObject o && schema["properties"] is JsonObject props)
        {
            foreach (var (k, sub) in props)
            {
                if (!o.ContainsKey(k) && sub?["default"] is { } def)
                {
                    o[k] = def.DeepClone();
                }

                if (o[k] is { } child && sub is JsonObject subSchema)
                {
                    Default(child, subSchema);
                }
            }
        }
        else if (value is JsonArray a && schema["items"] is JsonObject items)
        {
            foreach (var item in a)
            {
                Default(item, items);
            }
        }
    }

    private void Extensions(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        if (value is null)
        {
            return;
        }

        if (value is JsonObject o && schema["properties"] is JsonObject props)
        {
            foreach (var (k, sub) in props)
            {
                if (o[k] is { } child && sub is JsonObject s)
                {
                    Extensions(child, s, $"{path}.{k}", errors);
                }
            }
        }
        else if (value is JsonArray a && schema["items"] is JsonObject items)
        {
            if (schema["x-kubernetes-list-type"]?.GetValue<string>() == "set" && a.Select(x => x?.ToJsonString()).Distinct().Count() != a.Count)
            {
                errors.Add($"{path}: Duplicate value");
            }

            for (var i = 0; i < a.Count; i++)
            {
                Extensions(a[i], items, $"{path}[{i}]", errors);
            }
        }

        foreach (var rule in schema["x-kubernetes-validations"]?.AsArray() ?? [])
        {
            var expression = rule!["rule"]!.GetValue<string>();
            bool ok;
            try
            {
                ok = _cel.Program(expression, new Dictionary<string, object?> { ["self"] = ToCel(value, schema) }!) is true;
            }
            catch (CelException ex)
            {
                errors.Add($"{path}: rule \"{expression}\" could not be evaluated: {ex.Message}");
                continue;
            }

            if (!ok)
            {
                errors.Add($"{(path == "" ? "<root>" : path.TrimStart('.'))}: {rule["message"]?.GetValue<string>() ?? expression}");
            }
        }
    }

    /// <summary>A JSON value as CEL sees it, typed by its schema (integers are int, numbers double, even 0).</summary>
    private static object? ToCel(JsonNode? value, JsonObject? schema) => value switch
    {
        null => null,
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => ToCel(kv.Value, schema?["properties"]?[kv.Key] as JsonObject)),
        JsonArray a => a.Select(x => ToCel(x, schema?["items"] as JsonObject)).ToArray(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
            JsonValueKind.Number when schema?["type"]?.GetValue<string>() == "number" => v.TryGetValue<long>(out var whole) ? whole : v.GetValue<double>(),
            JsonValueKind.Number => v.TryGetValue<long>(out var n) ? n : v.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };

    private static bool IsSorted(object[] list)
    {
        for (var i = 1; i < list.Length; i++)
        {
            if (Comparer<object>.Default.Compare(list[i - 1], list[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The schema without the Kubernetes extensions (which JSON Schema does not know; checked separately).</summary>
    private static JsonNode? WithoutExtensions(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(kv => !kv.Key.StartsWith("x-kubernetes-", StringComparison.Ordinal))
            .Select(kv => KeyValuePair.Create(kv.Key, kv.Key == "default" ? kv.Value?.DeepClone() : WithoutExtensions(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(WithoutExtensions).ToArray()),
        _ => node?.DeepClone(),
    };
}
