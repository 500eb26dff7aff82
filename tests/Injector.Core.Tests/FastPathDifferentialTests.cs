using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Patching;
using Injector.Core.Tests.ApiServer;
using Injector.Core.Tests.Support;
using Sidecars.Contract;

namespace Injector.Core.Tests;

/// <summary>
/// The handler answers a fresh appup injection from bytes prepared once per config (FreshAppUpInjection) instead of
/// the engine's tree path. It must be invisible: on every golden review and on random pods, the fast handler's
/// response is byte for byte the response of a handler that always takes the tree path.
/// </summary>
public sealed class FastPathDifferentialTests
{
    private static readonly AdmissionReviewHandler Fast = new(new InjectionEngine());
    private static readonly AdmissionReviewHandler Tree = new(new InjectionEngine(), fastPath: false);

    public static TheoryData<string> Scenarios => new(GoldenScenario.Names());

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Golden_reviews_get_the_tree_paths_bytes(string name)
    {
        var review = Encoding.UTF8.GetBytes(GoldenScenario.Load(name).Review.ToJsonString());
        AssertSameResponse(review);
    }

    [Fact]
    public void The_benchmark_shaped_reviews_take_the_fast_path()
    {
        // The small golden review (appup into a plain pod) is the engine benchmark's small review.
        var review = Encoding.UTF8.GetBytes(GoldenScenario.Load("appup-plain-pod").Review.ToJsonString());
        Assert.True(TookFastPath(AssertSameResponse(review)));
    }

    [Fact]
    public void Random_pods_get_the_tree_paths_bytes()
    {
        int compared = 0, fast = 0;
        PodGenerators.Pod.Sample(pod =>
        {
            AssertSameResponse(ReviewOf(pod));
            Interlocked.Increment(ref compared);
        }, iter: 300, seed: Environment.GetEnvironmentVariable("CSCHECK_SEED"));

        FreshAppUpPods.Sample(pod =>
        {
            if (TookFastPath(AssertSameResponse(ReviewOf(pod))))
            {
                Interlocked.Increment(ref fast);
            }

            Interlocked.Increment(ref compared);
        }, iter: 600, seed: Environment.GetEnvironmentVariable("CSCHECK_SEED"));

        // The second generator aims at the fast path (many of its pods still end in a denial or a fallback on purpose).
        Assert.True(fast > 60, $"only {fast} of {compared} pods took the fast path");
    }

    /// <summary>
    /// Pods written as text, for what the generators never make: escaped keys and values the fast path must read as
    /// the tree path does, duplicate keys below a container's own keys, nulls where objects or lists go, non-object
    /// items, names and ports in the way in the other lists, odd target names. Each says whether the fast path answers it.
    /// </summary>
    public static TheoryData<string, bool, string> CraftedPods => new()
    {
        { "plain", true, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app"}]}}""" },
        { "escaped readinessProbe key", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","readiness\u0050robe":{}}]}}""" },
        { "escaped preStop key", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","lifecycle":{"pre\u0053top":{}}}]}}""" },
        { "escaped mountPath", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","volumeMounts":[{"name":"x","mount\u0050ath":"\/sidecars\/appup"}]}]}}""" },
        { "mount elsewhere", true, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","volumeMounts":[1,null,{"name":"x","mountPath":"/x"},[]],"lifecycle":{"postStart":{"exec":{"command":["a"]}}}}]}}""" },
        { "mounts before lifecycle", true, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","volumeMounts":[],"lifecycle":{}}]}}""" },
        { "duplicate key in lifecycle", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","lifecycle":{"postStart":{},"postStart":{}}}]}}""" },
        { "duplicate key in a mount", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","volumeMounts":[{"name":"a","name":"b","mountPath":"/a"}]}]}}""" },
        { "duplicate key deep in env", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","env":[{"name":"A","valueFrom":{"fieldRef":{"fieldPath":"a","fieldPath":"b"}}}]}]}}""" },
        { "null lifecycle", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","lifecycle":null}]}}""" },
        { "null volumeMounts", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","volumeMounts":null}]}}""" },
        { "null readinessProbe", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","readinessProbe":null}]}}""" },
        { "non-object items first", true, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[1,"x",null,{"name":"app"}],"volumes":[null,2],"initContainers":[[]]}}""" },
        { "unnamed first container", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"image":"x"},{"name":"app"}]}}""" },
        { "empty target name", true, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":""}]}}""" },
        { "odd target name", true, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"a\"p/p~é\u2028<>&+"}]}}""" },
        { "named target", true, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup","appup.sidecars.dev/container":" web "}},"spec":{"containers":[{"name":"app"},{"name":"web"},{"name":"web","lifecycle":{}}]}}""" },
        { "appup in ephemeralContainers", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app"}],"ephemeralContainers":[{"name":"appup"}]}}""" },
        { "port taken by an init container", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app"}],"initContainers":[{"name":"i","ports":[{"containerPort":9999}]}]}}""" },
        { "port of an ephemeral container (not counted)", true, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app"}],"ephemeralContainers":[{"name":"e","ports":[{"containerPort":9999}]}]}}""" },
        { "our volume name taken", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app"}],"volumes":[{"name":"sidecars-appup","emptyDir":{}}]}}""" },
        { "status not a string", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup","sidecars.dev/status":7}},"spec":{"containers":[{"name":"app"}]}}""" },
        { "labels before annotations", true, """{"metadata":{"labels":{"a":"b"},"annotations":{"sidecars.dev/inject":"appup"}},"spec":{"volumes":[],"initContainers":[],"containers":[{"name":"app"}]}}""" },
        { "escaped injected label", true, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup"},"labels":{"sidecars.dev\/injected":"true"}},"spec":{"containers":[{"name":"app"}]}}""" },
        { "spec before metadata", true, """{"spec":{"containers":[{"name":"app"}]},"metadata":{"annotations":{"sidecars.dev/inject":"appup"}}}""" },
        { "classic mode", true, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup","sidecars.dev/mode":"Classic"}},"spec":{"containers":[{"name":"app"},{"name":"b"}]}}""" },
        { "image override", false, """{"metadata":{"annotations":{"sidecars.dev/inject":"appup","appup.sidecars.dev/image":"example.com/appup:2"}},"spec":{"containers":[{"name":"app"}]}}""" },
    };

    [Theory]
    [MemberData(nameof(CraftedPods))]
    public void Crafted_pods_get_the_tree_paths_bytes(string what, bool fastPath, string podJson)
    {
        var review = """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","namespace":"ns","object":""" + podJson + "}}";
        Assert.True(fastPath == TookFastPath(AssertSameResponse(Encoding.UTF8.GetBytes(review))), $"{what}: fast path expected {fastPath}");
    }

    /// <summary>
    /// The property test's pods turned into first-pass appup injections, with the variations the fast path places by
    /// hand: labels absent, present, already injected or not "true"; metadata and spec keys in another order; the
    /// target with or without readinessProbe, lifecycle and mounts; port, initial state, mode and target annotations.
    /// </summary>
    private static readonly Gen<JsonObject> FreshAppUpPods =
        from pod in PodGenerators.Pod
        from labels in Gen.Int[0, 7]
        from reorderMetadata in Gen.Bool
        from reorderSpec in Gen.Bool
        from dropProbe in Gen.Int[0, 3]
        from dropLifecycle in Gen.Int[0, 2]
        from port in Gen.Int[0, 5]
        from initial in Gen.Int[0, 7]
        from targetChoice in Gen.Int[0, 7]
        from nullList in Gen.Int[0, 23]
        select FreshAppUp(pod, labels, reorderMetadata, reorderSpec, dropProbe, dropLifecycle, port, initial, targetChoice, nullList);

    private static JsonObject FreshAppUp(JsonObject pod, int labels, bool reorderMetadata, bool reorderSpec, int dropProbe, int dropLifecycle,
        int port, int initial, int targetChoice, int nullList)
    {
        var metadata = pod["metadata"]!.AsObject();
        var annotations = metadata["annotations"]!.AsObject();
        annotations.Remove(AnnotationKeys.Status);
        annotations[AnnotationKeys.Inject] = "appup";
        annotations.Remove(AnnotationKeys.ImageOverride(SidecarNames.AppUp));
        annotations.Remove(AnnotationKeys.AppUpPort);
        annotations.Remove(AnnotationKeys.AppUpInitial);
        annotations.Remove(AnnotationKeys.AppUpContainer);
        switch (port)
        {
            case 1:
                annotations[AnnotationKeys.AppUpPort] = "8100";
                break;
            case 2:
                annotations[AnnotationKeys.AppUpPort] = "80"; // often taken by a user container
                break;
        }

        if (initial > 0)
        {
            annotations[AnnotationKeys.AppUpInitial] = initial switch { 1 or 2 => "down", 3 => " UP ", 7 => "sideways", _ => "up" };
        }

        var containers = pod["spec"]!["containers"]!.AsArray();
        if (targetChoice > 0)
        {
            annotations[AnnotationKeys.AppUpContainer] = targetChoice == 7 ? "nope" : PodEditor.NameOf(containers[targetChoice % containers.Count]!.AsObject())!;
        }

        foreach (var container in containers.Select(c => c!.AsObject()))
        {
            if (dropProbe > 0 || targetChoice > 0)
            {
                container.Remove("readinessProbe");
            }

            if (dropLifecycle == 1)
            {
                container.Remove("lifecycle");
            }
            else if (dropLifecycle == 2 && container["lifecycle"] is JsonObject lifecycle)
            {
                lifecycle.Remove("preStop");
            }
        }

        metadata.Remove("labels");
        switch (labels)
        {
            case 1 or 3:
                metadata["labels"] = new JsonObject { ["app"] = "web" };
                break;
            case 2:
                metadata["labels"] = new JsonObject { ["app"] = "web", [AnnotationKeys.InjectedLabel] = "true" };
                break;
            case 6:
                metadata["labels"] = new JsonObject { [AnnotationKeys.InjectedLabel] = "false" };
                break;
            case 7:
                metadata["labels"] = null;
                break;
        }

        if (reorderMetadata)
        {
            Reorder(metadata);
        }

        var spec = pod["spec"]!.AsObject();
        if (nullList == 1)
        {
            spec["volumes"] = null;
        }
        else if (nullList == 2)
        {
            spec["initContainers"] = null;
        }
        else if (nullList == 3)
        {
            containers[0]!["volumeMounts"] = null;
        }

        if (reorderSpec)
        {
            Reorder(spec);
        }

        return pod;
    }

    /// <summary>Puts the object's keys in reverse order (labels before annotations, volumes before containers).</summary>
    private static void Reorder(JsonObject obj)
    {
        var entries = obj.ToList();
        obj.Clear();
        for (int i = entries.Count - 1; i >= 0; i--)
        {
            obj[entries[i].Key] = entries[i].Value;
        }
    }

    private static byte[] ReviewOf(JsonObject pod) => Encoding.UTF8.GetBytes(AdmissionChain.Review("u-1", "ns", pod).ToJsonString());

    private static AdmissionOutcome AssertSameResponse(byte[] review)
    {
        var fast = Fast.Handle(review, InjectorConfig.Default);
        var tree = Tree.Handle(review, InjectorConfig.Default);
        Assert.Equal(tree.StatusCode, fast.StatusCode);
        Assert.Equal(Encoding.UTF8.GetString(tree.Body), Encoding.UTF8.GetString(fast.Body));
        Assert.Equal((tree.Result?.Decision, tree.Result?.Reason), (fast.Result?.Decision, fast.Result?.Reason));
        Assert.Equal(tree.Result?.Sidecars ?? [], fast.Result?.Sidecars ?? []);
        return fast;
    }

    /// <summary>The fast path's operations carry prepared bytes; the tree path's never do on a first pass.</summary>
    private static bool TookFastPath(AdmissionOutcome outcome) =>
        outcome.Result?.Patch.Any(op => RawJson.Of(op.Value) is not null) == true;
}
