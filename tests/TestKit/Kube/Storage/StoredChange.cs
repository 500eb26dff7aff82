using System.Text.Json.Nodes;

namespace TestKit.Kube.Storage;

/// <summary>
/// One committed change at <see cref="ResourceVersion"/>: <see cref="Before"/> is null for a create; for a delete
/// <see cref="Deleted"/> is true and <see cref="After"/> is the last state stamped with the deletion's resourceVersion.
/// Objects are in their storage type's form.
/// </summary>
public sealed record StoredChange(long ResourceVersion, ResourceType Type, string Key, JsonObject? Before, JsonObject After, bool Deleted)
{
    public string Namespace => After.Namespace() ?? "";

    public string Name => After.Name() ?? "";
}
