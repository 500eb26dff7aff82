using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Tests.Support;
using Sidecars.Contract;
using static Injector.Core.Tests.Support.EnginePods;

namespace Injector.Core.Tests;

/// <summary>Annotation values as people write them: Istio habits, other cases, typos, stray whitespace.</summary>
public sealed class AnnotationValueTests
{
    [Theory]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData("none")]
    [InlineData("")]
    [InlineData("  ")]
    public void Inject_false_none_or_empty_means_no_sidecars_with_a_warning(string value)
    {
        var result = Inject(Pod($$"""{"sidecars.dev/inject":"{{value}}"}"""));

        Assert.NotEqual(InjectionDecision.Denied, result.Decision);
        Assert.Empty(result.Patch);
        Assert.Contains(result.Warnings, w => w.Contains(AnnotationKeys.Inject, StringComparison.Ordinal) && w.Contains("no sidecars", StringComparison.Ordinal));
    }

    [Fact]
    public void Inject_false_on_a_copied_pod_removes_what_we_added()
    {
        var original = Pod("""{"sidecars.dev/inject":"appup"}""");
        var injected = Pass(original);
        injected["metadata"]!["annotations"]![AnnotationKeys.Inject] = "false";

        var stripped = Pass(injected);

        Assert.Equal(["app"], Names(stripped, "containers"));
        Assert.Empty(Names(stripped, "initContainers"));
        Assert.Null(stripped["metadata"]!["annotations"]![AnnotationKeys.Status]);
        Assert.Null(Container(stripped, "app")["readinessProbe"]);
    }

    [Theory]
    [InlineData("AppUp")]
    [InlineData(" APPUP ")]
    public void Sidecar_names_in_another_case_are_accepted_with_a_warning(string value)
    {
        var result = Inject(Pod($$"""{"sidecars.dev/inject":"{{value}}"}"""));

        Assert.Equal(InjectionDecision.Injected, result.Decision);
        Assert.Equal(["appup"], result.Sidecars);
        Assert.Contains(result.Warnings, w => w.Contains("appup", StringComparison.Ordinal) && w.Contains(value.Trim(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("appup.sidecars.dev/prot", "appup.sidecars.dev/port")]
    [InlineData("sidecars.dev/injct", "sidecars.dev/inject")]
    [InlineData("shawarma.sidecars.dev/servce", "shawarma.sidecars.dev/service")]
    [InlineData("shawarma.centeredge.io/service-nam", "shawarma.centeredge.io/service-name")]
    [InlineData("apup.sidecars.dev/port", "appup.sidecars.dev/port")]
    public void Mistyped_keys_under_our_prefixes_get_a_warning_naming_the_valid_keys(string key, string valid)
    {
        var result = Inject(Pod($$"""{"sidecars.dev/inject":"appup","shawarma.sidecars.dev/service":"web","{{key}}":"8080"}"""), InjectorConfig.Default);

        Assert.Contains(result.Warnings, w => w.Contains(key, StringComparison.Ordinal) && w.Contains(valid, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("shawarma.centeredge.io/log-level", "loud")]
    [InlineData("shawarma.sidecars.dev/log-level", "loud")]
    [InlineData("shawarma.centeredge.io/state-url", "ftp://x")]
    [InlineData("shawarma.centeredge.io/service-labels", "app")]
    public void A_denial_names_the_key_the_pod_wrote_legacy_or_new(string key, string value)
    {
        var pod = Pod("""{"sidecars.dev/inject":"shawarma","shawarma.sidecars.dev/service":"web"}""");
        pod["metadata"]!["annotations"]![key] = value;

        var result = Inject(pod);

        Assert.Equal(InjectionDecision.Denied, result.Decision);
        Assert.StartsWith($"annotation {key}:", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shawarma.sidecars.dev/service", "web\nEVIL=1")]
    [InlineData("shawarma.sidecars.dev/service", "Web_Service")]
    [InlineData("shawarma.centeredge.io/service-name", "web\r\nx")]
    [InlineData("shawarma.sidecars.dev/service-labels", "app=web\nEVIL=1")]
    [InlineData("shawarma.sidecars.dev/url", "http://localhost/state\nx")]
    public void Values_that_would_smuggle_lines_into_env_are_denied(string key, string value)
    {
        var pod = key.Contains("service", StringComparison.Ordinal)
            ? Pod("""{"sidecars.dev/inject":"shawarma"}""")
            : Pod("""{"sidecars.dev/inject":"shawarma","shawarma.sidecars.dev/service":"web"}""");
        pod["metadata"]!["annotations"]![key] = value;

        var result = Inject(pod);

        Assert.Equal(InjectionDecision.Denied, result.Decision);
        Assert.Contains(key, result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("080")]
    [InlineData("+80")]
    [InlineData("8_080")]
    [InlineData("0x50")]
    public void Ports_with_leading_zeros_or_signs_are_denied(string port)
    {
        var result = Inject(Pod($$"""{"sidecars.dev/inject":"appup","appup.sidecars.dev/port":"{{port}}"}"""), InjectorConfig.Default);

        Assert.Equal(InjectionDecision.Denied, result.Decision);
        Assert.Contains("decimal", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ports_with_surrounding_whitespace_are_trimmed()
    {
        var result = Inject(Pod("""{"sidecars.dev/inject":"appup","appup.sidecars.dev/port":" 8081 "}"""), InjectorConfig.Default);

        Assert.Equal(8081, result.Pod!["spec"]!["initContainers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
    }

    [Fact]
    public void Ports_held_as_any_number_type_are_seen_by_the_port_clash_check()
    {
        // The YAML reader of inject -f produces long values, not JsonElement-backed ones.
        var pod = Pod("""{"sidecars.dev/inject":"appup"}""");
        pod["spec"]!["containers"]![0]!["ports"] = new JsonArray(new JsonObject { ["containerPort"] = JsonValue.Create(9999L) });

        var result = Inject(pod);

        Assert.Equal(InjectionDecision.Denied, result.Decision);
        Assert.Contains("cannot inject appup on port 9999: container 'app' already uses it", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mode_and_initial_state_in_another_case_are_read()
    {
        var result = Inject(Pod("""{"sidecars.dev/inject":"appup","sidecars.dev/mode":"Classic","appup.sidecars.dev/initial":"Down"}"""), InjectorConfig.Default);

        Assert.Equal(InjectionDecision.Injected, result.Decision);
        Assert.Equal(["app", "appup"], Names(result.Pod!, "containers"));
    }

    [Fact]
    public void Windows_pods_are_denied_with_a_clear_message()
    {
        var pod = Pod("""{"sidecars.dev/inject":"appup"}""", extraSpec: ""","os":{"name":"windows"}""");

        var result = Inject(pod);

        Assert.Equal(InjectionDecision.Denied, result.Decision);
        Assert.Contains("windows", result.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("spec.os.name", result.Message, StringComparison.Ordinal);
    }
}
