namespace AppUp.Configuration;

/// <summary>Validated settings. <see cref="Port"/> 0 means "any free port" (the chosen one is logged); tests use it.</summary>
internal sealed record AppUpOptions(string File, int Port, InitialState Initial)
{
    public const string DefaultFile = "/pod/up.txt";
    public const int DefaultPort = 9999;
}
