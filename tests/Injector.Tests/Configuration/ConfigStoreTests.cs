using System.Diagnostics.Metrics;
using Injector.Configuration;
using Injector.Core.Configuration;
using Injector.Hosting;
using Injector.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Injector.Tests.Configuration;

/// <summary>
/// Whatever the parser throws on a reload (its own exception, or one nobody foresaw), the store keeps the last good
/// config and reports the failure: this holds even after the parser itself learns to refuse every bad input.
/// </summary>
public sealed class ConfigStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("injector-store-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private string File => Path.Combine(_dir, "config.yaml");

    public static TheoryData<string> Failures => new("InjectorConfigException", "ArgumentException", "InsufficientExecutionStackException", "NullReferenceException");

    [Theory]
    [MemberData(nameof(Failures))]
    public void Any_parser_failure_on_reload_keeps_the_last_good_config(string failure)
    {
        System.IO.File.WriteAllText(File, "defaultMode: classic\n");
        var store = new ConfigStore(File, new ReloadSettings(TimeSpan.FromHours(1), TimeSpan.Zero, false), NullLogger.Instance,
            new InjectorMetrics(_services.GetRequiredService<IMeterFactory>()), parse: text => text.Contains("poison", StringComparison.Ordinal)
                ? throw failure switch
                {
                    "InjectorConfigException" => new InjectorConfigException("refused"),
                    "ArgumentException" => new ArgumentException("writer cannot write infinity"),
                    "InsufficientExecutionStackException" => new InsufficientExecutionStackException(),
                    _ => new NullReferenceException(),
                }
                : InjectorConfig.Parse(text));
        store.Start();
        var good = store.Current;

        System.IO.File.WriteAllText(File, "poison\n");

        Assert.False(store.TryReload(out var error));
        Assert.Contains(failure == "InjectorConfigException" ? "refused" : failure, error, StringComparison.Ordinal);
        Assert.Same(good, store.Current);
        Assert.Equal(SidecarMode.Classic, store.Current.DefaultMode);
        store.Dispose();
    }

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
