using Sidecars.Runtime.Errors;

namespace Proa.Child;

/// <summary>The command could not be started; the message is a sentence naming it.</summary>
internal sealed class ChildStartException(string message, Exception inner) : SidecarException(message, inner);
