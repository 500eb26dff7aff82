using System.Text.Encodings.Web;
using System.Text.Json;
using Rollout.Execution;
using Rollout.Planning;
using Rollout.Selection;
using Rollout.Waiting;

namespace Rollout.Output;

/// <summary>
/// For pipelines: one JSON object per line on stdout per event (<c>log</c>, <c>plan</c>, <c>rollout.started</c>,
/// <c>rollout.patched</c>, <c>rollout.progress</c>, <c>rollout.finished</c>), and a last <c>summary</c> object with
/// every row and the exit code. Every object has <c>time</c> (RFC 3339 UTC), <c>level</c> and <c>event</c>.
/// </summary>
public sealed class JsonReporter : IRunReporter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly TextWriter _out;
    private readonly Verbosity _level;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    public JsonReporter(TextWriter stdout, Verbosity level, TimeProvider time)
    {
        _out = stdout;
        _level = level;
        _time = time;
    }

    public void Log(Verbosity level, string message) =>
        Write(level, "log", w => w.WriteString("message", message));

    public void Plan(SelectionResult selection, IReadOnlyList<PlannedRestart> plans, bool willRestart)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(plans);
        foreach (var plan in plans)
        {
            Write(plan.Warnings.Count > 0 ? Verbosity.Warn : Verbosity.Info, "plan", w =>
            {
                WriteWorkload(w, plan.Workload);
                w.WriteString("action", plan.Restart ? (willRestart ? "restart" : "would restart") : "skip");
                w.WriteNumber("pods", plan.Selected.MatchedPods);
                WriteStrings(w, "reasons", plan.Selected.Reasons);
                if (plan.SkipReason is not null)
                {
                    w.WriteString("skipReason", plan.SkipReason);
                }

                WriteStrings(w, "warnings", plan.Warnings);
            });
        }
    }

    public void RolloutStarted(PlannedRestart plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Write(Verbosity.Info, "rollout.started", w =>
        {
            WriteWorkload(w, plan.Workload);
            w.WriteString("reason", plan.Selected.Because);
        });
    }

    public void Patched(WorkloadRef workload, long generation, bool dryRun) =>
        Write(Verbosity.Debug, "rollout.patched", w =>
        {
            WriteWorkload(w, workload);
            w.WriteNumber("generation", generation);
            w.WriteBoolean("dryRun", dryRun);
        });

    public void Progress(WorkloadRef workload, RolloutProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Write(Verbosity.Debug, "rollout.progress", w =>
        {
            WriteWorkload(w, workload);
            w.WriteString("state", progress.State.ToString().ToLowerInvariant());
            w.WriteString("message", progress.Message);
        });
    }

    public void RolloutFinished(RolloutOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var level = outcome.Result switch
        {
            RolloutResult.Failed => Verbosity.Error,
            RolloutResult.TimedOut or RolloutResult.NotStarted => Verbosity.Warn,
            _ => Verbosity.Info,
        };
        Write(level, "rollout.finished", w =>
        {
            WriteWorkload(w, outcome.Workload);
            w.WriteString("result", RunSummary.ResultName(outcome.Result));
            w.WriteString("detail", outcome.Detail);
            w.WriteNumber("seconds", Math.Round(outcome.Elapsed.TotalSeconds, 3));
        });
    }

    public void Summary(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Write(Verbosity.Info, "summary", w =>
        {
            w.WriteBoolean("dryRun", summary.DryRun);
            w.WriteNumber("exitCode", summary.ExitCode);
            w.WriteNumber("seconds", Math.Round(summary.Elapsed.TotalSeconds, 3));
            w.WriteStartObject("counts");
            foreach (var result in RunSummary.Order)
            {
                w.WriteNumber(result.Replace(' ', '_'), summary.Count(result));
            }

            w.WriteEndObject();
            w.WriteStartArray("rows");
            foreach (var row in summary.Rows)
            {
                w.WriteStartObject();
                w.WriteString("result", row.Result);
                w.WriteString("subject", row.Subject);
                w.WriteString("reason", row.Reason);
                w.WriteString("detail", row.Detail);
                if (row.Elapsed is { } elapsed)
                {
                    w.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }, always: true);
    }

    private void Write(Verbosity level, string name, Action<Utf8JsonWriter> fields, bool always = false)
    {
        if (!always && level < _level)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("time", RestartPatch.Timestamp(_time.GetUtcNow()));
            w.WriteString("level", level.ToString().ToLowerInvariant());
            w.WriteString("event", name);
            fields(w);
            w.WriteEndObject();
        }

        var line = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        lock (_gate)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }

    private static void WriteWorkload(Utf8JsonWriter w, WorkloadRef workload)
    {
        w.WriteString("kind", workload.Kind.ToString());
        w.WriteString("namespace", workload.Namespace);
        w.WriteString("name", workload.Name);
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
