namespace Sidecars.Http.Tests.Support;

/// <summary>A clock that only moves when told, so response bytes can be compared exactly.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
