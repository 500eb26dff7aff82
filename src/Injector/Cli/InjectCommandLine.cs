using System.CommandLine;

namespace Injector.Cli;

/// <summary>The options of <c>injector inject</c>, parsed into <see cref="InjectOptions"/>.</summary>
internal sealed class InjectCommandLine
{
    private readonly Option<string> _file;
    private readonly Option<string?> _config;

    public InjectCommandLine(Func<string, string?> env)
    {
        _file = new Option<string>("--filename", "-f")
        {
            Description = "Manifests to inject (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob; several YAML documents allowed); - reads standard input",
            HelpName = "FILE|-",
            Required = true,
        };
        _config = EnvironmentOption.Create<string?>("--config", ["INJECTOR_CONFIG"], () => null,
            text => string.IsNullOrWhiteSpace(text) ? throw new FormatException("needs a path") : text,
            "YAML config, as for serve", "FILE", env, "built-in");
    }

    public Command Command()
    {
        var command = new Command("inject", "Print the manifests with the sidecars added, through the same engine as the webhook (no cluster needed)");
        command.Options.Add(_file);
        command.Options.Add(_config);
        return command;
    }

    public InjectOptions Bind(ParseResult result) => new(result.GetValue(_file)!, result.GetValue(_config));
}
