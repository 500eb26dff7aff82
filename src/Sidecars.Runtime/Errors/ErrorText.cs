using System.ComponentModel;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text.Json;

namespace Sidecars.Runtime.Errors;

/// <summary>
/// Words for the runtime's exceptions. The sidecars are published with UseSystemResourceKeys, which replaces the
/// BCL's messages with resource keys such as <c>IO_PathNotFound_Path</c>; so the message of an exception we did not
/// throw is never printed. Each text is a lower-case clause meant to follow "cannot do X: ".
/// </summary>
public static class ErrorText
{
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            SidecarException own => own.Message,
            AggregateException { InnerExceptions.Count: > 0 } many => Describe(many.InnerExceptions[0]),
            FileNotFoundException => "the file does not exist",
            DirectoryNotFoundException => "a directory on the path does not exist",
            PathTooLongException => "the path is too long",
            UnauthorizedAccessException => "permission denied",
            IOException io => DescribeIo(io),
            SocketException socket => Describe(socket.SocketErrorCode),
            HttpRequestException http => DescribeHttp(http),
            AuthenticationException => "the TLS handshake failed (check the server's CA and the client certificate)",
            TimeoutException => "no answer in time",
            OperationCanceledException => "no answer in time",
            CryptographicException => "not a valid certificate or key",
            JsonException json => json.LineNumber is { } line
                ? $"malformed JSON (line {line + 1}, byte {json.BytePositionInLine + 1})"
                : "malformed JSON",
            FormatException => "a value is not in the expected format",
            Win32Exception native => DescribeErrno(native.NativeErrorCode),
            OutOfMemoryException or InsufficientExecutionStackException => "not enough memory",
            _ => $"unexpected {exception.GetType().Name}",
        };
    }

    public static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset by the peer",
        SocketError.ConnectionAborted => "connection aborted",
        SocketError.TimedOut => "connection timed out",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name could not be resolved",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable or SocketError.NetworkDown => "network unreachable",
        SocketError.AddressAlreadyInUse => "the address is already in use",
        SocketError.AddressNotAvailable => "the address is not available on this machine",
        SocketError.AccessDenied => "permission denied",
        SocketError.TooManyOpenSockets => "too many open files",
        SocketError.Shutdown or SocketError.NotConnected => "the connection is closed",
        _ => $"socket error {error}",
    };

    private static string DescribeHttp(HttpRequestException e)
    {
        if (e.HttpRequestError == HttpRequestError.SecureConnectionError || e.InnerException is AuthenticationException)
        {
            return "the TLS handshake failed (check the server's CA and the client certificate)";
        }

        if (e.InnerException is SocketException socket)
        {
            return Describe(socket.SocketErrorCode);
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "the host name could not be resolved",
            HttpRequestError.ConnectionError => "could not connect",
            HttpRequestError.ResponseEnded => "the server closed the connection before answering",
            HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError => "the answer is not valid HTTP",
            HttpRequestError.ConfigurationLimitExceeded => "the answer exceeds a size limit",
            HttpRequestError.ProxyTunnelError => "the proxy refused the connection",
            _ => e.InnerException is { } inner ? Describe(inner) : "the HTTP request failed",
        };
    }

    // On Unix the runtime stores errno in IOException.HResult.
    private static string DescribeIo(IOException e) => e.HResult is > 0 and < 4096 ? DescribeErrno(e.HResult) : "input/output error";

    private static string DescribeErrno(int errno) => errno switch
    {
        1 or 13 => "permission denied",
        2 => "no such file or directory",
        5 => "input/output error",
        8 => "not an executable this system can run",
        12 => "not enough memory",
        17 => "the file already exists",
        20 => "a part of the path is not a directory",
        21 => "it is a directory",
        23 or 24 => "too many open files",
        26 => "the file is busy",
        27 => "the file is too large",
        28 => "no space left on the device",
        30 => "the file system is read-only",
        36 => "the name is too long",
        40 => "too many levels of symbolic links",
        _ => $"system error {errno}",
    };
}
