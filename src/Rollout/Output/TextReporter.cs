using System.Globalization;
using Rollout.Execution;
using Rollout.Planning;
using Rollout.Selection;
using Rollout.Waiting;

namespace Rollout.Output;

/// <summary>
/// For people: event lines on stderr (time, level, message), tables on stdout (what would restart and why; the final
/// summary). On a terminal, stderr also carries one live progress line, redrawn in place, that is never part of
/// the output when it is redirected.
/// </summary>
public sealed class TextReporter : IRunReporter
{
    private const string ClearLine = "\r\u001b[K";
    private const int MaxProgressWidth = 100;
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly bool _live;
    private readonly Verbosity _level;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _inFlight = new(StringComparer.Ordinal);
    private int _total;
    private int _finished;
    private int _failed;
    private bool _progressShown;

    public TextReporter(TextWriter stdout, TextWriter stderr, bool stderrIsTerminal, Verbosity level, TimeProvider time)
    {
        _out = stdout;
        _error = stderr;
        _live = stderrIsTerminal;
        _level = level;
        _time = time;
    }

    public void Log(Verbosity level, string message)
    {
        lock (_gate)
        {
            HideProgress();
            if (level < _level)
            {
                ShowProgress(); // the line still follows what happens
                return;
            }

            var label = level switch
            {
                Verbosity.Debug => "DEBUG",
                Verbosity.Info => "INFO ",
                Verbosity.Warn => "WARN ",
                _ => "ERROR",
            };
            _error.WriteLine($"{_time.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {label} {OneLine(message)}");
            ShowProgress();
        }
    }

    public void Plan(SelectionResult selection, IReadOnlyList<PlannedRestart> plans, bool willRestart)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(plans);
        var restarts = plans.Where(p => p.Restart).ToList();
        foreach (var plan in restarts)
        {
            foreach (var warning in plan.Warnings)
            {
                Log(Verbosity.Warn, $"{plan.Workload}: {warning}");
            }
        }

        if (willRestart)
        {
            lock (_gate)
            {
                _total = restarts.Count;
            }

            Log(Verbosity.Info, restarts.Count == 0
                ? "nothing to restart"
                : $"restarting {restarts.Count} workload{(restarts.Count == 1 ? "" : "s")} ({selection.PodsMatched} of {selection.PodsExamined} pods examined call for it)");
            return;
        }

        lock (_gate)
        {
            HideProgress();
            if (restarts.Count == 0)
            {
                _out.WriteLine("Nothing would be restarted.");
            }
            else
            {
                _out.Write(TextTable.Render(
                    ["WOULD RESTART", "PODS", "WHY"],
                    restarts.Select(p => (IReadOnlyList<string>)[p.Workload.ToString(), p.Selected.MatchedPods.ToString(CultureInfo.InvariantCulture), p.Selected.Because])));
            }

            _out.Flush();
        }
    }

    public void RolloutStarted(PlannedRestart plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        lock (_gate)
        {
            _inFlight.Add(plan.Workload.ToString());
        }

        Log(Verbosity.Info, $"restarting {plan.Workload}: {plan.Selected.Because}");
    }

    public void Patched(WorkloadRef workload, long generation, bool dryRun) =>
        Log(Verbosity.Debug, dryRun ? $"{workload}: restart accepted by the API server (dry run)" : $"{workload}: restart sent, waiting for generation {generation}");

    public void Progress(WorkloadRef workload, RolloutProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Log(Verbosity.Debug, $"{workload}: {progress.Message}");
    }

    public void RolloutFinished(RolloutOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            _inFlight.Remove(outcome.Workload.ToString());
            _finished++;
            if (outcome.Result == RolloutResult.Failed)
            {
                _failed++;
            }
        }

        var level = outcome.Result switch
        {
            RolloutResult.Failed => Verbosity.Error,
            RolloutResult.TimedOut or RolloutResult.NotStarted => Verbosity.Warn,
            _ => Verbosity.Info,
        };
        Log(level, $"{outcome.Workload}: {RunSummary.ResultName(outcome.Result)} after {Durations.Format(outcome.Elapsed)}: {outcome.Detail}");
    }

    public void Summary(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        lock (_gate)
        {
            HideProgress();
            var rows = summary.Rows.OrderBy(r => Rank(r.Result)).ToList();
            if (!summary.DryRun)
            {
                if (rows.Count > 0)
                {
                    _out.WriteLine();
                    _out.Write(TextTable.Render(
                        ["RESULT", "WORKLOAD", "DETAIL"],
                        rows.Select(r => (IReadOnlyList<string>)[r.Result, r.Subject, Detail(r)])));
                }
            }
            else if (rows.Any(r => r.Result == RunSummary.Skipped))
            {
                _out.WriteLine();
                _out.Write(TextTable.Render(
                    ["SKIPPED", "WHY"],
                    rows.Where(r => r.Result == RunSummary.Skipped).Select(r => (IReadOnlyList<string>)[r.Subject, r.Detail])));
            }

            var counts = RunSummary.Order.Select(result => (result, n: summary.Count(result))).Where(c => c.n > 0).Select(c => $"{c.n} {c.result}");
            var line = string.Join(", ", counts);
            _out.WriteLine();
            _out.WriteLine($"{(line.Length == 0 ? "nothing to do" : line)} in {Durations.Format(summary.Elapsed)}.");
            if (summary.DryRun && summary.Count(RunSummary.WouldRestart) > 0)
            {
                _out.WriteLine("This was a dry run: add --confirm to restart them (or --dry-run=server to have the API server check the restarts).");
            }

            _out.Flush();
        }
    }

    private static string Detail(SummaryRow row) =>
        row.Result is RunSummary.Restarted or RunSummary.Accepted && row.Reason.Length > 0 ? row.Reason : row.Detail;

    private static int Rank(string result)
    {
        for (var i = 0; i < RunSummary.Order.Count; i++)
        {
            if (RunSummary.Order[i] == result)
            {
                return i;
            }
        }

        return RunSummary.Order.Count;
    }

    private void HideProgress()
    {
        if (_progressShown)
        {
            _error.Write(ClearLine);
            _progressShown = false;
        }
    }

    private void ShowProgress()
    {
        if (!_live || _total == 0 || _finished >= _total)
        {
            return;
        }

        var running = _inFlight.Count == 0 ? "" : ": " + string.Join(", ", _inFlight.Take(3)) + (_inFlight.Count > 3 ? ", ..." : "");
        var line = $"[{_finished}/{_total} done, {_failed} failed, {_inFlight.Count} in flight{running}]";
        _error.Write(line.Length > MaxProgressWidth ? line[..(MaxProgressWidth - 4)] + "...]" : line); // one row: \r can only redraw one
        _error.Flush();
        _progressShown = true;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
