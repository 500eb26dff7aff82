using System.ComponentModel;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text.Json;
using Sidecars.Runtime.Errors;

namespace Sidecars.Runtime.Tests;

/// <summary>
/// Our words for the runtime's exceptions. The sidecars strip the BCL's messages (UseSystemResourceKeys), so these
/// texts are what a user reads; each is checked here, and none repeats the exception's own message.
/// </summary>
public sealed class ErrorTextTests
{
    public static TheoryData<Exception, string> Cases => new()
    {
        { new FileNotFoundException("IO_FileNotFound_FileName"), "the file does not exist" },
        { new DirectoryNotFoundException("IO_PathNotFound_Path"), "a directory on the path does not exist" },
        { new UnauthorizedAccessException("UnauthorizedAccess_IODenied_Path"), "permission denied" },
        { new PathTooLongException(), "the path is too long" },
        { new IOException("x", 28), "no space left on the device" },
        { new IOException("x", 21), "it is a directory" },
        { new IOException("x"), "input/output error" },
        { new SocketException((int)SocketError.ConnectionRefused), "connection refused" },
        { new SocketException((int)SocketError.AddressAlreadyInUse), "the address is already in use" },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "net_http_x"), "the host name could not be resolved" },
        { new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused)), "connection refused" },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "x"), "the TLS handshake failed (check the server's CA and the client certificate)" },
        { new HttpRequestException("x", new AuthenticationException()), "the TLS handshake failed (check the server's CA and the client certificate)" },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "x"), "the server closed the connection before answering" },
        { new TaskCanceledException(), "no answer in time" },
        { new CryptographicException("Cryptography_Der_Invalid_Encoding"), "not a valid certificate or key" },
        { new JsonException("x", "$.a", 2, 7), "malformed JSON (line 3, byte 8)" },
        { new Win32Exception(2), "no such file or directory" },
        { new Win32Exception(13), "permission denied" },
        { new Win32Exception(8), "not an executable this system can run" },
        { new AggregateException(new UnauthorizedAccessException()), "permission denied" },
        { new InvalidOperationException("Arg_SomethingInternal"), "unexpected InvalidOperationException" },
        { new SidecarException("our own sentence"), "our own sentence" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exceptions_get_our_words(Exception exception, string expected)
    {
        Assert.Equal(expected, ErrorText.Describe(exception));
        Support.Sentences.AssertOneSentence(expected);
    }
}
