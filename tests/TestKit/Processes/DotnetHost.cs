namespace TestKit.Processes;

/// <summary>The dotnet host that runs the tests, so child programs run on the same runtime.</summary>
public static class DotnetHost
{
    public static string Path
    {
        get
        {
            // `dotnet test` sets DOTNET_HOST_PATH; under other runners the test host usually is dotnet itself.
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
            {
                return host;
            }

            var self = Environment.ProcessPath;
            return self is not null && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
    }
}
