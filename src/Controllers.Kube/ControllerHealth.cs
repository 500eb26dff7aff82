namespace Controllers.Kube;

/// <summary>Named checks behind <c>/healthz</c> (liveness) and <c>/readyz</c> (readiness).</summary>
public sealed class ControllerHealth
{
    private readonly List<(string Name, Func<bool> Check)> _live = [];
    private readonly List<(string Name, Func<bool> Check)> _ready = [];

    public void AddLiveness(string name, Func<bool> check) => _live.Add((name, check));

    public void AddReadiness(string name, Func<bool> check) => _ready.Add((name, check));

    /// <summary>Null when all pass, else the names that fail.</summary>
    public string? Live() => Failing(_live);

    public string? Ready() => Failing(_ready) is { } f ? f : Failing(_live);

    private static string? Failing(List<(string Name, Func<bool> Check)> checks)
    {
        var failing = checks.Where(c => !Safe(c.Check)).Select(c => c.Name).ToList();
        return failing.Count == 0 ? null : string.Join(", ", failing);
    }

    private static bool Safe(Func<bool> check)
    {
        try
        {
            return check();
        }
        catch (Exception)
        {
            return false;
        }
    }
}
