namespace Rollout.Selection;

/// <summary>Times from KubernetesClient models as UTC instants, whatever <see cref="DateTime.Kind"/> they carry.</summary>
public static class KubeTime
{
    public static DateTimeOffset Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc), TimeSpan.Zero),
    };
}
