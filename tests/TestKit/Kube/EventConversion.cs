using System.Text.Json.Nodes;

namespace TestKit.Kube;

/// <summary>
/// The conversion between core v1 Events (storage) and events.k8s.io/v1 Events (k8s.io/kubernetes/pkg/apis/events/v1
/// conversion): note/message, regarding/involvedObject, reportingController/reportingComponent,
/// deprecatedSource/source, deprecatedFirstTimestamp/firstTimestamp, deprecatedLastTimestamp/lastTimestamp,
/// deprecatedCount/count; the other fields keep their names.
/// </summary>
public static class EventConversion
{
    private static readonly (string V1, string Core)[] Renames =
    [
        ("note", "message"),
        ("regarding", "involvedObject"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    public static JsonObject FromCore(JsonObject core)
    {
        var result = core.Clone();
        foreach (var (v1, coreName) in Renames)
        {
            Move(result, coreName, v1);
        }

        result["apiVersion"] = "events.k8s.io/v1";
        result["kind"] = "Event";
        return result;
    }

    public static JsonObject ToCore(JsonObject v1)
    {
        var result = v1.Clone();
        foreach (var (v1Name, coreName) in Renames)
        {
            Move(result, v1Name, coreName);
        }

        result["apiVersion"] = "v1";
        result["kind"] = "Event";
        return result;
    }

    /// <summary>events.k8s.io/v1 create validation: eventTime, reportingController, reportingInstance, action, reason, type.</summary>
    public static IReadOnlyList<FieldError> ValidateCreate(JsonObject v1)
    {
        var errors = new List<FieldError>();
        foreach (var field in new[] { "eventTime", "reportingController", "reportingInstance", "action", "reason" })
        {
            if (v1[field] is null)
            {
                errors.Add(FieldError.Required(field));
            }
        }

        if ((string?)v1["type"] is not ("Normal" or "Warning"))
        {
            errors.Add(FieldError.Invalid("type", v1["type"]?.DeepClone(), "has invalid value, valid values are: [Normal Warning]"));
        }

        return errors;
    }

    private static void Move(JsonObject obj, string from, string to)
    {
        if (obj.Remove(from, out var value))
        {
            obj[to] = value;
        }
    }
}
