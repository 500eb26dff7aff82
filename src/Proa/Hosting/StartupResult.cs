namespace Proa.Hosting;

/// <summary>How the wait for the sidecars ended: ready (<see cref="ExitCode"/> null) or with proa's exit code.</summary>
internal sealed record StartupResult(int? ExitCode, string Message)
{
    public bool Ready => ExitCode is null;
}
