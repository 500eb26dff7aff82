namespace Injector.Core.Engine;

/// <summary>Stable reason codes, used as metric labels and in logs.</summary>
public static class SkipReasons
{
    public const string NotOptedIn = "not-opted-in";
    public const string OptedOut = "opted-out";
    public const string NotAPod = "not-a-pod";
    public const string NotCreate = "not-create";
    public const string MirrorPod = "mirror-pod";
    public const string Unchanged = "unchanged";
    public const string InvalidAnnotation = "invalid-annotation";
    public const string InvalidPod = "invalid-pod";
    public const string Unsupported = "unsupported";
    public const string Conflict = "conflict";
    public const string Injected = "injected";
    public const string InternalError = "internal-error";
}
