namespace Sidecars.Contract;

/// <summary>What the injector sets up for AppUp and what AppUp reads.</summary>
public static class AppUpContract
{
    public const string ContainerName = "appup";
    public const string VolumeName = "sidecars-appup";
    public const string MountPath = "/sidecars/appup";
    public const string UpFilePath = MountPath + "/up.txt";
    public const int DefaultPort = 9999;

    /// <summary>Environment variables AppUp reads.</summary>
    public const string UpFileVariable = "UP_FILE";
    public const string PortVariable = "UP_PORT";
    public const string InitialVariable = "UP_INITIAL";

    public const string UpPath = "/up";
    public const string DownPath = "/down";
    public const string HealthPath = "/health";
}
