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
    /// <summary>Steps taken (see <see cref="WorkMeter"/>); grows linearly with the size of the review.</summary>
    public long Work { get; init; }

    public static InjectionResult Skip(string reason, IReadOnlyList<string>? warnings = null) =>
        new(InjectionDecision.Skipped, reason, null, [], null, warnings ?? [], []);

    public static InjectionResult Deny(string reason, string message, IReadOnlyList<string>? warnings = null) =>
        new(InjectionDecision.Denied, reason, message, [], null, warnings ?? [], []);
}
