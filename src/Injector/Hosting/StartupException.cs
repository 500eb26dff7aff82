namespace Injector.Hosting;

/// <summary>
/// serve cannot start (config, TLS files, kubeconfig, a port in use). The message is one sentence naming the file or
/// setting and what is wrong; the program prints it on one line and exits with <see cref="Cli.ExitCodes.StartupFailed"/>.
/// </summary>
internal sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
