using Proa.Cli;
using Proa.Hosting;

namespace Proa;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--copy-to", var directory])
        {
            return OperatingSystem.IsWindows() ? ExitCodes.Usage : Install.SelfInstaller.Run(directory);
        }

        var parsed = OptionsParser.Parse(args);
        if (parsed.HelpRequested)
        {
            Console.Out.Write(Usage.Text + Environment.NewLine);
            return 0;
        }

        if (parsed.Options is null)
        {
            Log.Error(parsed.Error + " (see proa --help)");
            return ExitCodes.Usage;
        }

        return await new Supervisor(parsed.Options, new KubePodApiFactory(), Environment.GetEnvironmentVariable).RunAsync();
    }
}
