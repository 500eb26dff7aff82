using TestKit.Certificates;

namespace Injector.Tests.Support;

/// <summary>
/// A localhost serving certificate from the kit's throwaway CA with a chosen validity window (valid, expired, not
/// yet valid), written as PEM files as a mounted Secret holds them.
/// </summary>
internal static class TestCertificates
{
    public sealed record Pair(string Directory, string CertFile, string KeyFile, string CaFile, string Thumbprint);

    public static Pair Write(string directory, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        Directory.CreateDirectory(directory);
        using var ca = TestCertificateAuthority.Create(lifetime: TimeSpan.FromDays(400));
        using var issued = ca.IssueServer(["localhost", "127.0.0.1"], notBefore: notBefore, notAfter: notAfter);
        var (certFile, keyFile) = issued.WriteFiles(Path.Combine(directory, "tls.crt"), Path.Combine(directory, "tls.key"));
        return new Pair(directory, certFile, keyFile, ca.WriteCertificateFile(Path.Combine(directory, "ca.crt")), issued.Certificate.Thumbprint);
    }

    public static Pair Valid(string directory) => Write(directory, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30));

    public static Pair Expired(string directory) => Write(directory, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddHours(-1));

    public static Pair NotYetValid(string directory) => Write(directory, DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(30));
}
