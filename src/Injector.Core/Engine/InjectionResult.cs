using System.Text.Json.Nodes;
using Injector.Core.Patching;

namespace Injector.Core.Engine;

/// <summary>The engine's answer for one pod.</summary>
public sealed record InjectionResult(
    InjectionDecision Decision,
    string Reason,
    string? Message,
    IReadOnlyList<JsonPatchOperation> Patch,
    JsonObject? Pod,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Sidecars)
{
    public static InjectionResult Skip(string reason) => new(InjectionDecision.Skipped, reason, null, [], null, [], []);

    public static InjectionResult Deny(string reason, string message, IReadOnlyList<string>? warnings = null) =>
        new(InjectionDecision.Denied, reason, message, [], null, warnings ?? [], []);
}
