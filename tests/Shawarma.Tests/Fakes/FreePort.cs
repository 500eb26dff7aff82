using System.Net;
using System.Net.Sockets;

namespace Shawarma.Tests.Fakes;

internal static class FreePort
{
    /// <summary>A port that was free a moment ago (bind to 0, read, release).</summary>
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
