using System.Text.Json.Nodes;
using CsCheck;
using Sidecars.Contract;

namespace Injector.Core.Tests.Support;

/// <summary>
/// Random pods shaped like what real workloads carry: env, ports, probes, command lines, volume mounts, the
/// service account's projected token (as the ServiceAccount plugin mounts it), <c>serviceAccountName</c>, other
/// injectors' native sidecars, user objects whose names collide with ours (with foreign images and shapes), any
/// mix of sidecars, modes and per-sidecar annotations (sometimes absent, sometimes in another case, the target on
/// any container), and sometimes a <c>sidecars.dev/status</c> that is forged or copied from another pod.
/// Nothing in a generated pod was added by the injector, so every leaf of it must survive injection.
/// </summary>
public static class PodGenerators
{
    public const string ServiceAccountVolume = "kube-api-access-x9k2p";

    /// <summary>User volumes and where containers mount them (a name may collide with one of ours).</summary>
    private static readonly (string Name, string Path, JsonObject Source)[] UserVolumes =
    [
        ("data", "/data", new JsonObject { ["emptyDir"] = new JsonObject() }),
        ("config", "/etc/config", new JsonObject { ["configMap"] = new JsonObject { ["name"] = "web-config" } }),
        ("cache", "/cache", new JsonObject { ["emptyDir"] = new JsonObject { ["medium"] = "Memory" } }),
        (AppUpContract.VolumeName, AppUpContract.MountPath, new JsonObject { ["hostPath"] = new JsonObject { ["path"] = "/srv/appup" } }),
        (ProaContract.VolumeName, "/opt/proa", new JsonObject { ["emptyDir"] = new JsonObject() }),
    ];

    private static readonly string[] EnvNames = ["E_A", "E_B", "HOME", "LOG_LEVEL", ProaContract.PodNameVariable, "DATABASE_URL"];

    public static readonly Gen<JsonObject> Env =
        Gen.Select(Gen.Int[0, EnvNames.Length - 1], Gen.String[Gen.Char["abc/~:= é"], 0, 8])
            .Select((i, value) => new JsonObject { ["name"] = EnvNames[i], ["value"] = "user-" + value });

    public static readonly Gen<JsonObject> Container =
        from variant in Gen.Int[0, 3]
        from env in Env.Array[0, 4]
        from ports in Gen.Int[0, 9].Select(i => new[] { 80, 443, 8080, 8443, 3000, 5000, 7000, 9090, 8099, 9999 }[i]).Array[0, 2]
        from hasCommand in Gen.Bool
        from hasArgs in Gen.Bool
        from readiness in Gen.Int[0, 2]
        from liveness in Gen.Bool
        from preStop in Gen.Int[0, 4]
        from mounts in Gen.Int[0, 2].Array[0, 3]
        from unknown in Gen.Bool
        select Build(variant, env, ports, hasCommand, hasArgs, readiness, liveness, preStop, mounts, unknown);

    private static JsonObject Build(int variant, JsonObject[] env, int[] ports, bool hasCommand, bool hasArgs, int readiness, bool liveness, int preStop, int[] mounts, bool unknown)
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

        if (readiness == 1)
        {
            c["readinessProbe"] = new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = 8080 } };
        }
        else if (readiness == 2)
        {
            c["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/ready", ["port"] = 8080, ["scheme"] = "HTTP" }, ["periodSeconds"] = 5 };
        }

        if (liveness)
        {
            c["livenessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/live", ["port"] = 8080 } };
        }

        if (preStop == 1)
        {
            c["lifecycle"] = new JsonObject { ["preStop"] = new JsonObject { ["exec"] = new JsonObject { ["command"] = new JsonArray("/bin/drain") } } };
        }
        else if (preStop == 2)
        {
            c["lifecycle"] = new JsonObject { ["postStart"] = new JsonObject { ["exec"] = new JsonObject { ["command"] = new JsonArray("/bin/warm") } } };
        }

        if (mounts.Length > 0)
        {
            c["volumeMounts"] = new JsonArray(mounts.Distinct().Select(i => (JsonNode)new JsonObject { ["name"] = UserVolumes[i].Name, ["mountPath"] = UserVolumes[i].Path }).ToArray());
        }

        if (unknown)
        {
            c["x-future-field"] = new JsonObject { ["nested"] = new JsonArray(1, "two", null) };
        }

        return c;
    }

    /// <summary>The opt-in annotation's value: any subset of the sidecars in any case, or a way of saying none.</summary>
    public static readonly Gen<string> InjectValue =
        from mask in Gen.Int[0, 7]
        from style in Gen.Int[0, 19]
        select style switch
        {
            0 => "false",
            1 => "none",
            2 => "",
            3 => string.Join(", ", SidecarNames.All.Where((_, i) => (mask & (1 << i)) != 0).Select(s => s.ToUpperInvariant())),
            _ => string.Join(",", SidecarNames.All.Where((_, i) => (mask & (1 << i)) != 0)),
        };

    private static JsonObject Assemble(
        JsonObject[] containers, int initCount, int collision, bool tokenMounted, bool automountOff, bool serviceAccount, string inject, int modeChoice,
        int annotationChoice, int[] targets, string extraKey, string? status)
    {
        var spec = new JsonObject();
        var cs = new JsonArray();
        for (int i = 0; i < containers.Length; i++)
        {
            containers[i]["name"] = "c" + i;
            cs.Add((JsonNode)containers[i]);
        }

        // A user container named like one of ours, with an image that is not ours (never the first one).
        if (collision is >= 1 and <= 3 && containers.Length > 1)
        {
            var name = new[] { AppUpContract.ContainerName, ShawarmaContract.ContainerName, ProaContract.InitContainerName }[collision - 1];
            containers[^1]["name"] = name;
            containers[^1]["image"] = $"example.com/mine/{name}:1";
        }

        spec["containers"] = cs;
        if (initCount > 0)
        {
            var inits = new JsonArray();
            for (int i = 0; i < initCount; i++)
            {
                var init = new JsonObject { ["name"] = "init" + i, ["image"] = "busybox", ["command"] = new JsonArray("true") };
                if (i == 1)
                {
                    init["restartPolicy"] = "Always"; // another injector's native sidecar
                }

                inits.Add((JsonNode)init);
            }

            spec["initContainers"] = inits;
        }

        if (collision == 5)
        {
            // A user volume and mount with one of our names (and our mount path), but not our volume.
            if (containers[0]["volumeMounts"] is not JsonArray own)
            {
                own = [];
                containers[0]["volumeMounts"] = own;
            }

            own.Add(new JsonObject { ["name"] = AppUpContract.VolumeName, ["mountPath"] = AppUpContract.MountPath });
        }

        var used = containers.SelectMany(c => c["volumeMounts"] is JsonArray m ? m.Select(x => x!["name"]!.GetValue<string>()) : []).ToHashSet();
        var volumes = new JsonArray();
        foreach (var (name, _, source) in UserVolumes.Where(v => used.Contains(v.Name) || (collision == 4 && v.Name == ProaContract.VolumeName)))
        {
            var volume = new JsonObject { ["name"] = name };
            foreach (var (key, value) in source)
            {
                volume[key] = value?.DeepClone();
            }

            volumes.Add((JsonNode)volume);
        }

        if (tokenMounted && !automountOff)
        {
            // What the ServiceAccount admission plugin did before the webhooks ran.
            volumes.Add((JsonNode)ApiServer.ServiceAccountPlugin.TokenVolume(ServiceAccountVolume));
            foreach (var container in PodEditorItems(spec, "initContainers").Concat(containers))
            {
                if (container["volumeMounts"] is not JsonArray mounts)
                {
                    mounts = [];
                    container["volumeMounts"] = mounts;
                }

                mounts.Add(new JsonObject { ["name"] = ServiceAccountVolume, ["readOnly"] = true, ["mountPath"] = ApiServer.ServiceAccountPlugin.MountPath });
            }
        }

        if (volumes.Count > 0)
        {
            spec["volumes"] = volumes;
        }

        if (automountOff)
        {
            spec["automountServiceAccountToken"] = false;
        }

        if (serviceAccount)
        {
            spec["serviceAccountName"] = "web";
        }

        var names = containers.Select(c => c["name"]!.GetValue<string>()).ToList();
        var annotations = new JsonObject
        {
            [AnnotationKeys.Inject] = inject,
            ["example.com/" + extraKey] = "kept",
        };
        switch (annotationChoice & 3)
        {
            case 0:
                break; // shawarma's annotations absent
            case 1:
                annotations[AnnotationKeys.LegacyShawarmaServiceLabels] = "app=web";
                break;
            default:
                annotations[AnnotationKeys.ShawarmaService] = "web";
                break;
        }

        if ((annotationChoice & 4) != 0)
        {
            annotations[AnnotationKeys.ProaCommand] = "/bin/entry --serve";
        }

        if ((annotationChoice & 8) != 0)
        {
            annotations[AnnotationKeys.ProaContainer] = targets[0] < names.Count ? names[targets[0]] : targets[0] == 7 ? "missing" : names[0];
        }

        if ((annotationChoice & 16) != 0)
        {
            annotations[AnnotationKeys.AppUpContainer] = targets[1] < names.Count ? names[targets[1]] : targets[1] == 7 ? "missing" : names[0];
        }

        if ((annotationChoice & 32) != 0)
        {
            annotations[AnnotationKeys.AppUpPort] = " 9000 ";
        }

        if (modeChoice > 0)
        {
            annotations[AnnotationKeys.Mode] = modeChoice switch { 1 => "native", 2 => "Classic", _ => "classic" };
        }

        if (status is not null)
        {
            annotations[AnnotationKeys.Status] = status;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["generateName"] = "web-", ["annotations"] = annotations, ["labels"] = new JsonObject { ["app"] = "web" } },
            ["spec"] = spec,
        };
    }

    private static IEnumerable<JsonObject> PodEditorItems(JsonObject spec, string key) =>
        spec[key] is JsonArray a ? a.OfType<JsonObject>() : [];

    private static readonly string[] StatusContainers = ["istio-proxy", AppUpContract.ContainerName, ShawarmaContract.ContainerName, "c0", "c1", "init1"];
    private static readonly string[] StatusInitContainers = ["istio-init", ProaContract.InitContainerName, AppUpContract.ContainerName, "init0"];
    private static readonly string[] StatusVolumes = ["istio-envoy", AppUpContract.VolumeName, ProaContract.VolumeName, ServiceAccountContract.TokenVolumeName, "data", ServiceAccountVolume];
    private static readonly string[] StatusFields = ["securityContext", "readinessProbe", "lifecycle.preStop", "command", "args", "image", "env"];
    private static readonly string[] StatusEnv = ["HOME", ProaContract.PodNameVariable, ProaContract.PodNamespaceVariable, ProaContract.ContainerNameVariable, "E_A"];
    private static readonly string[] StatusMounts = ["data", AppUpContract.VolumeName, ProaContract.VolumeName, ServiceAccountContract.TokenVolumeName, ServiceAccountVolume];

    private static readonly JsonNode?[] FieldValues =
    [
        null,
        new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = 1 } },
        new JsonArray("/bin/evil"),
        new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/ready", ["port"] = 8080, ["scheme"] = "HTTP" }, ["periodSeconds"] = 5 },
        new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/health", ["port"] = 9999 } },
        "text",
    ];

    /// <summary>A forged status: names of ours, of the user's and of other injectors, any field, wrong types.</summary>
    public static readonly Gen<string> ForgedStatus =
        from containers in Gen.Int[0, StatusContainers.Length - 1].Array[0, 3]
        from inits in Gen.Int[0, StatusInitContainers.Length - 1].Array[0, 3]
        from volumes in Gen.Int[0, StatusVolumes.Length - 1].Array[0, 3]
        from target in Gen.Int[0, 3]
        from fields in Gen.Select(Gen.Int[0, StatusFields.Length - 1], Gen.Int[0, FieldValues.Length - 1]).Array[0, 4]
        from wrote in Gen.Select(Gen.Int[0, StatusFields.Length - 1], Gen.Int[0, FieldValues.Length - 1]).Array[0, 2]
        from env in Gen.Int[0, StatusEnv.Length - 1].Array[0, 3]
        from mounts in Gen.Int[0, StatusMounts.Length - 1].Array[0, 3]
        from version in Gen.Int[0, 2]
        select ForgedJson(containers, inits, volumes, target, fields, wrote, env, mounts, version);

    private static string ForgedJson(int[] containers, int[] inits, int[] volumes, int target, (int, int)[] fields, (int, int)[] wrote, int[] env, int[] mounts, int version)
    {
        var set = new JsonObject();
        foreach (var (f, v) in fields)
        {
            set[StatusFields[f]] = FieldValues[v]?.DeepClone();
        }

        var written = new JsonObject();
        foreach (var (f, v) in wrote)
        {
            written[StatusFields[f]] = FieldValues[v]?.DeepClone();
        }

        var status = new JsonObject
        {
            ["revision"] = "0123456789ab",
            ["sidecars"] = new JsonArray(AppUpContract.ContainerName, "envoy"),
            ["containers"] = new JsonArray(containers.Select(i => (JsonNode?)StatusContainers[i]).ToArray()),
            ["initContainers"] = new JsonArray(inits.Select(i => (JsonNode?)StatusInitContainers[i]).ToArray()),
            ["volumes"] = new JsonArray(volumes.Select(i => (JsonNode?)StatusVolumes[i]).ToArray()),
            ["targets"] = new JsonObject
            {
                [target == 3 ? "nobody" : "c" + target] = new JsonObject
                {
                    ["set"] = set,
                    ["wrote"] = written,
                    ["env"] = new JsonArray(env.Select(i => (JsonNode?)StatusEnv[i]).ToArray()),
                    ["volumeMounts"] = new JsonArray(mounts.Select(i => (JsonNode?)StatusMounts[i]).ToArray()),
                },
            },
        };
        if (version > 0)
        {
            status["version"] = version + 1;
            status["injected"] = new JsonObject { [AppUpContract.ContainerName] = new JsonObject { ["image"] = "example.com/mine/appup:1", ["hash"] = "x" } };
        }

        return status.ToJsonString();
    }

    /// <summary>Text in the status annotation: none, forged, or not a status at all.</summary>
    public static readonly Gen<string?> Status =
        Gen.Frequency(
            (6, Gen.Const((string?)null)),
            (3, ForgedStatus.Select(s => (string?)s)),
            (1, Gen.String[Gen.Char["{}[]\":,0123456789abcnul \\"], 0, 40].Select(s => (string?)s)));

    // Declared last: static fields initialise in order, and this one composes the ones above.
    /// <summary>A fresh pod: nothing in it was added by the injector.</summary>
    public static readonly Gen<JsonObject> Pod =
        from containers in Container.Array[1, 4]
        from initCount in Gen.Int[0, 2]
        from collision in Gen.Int[0, 15]
        from tokenMounted in Gen.Bool
        from automountOff in Gen.Int[0, 3]
        from serviceAccount in Gen.Bool
        from inject in InjectValue
        from modeChoice in Gen.Int[0, 3]
        from annotationChoice in Gen.Int[0, 63]
        from targets in Gen.Int[0, 7].Array[2]
        from extraKey in Gen.String[Gen.Char["abc/~."], 1, 8]
        from status in Status
        select Assemble(containers, initCount, collision, tokenMounted, automountOff == 0, serviceAccount, inject, modeChoice, annotationChoice, targets, extraKey, status);
}
