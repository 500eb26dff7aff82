using System.Net;
using System.Net.Sockets;

namespace TestKit;

/// <summary>
/// A loopback port that was free a moment ago (bind to 0, read, release). Prefer letting a server bind port 0 itself
/// and reading the port back; use this only for programs that must be told a port up front.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
