using System.Text.Json.Nodes;

namespace Injector.Core.Configuration;

/// <summary>Per-sidecar settings from the config file.</summary>
public sealed record SidecarSettings(string Image, JsonObject? Resources);
