namespace Proa.Child;

internal sealed class ChildStartException(string message, Exception inner) : Exception(message, inner);
