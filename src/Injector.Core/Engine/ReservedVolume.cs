namespace Injector.Core.Engine;

/// <summary>A volume a plan adds: its name, the volume source it uses and where it is mounted in the target.</summary>
public sealed record ReservedVolume(string Name, string Source, string MountPath);
