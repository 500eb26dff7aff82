using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Manifests;
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
        Assert.Contains(result.Messages, m => m.StartsWith("error: Job/nightly: cannot inject proa", StringComparison.Ordinal));
    }
}
