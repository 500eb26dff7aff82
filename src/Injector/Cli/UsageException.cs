namespace Injector.Cli;

/// <summary>Bad command line; the message says what was wrong and what is valid. Exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
