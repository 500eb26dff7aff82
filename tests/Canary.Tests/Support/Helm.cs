using System.Diagnostics;

namespace Canary.Tests.Support;

/// <summary>Runs helm (from .tools/bin, installed by hack/install-tools, or PATH) and the repository's scripts.</summary>
internal static class Helm
{
    public static string Binary
    {
        get
        {
            var local = Repo.PathOf(".tools", "bin", "helm");
            if (File.Exists(local))
            {
                return local;
            }

            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            {
                var candidate = Path.Combine(dir, "helm");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("helm not found: run ./hack/install-tools (./hack/test does)");
        }
    }

    public static string Template(params string[] sets)
    {
        var args = new List<string> { "template", "injector", Repo.PathOf("charts", "injector"), "--namespace", "sidecars-system" };
        foreach (var s in sets)
        {
            args.Add("--set");
            args.Add(s);
        }

        var (code, stdout, stderr) = Run(Binary, args);
        Assert.True(code == 0, stderr);
        return stdout;
    }

    public static (int Code, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in 120 s");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
