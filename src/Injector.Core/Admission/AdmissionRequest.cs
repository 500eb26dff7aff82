using System.Text.Json.Nodes;

namespace Injector.Core.Admission;

/// <summary>
/// What <see cref="AdmissionRequestReader"/> found in one AdmissionReview: the envelope fields the handler checks,
/// and the pod as a sparse tree (see the reader). Every field is null when absent or not a string.
/// </summary>
internal sealed class AdmissionRequest
{
    /// <summary>Why the body is not JSON (the reader's message), or null.</summary>
    public string? SyntaxError { get; set; }

    public bool RootIsObject { get; set; }

    /// <summary>A key repeated in the review's envelope (the review, its request or request.kind).</summary>
    public bool EnvelopeHasDuplicate { get; set; }

    /// <summary>A key repeated in a part of the pod the engine reads.</summary>
    public bool PodHasDuplicate { get; set; }

    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public bool HasRequest { get; set; }

    public string? Uid { get; set; }

    public bool RequestKindIsObject { get; set; }

    public string? RequestKindGroup { get; set; }

    public string? RequestKindKind { get; set; }

    public string? Namespace { get; set; }

    public string? Operation { get; set; }

    /// <summary>request.object when it is an object: the sparse pod.</summary>
    public JsonObject? Pod { get; set; }
}
