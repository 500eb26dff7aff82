using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Sidecars.Contract;
using Injector.Core.Patching;
using Injector.Core.Tests.Support;

namespace Injector.Core.Tests;

/// <summary>
/// Over random pods (random containers, init containers including other injectors' native sidecars, env, ports,
/// probes, unknown fields, annotations whose keys need escaping, any mix of sidecars and modes): the patch always
/// applies, every value the user wrote is still at its place, and a second pass changes nothing.
/// </summary>
public sealed class InjectionPropertyTests
{
    private static readonly InjectionEngine Engine = new();

    private static readonly Gen<JsonObject> GenEnv =
        Gen.Select(Gen.String[Gen.Char["ABCDEFGHIJ_"], 1, 6], Gen.String[Gen.Char["abc/~:= "], 0, 10])
            .Select((name, value) => new JsonObject { ["name"] = "E_" + name, ["value"] = value });

    private static readonly Gen<JsonObject> GenContainer =
        Gen.Select(
            Gen.Int[0, 3],
            GenEnv.Array[0, 4],
            Gen.Int[0, 4].Select(i => new[] { 80, 443, 8080, 8099, 9999 }[i]).Array[0, 2],
            Gen.Bool,
            Gen.Bool,
            Gen.Bool,
            Gen.Bool)
        .Select((variant, env, ports, hasCommand, hasArgs, hasProbe, hasUnknown) =>
        {
            var c = new JsonObject { ["image"] = $"registry.example.com/app:{variant}" };
            if (hasCommand)
            {
                c["command"] = new JsonArray("/bin/app", "--variant=" + variant);
            }

            if (hasArgs)
            {
                c["args"] = new JsonArray("--listen", ":8080");
            }

            if (env.Length > 0)
            {
                c["env"] = new JsonArray(env.DistinctBy(e => e["name"]!.GetValue<string>()).Select(e => (JsonNode)e).ToArray());
            }

            if (ports.Length > 0)
            {
                c["ports"] = new JsonArray(ports.Distinct().Select(p => (JsonNode)new JsonObject { ["containerPort"] = p }).ToArray());
            }

            if (hasProbe)
            {
                c["readinessProbe"] = new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = 8080 } };
            }

            if (hasUnknown)
            {
                c["x-future-field"] = new JsonObject { ["nested"] = new JsonArray(1, "two", null) };
            }

            return c;
        });

    private static readonly Gen<JsonObject> GenPod =
        Gen.Select(
            GenContainer.Array[1, 4],
            Gen.Int[0, 2],
            Gen.Int[0, 7],
            Gen.Int[0, 2],
            Gen.Bool,
            Gen.Int[0, 2],
            Gen.String[Gen.Char["abc/~."], 1, 8],
            Gen.Bool)
        .Select((containers, initCount, sidecarMask, modeChoice, automountOff, volumeCount, extraKey, proaCommand) =>
        {
            var spec = new JsonObject();
            var cs = new JsonArray();
            for (int i = 0; i < containers.Length; i++)
            {
                containers[i]["name"] = "c" + i;
                cs.Add((JsonNode)containers[i]);
            }

            spec["containers"] = cs;
            if (initCount > 0)
            {
                var inits = new JsonArray();
                for (int i = 0; i < initCount; i++)
                {
                    var init = new JsonObject { ["name"] = "init" + i, ["image"] = "busybox" };
                    if (i == 1)
                    {
                        init["restartPolicy"] = "Always"; // another injector's native sidecar
                    }

                    inits.Add((JsonNode)init);
                }

                spec["initContainers"] = inits;
            }

            if (volumeCount > 0)
            {
                spec["volumes"] = new JsonArray(Enumerable.Range(0, volumeCount).Select(i => (JsonNode)new JsonObject { ["name"] = "v" + i, ["emptyDir"] = new JsonObject() }).ToArray());
            }

            if (automountOff)
            {
                spec["automountServiceAccountToken"] = false;
            }

            var sidecars = SidecarNames.All.Where((_, i) => (sidecarMask & (1 << i)) != 0).ToList();
            var annotations = new JsonObject
            {
                [AnnotationKeys.Inject] = string.Join(",", sidecars),
                ["example.com/" + extraKey] = "kept",
                [AnnotationKeys.ShawarmaService] = "web",
            };
            if (proaCommand)
            {
                annotations[AnnotationKeys.ProaCommand] = "/bin/entry --serve";
            }

            if (modeChoice > 0)
            {
                annotations[AnnotationKeys.Mode] = modeChoice == 1 ? "native" : "classic";
            }

            return new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject { ["generateName"] = "web-", ["annotations"] = annotations, ["labels"] = new JsonObject { ["app"] = "web" } },
                ["spec"] = spec,
            };
        });

    [Fact]
    public void Patch_applies_keeps_user_data_and_second_pass_is_a_no_op()
    {
        int injected = 0, denied = 0;
        GenPod.Sample(pod =>
        {
            var original = pod.DeepClone().AsObject();
            var result = Engine.Inject(pod, InjectorConfig.Default);
            Assert.True(JsonNode.DeepEquals(original, pod), "the engine must not mutate its input");
            if (result.Decision != InjectionDecision.Injected)
            {
                Interlocked.Increment(ref denied);
                Assert.Empty(result.Patch);
                return;
            }

            if (result.Patch.Count > 0)
            {
                Interlocked.Increment(ref injected);
            }

            var patched = Rfc6902.Apply(pod, JsonPatchSerializer.ToJson(result.Patch));
            Assert.True(JsonNode.DeepEquals(result.Pod, patched), "the patch must produce exactly the engine's pod");
            AssertUserDataKept(original, patched, result);

            var second = Engine.Inject(patched, InjectorConfig.Default);
            Assert.Equal(InjectionDecision.Injected, second.Decision);
            Assert.Empty(second.Patch);
        }, iter: 400, seed: Environment.GetEnvironmentVariable("CSCHECK_SEED"));

        // The generator must exercise both paths, or the property proves little.
        Assert.True(injected > 100, $"only {injected} samples were injected");
        Assert.True(denied > 0, "no sample was denied (port conflicts, missing commands)");
    }

    /// <summary>Every leaf of the original is unchanged at its path, except the proa target's command/args, which must
    /// reappear after "--" in the new args.</summary>
    private static void AssertUserDataKept(JsonObject original, JsonObject patched, InjectionResult result)
    {
        var rewritten = new HashSet<string>(StringComparer.Ordinal);
        if (result.Sidecars.Contains(SidecarNames.Proa))
        {
            rewritten.Add("/spec/containers/0/command");
            rewritten.Add("/spec/containers/0/args");
            var args = patched["spec"]!["containers"]![0]!["args"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
            var c0 = original["spec"]!["containers"]![0]!;
            var wrapped = (c0["command"] as JsonArray ?? new JsonArray("/bin/entry", "--serve")).Concat(c0["args"] as JsonArray ?? []).Select(n => n!.GetValue<string>());
            Assert.Equal(wrapped, args.SkipWhile(a => a != "--").Skip(1));
        }

        foreach (var (path, value) in Leaves(original, string.Empty))
        {
            if (rewritten.Any(r => path.StartsWith(r, StringComparison.Ordinal)))
            {
                continue;
            }

            var actual = Resolve(patched, path);
            Assert.True(JsonNode.DeepEquals(value, actual), $"user value at {path} changed: {value?.ToJsonString()} -> {actual?.ToJsonString()}");
        }
    }

    private static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                foreach (var (key, child) in obj)
                {
                    foreach (var leaf in Leaves(child, JsonPointer.Append(path, key)))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray array when array.Count > 0:
                for (int i = 0; i < array.Count; i++)
                {
                    foreach (var leaf in Leaves(array[i], JsonPointer.Append(path, i)))
                    {
                        yield return leaf;
                    }
                }

                break;
            default:
                yield return (path, node);
                break;
        }
    }

    private static JsonNode? Resolve(JsonNode root, string pointer)
    {
        JsonNode? current = root;
        foreach (var raw in pointer.Split('/').Skip(1))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return current;
    }

    [Fact]
    public void Status_annotation_survives_serialisation_with_quotes_and_slashes()
    {
        var pod = JsonNode.Parse("""{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"a/b~c","image":"x"}]}}""")!.AsObject();
        var result = Engine.Inject(pod, InjectorConfig.Default);
        var patch = Encoding.UTF8.GetString(JsonPatchSerializer.ToUtf8(result.Patch));
        Assert.Contains("/metadata/annotations/sidecars.dev~1status", patch, StringComparison.Ordinal);
        var patched = Rfc6902.Apply(pod, patch);
        var status = InjectionStatus.TryParse(patched["metadata"]!["annotations"]![AnnotationKeys.Status]!.GetValue<string>(), out var error);
        Assert.Null(error);
        Assert.Contains("a/b~c", status!.Targets.Keys);
    }
}
