using Canary.Api;
using Canary.Reconciling;
using Canary.Tests.Support;

namespace Canary.Tests.Reconciling;

/// <summary>
/// CanaryApps the API server may have let through (no CEL, an older CRD, a GitOps tool writing the status
/// subresource-less way): the controller checks what it would build from them and says what is wrong, touching
/// nothing, instead of failing on every write.
/// </summary>
public sealed class HostileSpecTests
{
    [Theory]
    [InlineData("a-name-of-fifty-six-characters-which-is-one-too-many-xyz")]
    [InlineData("web.v2")]
    [InlineData("Web")]
    [InlineData("2web")]
    public async Task A_name_that_cannot_name_the_services_is_an_invalid_spec(string name)
    {
        var app = Ticker.App();
        app.Metadata.Name = name;
        var t = new Ticker(app);

        Assert.Null(await t.TickAsync());
        Assert.Null(await t.TickAsync());

        Assert.Empty(t.World.ActionLog);
        var progressing = Assert.Single(t.Status.Conditions!, c => c.Type == ConditionTypes.Progressing);
        Assert.Equal(("False", EventReasons.InvalidSpec), (progressing.Status, progressing.Reason));
        Assert.Contains("DNS-1035 label of at most 55 characters", progressing.Message, StringComparison.Ordinal);
        Assert.Equal([EventReasons.InvalidSpec], t.Events.Reasons);
    }

    [Fact]
    public async Task A_name_of_55_characters_makes_valid_service_names()
    {
        var app = Ticker.App();
        app.Metadata.Name = new string('a', 55);
        var t = new Ticker(app);
        await t.RunUntilIdleAsync();
        Assert.Equal(CanaryPhase.Succeeded, t.Status.Phase);
        Assert.Equal(63, t.World.Primary!.Metadata.Name.Length);
    }

    [Theory]
    [InlineData("example/app :v2")]
    [InlineData("example/app:v2\tlatest")]
    public async Task An_image_with_whitespace_is_an_invalid_spec_and_the_primary_keeps_running(string image)
    {
        var t = new Ticker(Ticker.App());
        await t.RunUntilIdleAsync();
        t.World.ActionLog.Clear();
        t.World.ChangeSpec(s => s.Image = image);

        await t.TickAsync();

        Assert.Empty(t.World.ActionLog);
        Assert.Equal("example/app:v1", t.World.Primary!.Spec.Template.Spec.Containers[0].Image);
        Assert.Contains("contains whitespace", Assert.Single(t.Status.Conditions!, c => c.Type == ConditionTypes.Progressing).Message, StringComparison.Ordinal);
    }
}
