namespace AppUp.State;

/// <summary>
/// Short reasons for file-system failures. UseSystemResourceKeys strips the runtime's exception texts
/// from the binary, so the common cases get words here.
/// </summary>
internal static class FileErrors
{
    public static string Describe(Exception exception) => exception switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "directory not found",
        PathTooLongException => "path too long",
        _ => exception.Message,
    };
}
