using Proa.Cli;
using Proa.Hosting;
using Sidecars.Contract;
using Sidecars.Kube;
using Sidecars.Runtime.Logging;

namespace Proa;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is [ProaContract.CopyToOption, var directory])
        {
            return OperatingSystem.IsWindows() ? ExitCodes.Usage : Install.SelfInstaller.Run(directory);
        }

        Log.Current = new SidecarLog(SidecarNames.Proa, LogLevel.Info, LogSettings.EarlyFormat(Environment.GetEnvironmentVariable));
        var parsed = OptionsParser.Parse(args, Environment.GetEnvironmentVariable, LogSettings.DefaultFormat);
        if (parsed.HelpRequested)
        {
            Console.Out.Write(Usage.Text + Environment.NewLine);
            return 0;
        }

        if (parsed.Options is not { } options)
        {
            Log.Error(parsed.Error + " (see proa --help)");
            return ExitCodes.Usage;
        }

        Log.Current = new SidecarLog(SidecarNames.Proa, options.Verbose ? LogLevel.Debug : LogLevel.Info, options.LogFormat);
        return await new Supervisor(options, kubeconfig => KubeApiClient.Create(kubeconfig), Environment.GetEnvironmentVariable).RunAsync();
    }
}
