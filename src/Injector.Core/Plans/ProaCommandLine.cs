using System.Text.Json.Nodes;
using Injector.Core.Engine;

namespace Injector.Core.Plans;

/// <summary>
/// proa's wrap of a container's command line: <c>command: [/sidecars/proa/proa]</c>,
/// <c>args: [--shutdown-http-get URL]... [--shutdown-http-post URL]... -- original command and args</c>.
/// Unwrapping reads the current args after <c>--</c>, so edits made to a copied pod's command line survive.
/// </summary>
internal static class ProaCommandLine
{
    /// <summary>True when the container's command line has exactly the shape proa's wrap gives it.</summary>
    public static bool IsWrapped(JsonObject container) => TailStart(container) >= 0;

    /// <summary>
    /// The command and args as the user wrote them. The recorded originals only say where the command ends: with a
    /// recorded command of n elements, the first n after <c>--</c> are the command; without one (the command came
    /// from the annotation), the last elements, as many as the recorded args, are the args.
    /// </summary>
    public static (JsonArray? Command, JsonArray? Args) Unwrap(JsonObject container, JsonNode? recordedCommand, JsonNode? recordedArgs)
    {
        var start = TailStart(container);
        var args = (JsonArray)container["args"]!;
        var tail = new List<JsonNode?>(args.Count - start);
        for (int i = start; i < args.Count; i++)
        {
            tail.Add(args[i]?.DeepClone());
        }

        var recordedArgsCount = recordedArgs is JsonArray ra ? ra.Count : 0;
        if (recordedCommand is JsonArray rc)
        {
            var split = Math.Min(rc.Count, tail.Count);
            var command = new JsonArray(tail.Take(split).ToArray());
            var rest = tail.Skip(split).ToArray();
            return (command, rest.Length == 0 && recordedArgs is null ? null : new JsonArray(rest));
        }

        var argsStart = Math.Max(0, tail.Count - recordedArgsCount);
        var remaining = tail.Skip(argsStart).ToArray();
        return (null, remaining.Length == 0 && recordedArgs is null ? null : new JsonArray(remaining));
    }

    /// <summary>Index in args of the first element after <c>--</c>, or -1 when the command line is not proa's wrap.</summary>
    private static int TailStart(JsonObject container)
    {
        if (container["command"] is not JsonArray { Count: 1 } command || JsonValues.Text(command[0]) != ProaContract.BinaryPath ||
            container["args"] is not JsonArray args)
        {
            return -1;
        }

        var i = 0;
        while (i + 1 < args.Count && JsonValues.Text(args[i]) is ProaContract.ShutdownHttpGetOption or ProaContract.ShutdownHttpPostOption)
        {
            i += 2;
        }

        return i < args.Count && JsonValues.Text(args[i]) == ProaContract.CommandSeparator ? i + 1 : -1;
    }
}
