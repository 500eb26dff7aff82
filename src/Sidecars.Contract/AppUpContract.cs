namespace Sidecars.Contract;

/// <summary>What the injector sets up for AppUp and what AppUp reads.</summary>
public static class AppUpContract
{
    public const string ContainerName = "appup";
    public const string VolumeName = "sidecars-appup";
    public const string MountPath = "/sidecars/appup";
    public const string UpFilePath = MountPath + "/up.txt";
    public const int DefaultPort = 9999;

    /// <summary>The up file when <see cref="UpFileVariable"/> is unset (the original appup's default).</summary>
    public const string StandaloneUpFilePath = "/pod/up.txt";

    /// <summary>Environment variables AppUp reads.</summary>
    public const string UpFileVariable = "UP_FILE";
    public const string PortVariable = "UP_PORT";
    public const string InitialVariable = "UP_INITIAL";

    /// <summary>Values of <see cref="InitialVariable"/>: create the file at start (the default) or remove it.</summary>
    public const string InitialUp = "up";
    public const string InitialDown = "down";

    public const string UpPath = "/up";
    public const string DownPath = "/down";
    public const string HealthPath = "/health";
}
