using System.Text.Json.Nodes;

namespace Injector.Core.Yaml;

/// <summary>
/// One document of a YAML (or JSON) stream: its 1-based <see cref="Index"/> among the documents that have content,
/// the <see cref="Line"/> where its content starts, and either its <see cref="Node"/> or the <see cref="Error"/>
/// that kept it from being read. Other documents of the stream are read regardless, as kubectl reads them.
/// </summary>
public sealed record YamlStreamDocument(int Index, int Line, JsonNode? Node, YamlJsonException? Error);
