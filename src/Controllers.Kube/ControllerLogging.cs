using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Controllers.Kube;

/// <summary>One log setup for the controllers: JSON lines in the cluster, readable single lines on a terminal.</summary>
public static class ControllerLogging
{
    public static void Configure(ILoggingBuilder builder, LogFormat format, LogLevel level)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClearProviders();
        builder.SetMinimumLevel(level);
        builder.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        var json = format == LogFormat.Json || (format == LogFormat.Auto && Console.IsOutputRedirected);
        if (json)
        {
            builder.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                o.UseUtcTimestamp = true;
                o.IncludeScopes = false;
            });
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
                o.ColorBehavior = LoggerColorBehavior.Default;
            });
        }
    }
}
