using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Manifests;

namespace Injector.Cli;

/// <summary><c>injector inject -f FILE|-</c>: offline injection, YAML on stdout, warnings and errors on stderr.</summary>
internal static class InjectCommand
{
    public static int Run(InjectOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        string yaml;
        InjectorConfig config;
        try
        {
            yaml = options.File == "-" ? stdin.ReadToEnd() : File.ReadAllText(options.File);
            config = options.ConfigFile is null ? InjectorConfig.Default : InjectorConfig.Parse(File.ReadAllText(options.ConfigFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InjectorConfigException)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return 1;
        }

        ManifestResult result;
        try
        {
            result = new ManifestInjector(new InjectionEngine()).Inject(yaml, config);
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            stderr.WriteLine($"error: {options.File} is not valid YAML: {ex.Message}");
            return 1;
        }

        foreach (var message in result.Messages)
        {
            stderr.WriteLine(message);
        }

        if (result.AnyDenied)
        {
            return 1;
        }

        stdout.Write(result.Yaml);
        return 0;
    }
}
