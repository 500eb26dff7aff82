using System.Text.RegularExpressions;

namespace Charts.Tests;

/// <summary>The chart deploys the injector version it was released with (the image tag defaults to appVersion).</summary>
public sealed partial class ChartVersionTests
{
    [Fact]
    public void Chart_appVersion_is_the_version_the_injector_reports()
    {
        var chart = File.ReadAllText(Path.Combine(Repo.Chart, "Chart.yaml"));
        var project = File.ReadAllText(Repo.PathOf("src", "Injector", "Injector.csproj"));

        var appVersion = AppVersion().Match(chart).Groups[1].Value;
        var version = ProjectVersion().Match(project).Groups[1].Value;

        Assert.NotEmpty(appVersion);
        Assert.Equal(appVersion, version);
    }

    [GeneratedRegex("""^appVersion:\s*"?([^"\s]+)"?\s*$""", RegexOptions.Multiline)]
    private static partial Regex AppVersion();

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex ProjectVersion();
}
