namespace Sidecars.Contract;

/// <summary>The sidecars the injector knows, in the order they are injected.</summary>
public static class SidecarNames
{
    public const string AppUp = "appup";
    public const string Shawarma = "shawarma";
    public const string Proa = "proa";

    public static IReadOnlyList<string> All { get; } = [AppUp, Shawarma, Proa];
}
