namespace Injector.Core.Tests.ApiServer;

/// <summary>The parts of an AdmissionResponse the API server acts on.</summary>
public sealed record WebhookResponse(string Uid, bool Allowed, string? PatchJson, string? Message, IReadOnlyList<string> Warnings);
