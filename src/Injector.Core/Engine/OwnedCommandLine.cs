using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>A command line proa wrapped, with the originals recorded then (used to split it back into command and args).</summary>
internal sealed class OwnedCommandLine(JsonNode? recordedCommand, JsonNode? recordedArgs)
{
    public JsonNode? RecordedCommand { get; } = recordedCommand;

    public JsonNode? RecordedArgs { get; } = recordedArgs;

    public bool Claimed { get; set; }
}
