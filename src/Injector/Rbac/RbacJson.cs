using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Injector.Rbac;

/// <summary>Source-generated serialization of the objects the RoleBinding loop writes (no reflection).</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class RbacJson : JsonSerializerContext;
