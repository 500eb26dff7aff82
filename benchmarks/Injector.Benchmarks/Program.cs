using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Perfolizer.Horology;

namespace Injector.Benchmarks;

/// <summary>
/// <code>
/// Injector.Benchmarks reviews DIR            write small.json, large.json and the handler's responses to them
/// Injector.Benchmarks engine [--short] [--out FILE.tsv] [--artifacts DIR]
///                                            BenchmarkDotNet over EngineBenchmarks; TSV: name mean_ns error_ns allocated_bytes
/// Injector.Benchmarks loop small|large SECONDS
///                                            call the handler in a loop (for perf / dotnet-trace), print ns/op
/// </code>
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        switch (args)
        {
            case ["reviews", var dir]:
                return WriteReviews(dir);
            case ["engine", .. var rest]:
                return RunEngine(rest);
            case ["loop", var which, var seconds]:
                return Loop(which, double.Parse(seconds, CultureInfo.InvariantCulture));
            default:
                Console.Error.WriteLine("usage: Injector.Benchmarks reviews DIR | engine [--short] [--out FILE] [--artifacts DIR] | loop small|large SECONDS");
                return 2;
        }
    }

    private static int WriteReviews(string dir)
    {
        Directory.CreateDirectory(dir);
        var handler = new AdmissionReviewHandler(new InjectionEngine());
        foreach (var (name, review) in new[] { ("small", Reviews.Small()), ("large", Reviews.Large()) })
        {
            File.WriteAllBytes(Path.Combine(dir, name + ".json"), review);
            var outcome = handler.Handle(review, InjectorConfig.Default);
            if (outcome.StatusCode != 200)
            {
                Console.Error.WriteLine($"{name}: handler answered {outcome.StatusCode}: {Encoding.UTF8.GetString(outcome.Body)}");
                return 1;
            }

            File.WriteAllBytes(Path.Combine(dir, name + ".response.json"), outcome.Body);
        }

        return 0;
    }

    private static int RunEngine(string[] args)
    {
        bool shortRun = args.Contains("--short");
        string? output = ValueOf(args, "--out");
        string artifacts = ValueOf(args, "--artifacts") ?? Path.Combine(Path.GetTempPath(), "injector-bdn");

        // In-process: no generated project to build, so it works from any output folder and takes seconds.
        // Fixed iteration counts and times instead of BenchmarkDotNet's adaptive defaults: the same amount of work
        // on every run, which keeps runs comparable on a shared machine.
        var job = shortRun
            ? Job.Default.WithWarmupCount(1).WithIterationCount(3).WithIterationTime(TimeInterval.FromMilliseconds(100))
            : Job.Default.WithWarmupCount(6).WithIterationCount(20).WithIterationTime(TimeInterval.FromMilliseconds(250));
        job = job.WithToolchain(InProcessEmitToolchain.Instance).WithId(shortRun ? "short" : "bench");
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<EngineBenchmarks>(config);

        var lines = new StringBuilder("name\tmean_ns\terror_ns\tallocated_bytes\n");
        int failed = 0;
        foreach (var report in summary.Reports)
        {
            var name = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            if (!report.Success || report.ResultStatistics is null)
            {
                failed++;
                continue;
            }

            var stats = report.ResultStatistics;
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
            lines.Append(CultureInfo.InvariantCulture, $"{name}\t{stats.Mean:F1}\t{stats.ConfidenceInterval.Margin:F1}\t{allocated}\n");
        }

        if (output is not null)
        {
            File.WriteAllText(output, lines.ToString());
        }
        else
        {
            Console.Write(lines.ToString());
        }

        return failed == 0 && summary.Reports.Length > 0 ? 0 : 1;
    }

    private static int Loop(string which, double seconds)
    {
        var review = which == "large" ? Reviews.Large() : Reviews.Small();
        var handler = new AdmissionReviewHandler(new InjectionEngine());
        var config = InjectorConfig.Default;
        var sw = Stopwatch.StartNew();
        long n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 1000; i++)
            {
                handler.Handle(review, config);
            }

            n += 1000;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{which}: {n} reviews, {sw.Elapsed.TotalMilliseconds * 1e6 / n:F0} ns/review"));
        return 0;
    }

    private static string? ValueOf(string[] args, string flag)
    {
        int i = Array.IndexOf(args, flag);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
