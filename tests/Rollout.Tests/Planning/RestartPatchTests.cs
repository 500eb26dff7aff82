using System.Text.Json.Nodes;
using Rollout.Planning;

namespace Rollout.Tests.Planning;

public sealed class RestartPatchTests
{
    [Fact]
    public void The_body_sets_exactly_the_two_annotations()
    {
        var body = RestartPatch.Body("sidecarRollout", new DateTimeOffset(2025, 5, 1, 12, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4560), "sidecar-rollout: appup image 0.1.0 -> 0.2.0");

        Assert.Equal(
            """{"spec":{"template":{"metadata":{"annotations":{"sidecarRollout.rollout.timestamp":"2025-05-01T10:30:15.123456Z","sidecarRollout.rollout.reason":"sidecar-rollout: appup image 0.1.0 -> 0.2.0"}}}}}""",
            body);
        Assert.Equal("sidecar-rollout: appup image 0.1.0 -> 0.2.0", (string)JsonNode.Parse(body)!["spec"]!["template"]!["metadata"]!["annotations"]!["sidecarRollout.rollout.reason"]!);
    }

    [Fact]
    public void A_long_or_multi_line_reason_is_one_bounded_line()
    {
        var body = RestartPatch.Body("p", DateTimeOffset.UnixEpoch, "a\nb" + new string('x', 5000));
        var reason = (string)JsonNode.Parse(body)!["spec"]!["template"]!["metadata"]!["annotations"]!["p.rollout.reason"]!;

        Assert.Equal(RestartPatch.MaxReasonLength, reason.Length);
        Assert.StartsWith("a b", reason, StringComparison.Ordinal);
        Assert.EndsWith("...", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sidecarRollout", true)]
    [InlineData("example.com/platform", true)]
    [InlineData("my-company", true)]
    [InlineData("", false)]
    [InlineData("-bad", false)]
    [InlineData("Example.COM/x", false)]
    [InlineData("a/b/c", false)]
    [InlineData("has space", false)]
    public void The_prefix_must_make_valid_annotation_keys(string prefix, bool valid) =>
        Assert.Equal(valid, RestartPatch.ValidatePrefix(prefix) is null);

    [Fact]
    public void A_prefix_whose_keys_exceed_63_characters_is_refused() =>
        Assert.NotNull(RestartPatch.ValidatePrefix(new string('a', 50)));
}
