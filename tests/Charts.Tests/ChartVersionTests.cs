using System.Text.RegularExpressions;

namespace Charts.Tests;

/// <summary>
/// The chart deploys the version it was released with (the image tags default to appVersion), and every program reports
/// that version: one &lt;Version&gt; in Directory.Build.props, none in a project.
/// </summary>
public sealed partial class ChartVersionTests
{
    [Fact]
    public void Chart_appVersion_is_the_version_every_program_reports()
    {
        var chart = File.ReadAllText(Path.Combine(Repo.Chart, "Chart.yaml"));
        var props = File.ReadAllText(Repo.PathOf("Directory.Build.props"));

        var appVersion = AppVersion().Match(chart).Groups[1].Value;
        var version = ProjectVersion().Match(props).Groups[1].Value;

        Assert.NotEmpty(appVersion);
        Assert.Equal(appVersion, version);
        foreach (var project in Directory.EnumerateFiles(Repo.PathOf("src"), "*.csproj", SearchOption.AllDirectories))
        {
            Assert.False(ProjectVersion().IsMatch(File.ReadAllText(project)), $"{Path.GetFileName(project)} sets its own <Version>");
        }
    }

    [GeneratedRegex("""^appVersion:\s*"?([^"\s]+)"?\s*$""", RegexOptions.Multiline)]
    private static partial Regex AppVersion();

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex ProjectVersion();
}
