using System.Text.Json;
using Injector.Core.Admission;
using Injector.Core.Plans;

namespace Injector.Core.Engine;

/// <summary>
/// What the appup fast path needs to know about its target container, read from the container's unread bytes
/// without parsing them into nodes: whether it has a lifecycle (without preStop) and volumeMounts, in which order,
/// and how many mounts. <see cref="TryScan"/> fails for anything that is not a plain fresh target, so the tree path
/// answers it: a readinessProbe or preStop the user set (kept, with a warning), a mount already at appup's path (a
/// denial), a null where an object or list is expected, or a duplicate key at any depth (the tree path opens the
/// container and may refuse it).
/// </summary>
internal readonly struct AppUpTargetShape
{
    private enum Section
    {
        None,
        Lifecycle,
        VolumeMounts,
        MountPath,
    }

    public bool HasLifecycle { get; private init; }

    public bool HasVolumeMounts { get; private init; }

    /// <summary>Both present, lifecycle first (the patch names existing fields in the container's key order).</summary>
    public bool LifecycleFirst { get; private init; }

    public int MountCount { get; private init; }

    public static bool TryScan(ReadOnlySpan<byte> container, out AppUpTargetShape shape)
    {
        shape = default;
        var keys = DuplicateKeys.Rent();
        try
        {
            var reader = new Utf8JsonReader(container, new JsonReaderOptions { MaxDepth = AdmissionRequestReader.MaxDepth });
            var section = Section.None;
            var pending = Section.None;
            int lifecycleAt = -1, mountsAt = -1, fields = 0, mounts = 0;
            while (reader.Read())
            {
                var depth = reader.CurrentDepth;
                var token = reader.TokenType;
                if (token == JsonTokenType.PropertyName)
                {
                    if (!keys.Add(ref reader))
                    {
                        return false;
                    }

                    pending = Section.None;
                    if (depth == 1)
                    {
                        section = Section.None;
                        fields++;
                        if (reader.ValueTextEquals("readinessProbe"u8))
                        {
                            return false;
                        }

                        pending = reader.ValueTextEquals("lifecycle"u8) ? Section.Lifecycle
                            : reader.ValueTextEquals("volumeMounts"u8) ? Section.VolumeMounts
                            : Section.None;
                    }
                    else if (depth == 2 && section == Section.Lifecycle && reader.ValueTextEquals("preStop"u8))
                    {
                        return false;
                    }
                    else if (depth == 3 && section == Section.VolumeMounts && reader.ValueTextEquals("mountPath"u8))
                    {
                        pending = Section.MountPath;
                    }

                    continue;
                }

                switch (pending)
                {
                    case Section.Lifecycle when token != JsonTokenType.StartObject:
                    case Section.VolumeMounts when token != JsonTokenType.StartArray:
                    case Section.MountPath when token == JsonTokenType.String && reader.ValueTextEquals(AppUpPlan.MountPath):
                        return false;
                    case Section.Lifecycle:
                        section = Section.Lifecycle;
                        lifecycleAt = fields;
                        break;
                    case Section.VolumeMounts:
                        section = Section.VolumeMounts;
                        mountsAt = fields;
                        break;
                }

                pending = Section.None;
                if (section == Section.VolumeMounts && depth == 2 && token is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
                {
                    mounts++;
                }

                if (token == JsonTokenType.StartObject)
                {
                    keys.Open();
                }
                else if (token == JsonTokenType.EndObject)
                {
                    keys.Close();
                }
            }

            shape = new AppUpTargetShape
            {
                HasLifecycle = lifecycleAt >= 0,
                HasVolumeMounts = mountsAt >= 0,
                LifecycleFirst = lifecycleAt >= 0 && lifecycleAt < mountsAt,
                MountCount = mounts,
            };
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            keys.Return();
        }
    }
}
