namespace Injector.Cli;

/// <summary>The process exit codes, as documented in <c>injector --help</c> and the README.</summary>
internal static class ExitCodes
{
    /// <summary>serve stopped on SIGTERM/SIGINT; inject printed every document.</summary>
    public const int Ok = 0;

    /// <summary>inject: a document was denied, or the input or config could not be read.</summary>
    public const int Failed = 1;

    /// <summary>Bad command line or environment variable value (one line on stderr says which).</summary>
    public const int Usage = 2;

    /// <summary>serve could not start: config, TLS files, kubeconfig, or a port in use (one line on stderr).</summary>
    public const int StartupFailed = 3;
}
