namespace Injector.Core.Tests.ApiServer;

/// <summary>One webhook call during an admission: which round, whether the object changed, what came back.</summary>
public sealed record WebhookCall(int Round, string Webhook, bool Changed, WebhookResponse Response);
