using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Manifests;
using Injector.Core.Tests.Support;
using Injector.Core.Yaml;

namespace Injector.Core.Tests;

public sealed class ManifestInjectorTests
{
    private static readonly ManifestInjector Injector = new(new InjectionEngine());

    [Fact]
    public void Injects_every_workload_kind_and_passes_other_objects_through()
    {
        const string yaml = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              ports: [{port: 80}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            spec:
              template:
                metadata:
                  annotations:
                    sidecars.dev/inject: appup
                spec:
                  containers:
                  - name: app
                    image: nginx
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: s}
            spec:
              template:
                metadata:
                  annotations:
                    sidecars.dev/inject: appup
                spec:
                  containers:
                  - name: app
                    image: nginx
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: c}
            spec:
              schedule: "*/5 * * * *"
              jobTemplate:
                spec:
                  template:
                    metadata:
                      annotations:
                        sidecars.dev/inject: appup
                    spec:
                      containers:
                      - name: app
                        image: nginx
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations: {sidecars.dev/inject: appup}
            spec:
              containers: [{name: app, image: nginx}]
            """;

        var result = Injector.Inject(yaml, InjectorConfig.Default);

        Assert.False(result.AnyDenied);
        var docs = YamlJson.ParseAll(result.Yaml).Cast<JsonObject>().ToList();
        Assert.Equal(5, docs.Count);
        Assert.Equal("""{"port":80}""", docs[0]["spec"]!["ports"]![0]!.ToJsonString());
        Assert.Equal("appup", docs[1]["spec"]!["template"]!["spec"]!["initContainers"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("appup", docs[2]["spec"]!["template"]!["spec"]!["initContainers"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("appup", docs[3]["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!["initContainers"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("appup", docs[4]["spec"]!["initContainers"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("*/5 * * * *", docs[3]["spec"]!["schedule"]!.GetValue<string>());

        // Offline injection is idempotent like the webhook.
        Assert.Equal(result.Yaml, Injector.Inject(result.Yaml, InjectorConfig.Default).Yaml);
    }

    [Fact]
    public void Denied_workload_is_reported_with_its_name()
    {
        var yaml = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: nightly}
            spec:
              template:
                metadata:
                  annotations: {sidecars.dev/inject: proa}
                spec:
                  restartPolicy: Never
                  containers: [{name: app, image: busybox}]
            """;

        var result = Injector.Inject(yaml, InjectorConfig.Default);

        Assert.True(result.AnyDenied);
        Assert.Contains(result.Messages, m => m.StartsWith("error: document 1 (Job/nightly, line 1): cannot inject proa", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("appup.sidecars.dev/port: 9998", "metadata.annotations[\"appup.sidecars.dev/port\"] is 9998, not a string")]
    [InlineData("sidecars.dev/mode: yes", "metadata.annotations[\"sidecars.dev/mode\"] is true, not a string")]
    public void An_unquoted_number_or_boolean_annotation_is_refused_not_ignored(string annotation, string expected)
    {
        // kubectl refuses such an object (annotation values are strings); the engine would silently ignore the value.
        var yaml = $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations:
                sidecars.dev/inject: appup
                {{annotation}}
            spec:
              containers: [{name: app, image: nginx}]
            """;

        var result = Injector.Inject(yaml, InjectorConfig.Default);

        Assert.True(result.AnyDenied);
        Assert.Equal("", result.Yaml);
        Assert.Contains(result.Messages, m => m.StartsWith("error: document 1 (Pod/p, line 1): " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Integer_ports_read_from_yaml_are_seen_by_the_port_clash_check()
    {
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations: {sidecars.dev/inject: appup}
            spec:
              containers:
              - name: app
                image: nginx
                ports:
                - containerPort: 9999
            """;

        var result = Injector.Inject(yaml, InjectorConfig.Default);

        Assert.True(result.AnyDenied);
        Assert.Contains(result.Messages, m => m.Contains("cannot inject appup on port 9999: container 'app' already uses it", StringComparison.Ordinal));
    }

    [Fact]
    public void A_denied_document_does_not_suppress_the_others()
    {
        var yaml = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: nightly}
            spec:
              template:
                metadata:
                  annotations: {sidecars.dev/inject: proa}
                spec:
                  restartPolicy: Never
                  containers: [{name: app, image: busybox}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations: {sidecars.dev/inject: appup}
            spec:
              containers: [{name: app, image: nginx}]
            """;

        var result = Injector.Inject(yaml, InjectorConfig.Default);

        Assert.True(result.AnyDenied);
        var docs = YamlJson.ParseAll(result.Yaml).Cast<JsonObject>().ToList();
        Assert.Equal(["Service", "Pod"], docs.Select(d => d["kind"]!.GetValue<string>()));
        Assert.Equal("appup", docs[1]["spec"]!["initContainers"]![0]!["name"]!.GetValue<string>());
        var error = Assert.Single(result.Messages, m => m.StartsWith("error:", StringComparison.Ordinal));
        Assert.StartsWith("error: document 2 (Job/nightly, line 5): cannot inject proa", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_document_is_reported_with_its_line_and_the_others_still_print()
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n";

        var result = Injector.Inject(yaml, InjectorConfig.Default);

        Assert.True(result.AnyDenied);
        Assert.Equal(["a", "b"], YamlJson.ParseAll(result.Yaml).Select(d => d!["metadata"]!["name"]!.GetValue<string>()));
        var error = Assert.Single(result.Messages);
        Assert.StartsWith("error: document 2 (line 5): line ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void List_items_are_injected_and_a_denied_item_is_named()
    {
        var yaml = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Pod
              metadata:
                name: good
                annotations: {sidecars.dev/inject: appup}
              spec:
                containers: [{name: app, image: nginx}]
            - apiVersion: v1
              kind: Pod
              metadata:
                name: bad
                annotations: {sidecars.dev/inject: envoy}
              spec:
                containers: [{name: app, image: nginx}]
            """;

        var result = Injector.Inject(yaml, InjectorConfig.Default);

        Assert.True(result.AnyDenied);
        Assert.Contains(result.Messages, m => m.StartsWith("error: document 1 (List item 2, Pod/bad, line 1): ", StringComparison.Ordinal));
    }

    [Fact]
    public void Octal_modes_come_out_as_the_numbers_kubectl_reads()
    {
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations: {sidecars.dev/inject: appup}
            spec:
              containers: [{name: app, image: nginx}]
              volumes:
              - name: scripts
                configMap: {name: scripts, defaultMode: 0755, items: [{key: a, path: a, mode: 0400}]}
            """;

        var result = Injector.Inject(yaml, InjectorConfig.Default);

        var volume = YamlJson.ParseOne(result.Yaml)!["spec"]!["volumes"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "scripts")!;
        Assert.Equal(493, volume["configMap"]!["defaultMode"]!.GetValue<int>());
        Assert.Equal(256, volume["configMap"]!["items"]![0]!["mode"]!.GetValue<int>());
        Assert.Contains("defaultMode: 493", result.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_bomb_is_refused_as_an_unreadable_document()
    {
        var result = Injector.Inject(TestInputs.AliasBomb(levels: 6), InjectorConfig.Default);

        Assert.True(result.AnyDenied);
        Assert.Contains("alias", Assert.Single(result.Messages), StringComparison.Ordinal);
    }
}
