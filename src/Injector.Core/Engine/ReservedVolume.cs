using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>
/// A volume a plan adds: its name, exactly what it looks like, and where the plan mounts it in the target. A volume
/// of that name is only taken for the injector's when it still has this shape.
/// </summary>
public sealed class ReservedVolume(string name, string mountPath, JsonObject source)
{
    public string Name { get; } = name;

    public string MountPath { get; } = mountPath;

    /// <summary>The volume as the plan writes it.</summary>
    public JsonObject Create()
    {
        var volume = new JsonObject { ["name"] = Name };
        for (int i = 0; i < source.Count; i++)
        {
            var (key, value) = source.GetAt(i);
            volume[key] = value?.DeepClone();
        }

        return volume;
    }

    /// <summary>Whether <paramref name="volume"/> still is what the plan writes (the API server may add defaults).</summary>
    public bool Matches(JsonObject volume) => JsonValues.Contains(volume, source);
}
