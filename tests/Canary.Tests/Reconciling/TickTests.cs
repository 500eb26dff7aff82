using Canary.Api;
using Canary.Reconciling;
using Canary.Tests.Support;

namespace Canary.Tests.Reconciling;

/// <summary>
/// The reconciler tick by tick (Flagger's scheduler tests are the model): in-memory world, simulated deployment
/// controller, scripted Prometheus, fake clock. Each test starts with v1 running as the primary, then changes the
/// image.
/// </summary>
public sealed class TickTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private static async Task<Ticker> StartedAsync(Action<CanaryAppSpec>? configure = null)
    {
        var t = new Ticker(Ticker.App(configure: configure));
        await t.RunUntilIdleAsync();
        Assert.Equal(CanaryPhase.Succeeded, t.Status.Phase);
        Assert.Equal("example/app:v1", t.World.Primary!.Spec.Template.Spec.Containers[0].Image);
        t.World.WeightLog.Clear();
        t.World.ActionLog.Clear();
        t.Events.All.Clear();
        return t;
    }

    private static string? ImageOf(k8s.Models.V1Deployment? d) => d?.Spec.Template.Spec.Containers[0].Image;

    private static k8s.Models.V1Condition Condition(Ticker t, string type) => Assert.Single(t.Status.Conditions!, c => c.Type == type);

    [Fact]
    public async Task First_revision_becomes_the_primary_without_analysis()
    {
        var t = new Ticker(Ticker.App());
        await t.TickAsync();
        Assert.Equal(CanaryPhase.Initializing, t.Status.Phase);
        Assert.Equal(0, t.World.RouteWeight);
        Assert.True(t.World.ServicesApplied);
        Assert.Equal("False", Condition(t, ConditionTypes.Promoted).Status);

        await t.TickAsync();
        Assert.Equal(CanaryPhase.Succeeded, t.Status.Phase);
        Assert.Empty(t.Analysis.CheckedAtWeights);
        Assert.Null(t.World.Canary);
        Assert.Equal(["Initializing", "Initialized"], t.Events.Reasons);
        var promoted = Condition(t, ConditionTypes.Promoted);
        Assert.Equal("True", promoted.Status);
        Assert.Equal(t.World.App.Metadata.Generation, promoted.ObservedGeneration);
        Assert.Equal("True", Condition(t, ConditionTypes.Ready).Status);
    }

    [Fact]
    public async Task Happy_path_steps_10_to_50_then_promotes()
    {
        var t = await StartedAsync();
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        var started = t.Clock.GetUtcNow();

        await t.TickAsync();
        Assert.Equal(CanaryPhase.Progressing, t.Status.Phase);
        Assert.Equal("example/app:v2", ImageOf(t.World.Canary));
        Assert.Equal(1, t.World.Canary!.Spec.Replicas);
        Assert.Equal("False", Condition(t, ConditionTypes.Promoted).Status);

        await t.RunUntilIdleAsync();

        Assert.Equal([10, 20, 30, 40, 50, 0], t.World.WeightLog);
        Assert.Equal([10, 20, 30, 40, 50], t.Analysis.CheckedAtWeights);
        Assert.Equal("example/app:v2", ImageOf(t.World.Primary));
        Assert.Equal(2, t.World.Primary!.Spec.Replicas);
        Assert.Equal(0, t.World.Canary!.Spec.Replicas);
        Assert.Equal(CanaryPhase.Succeeded, t.Status.Phase);
        Assert.Equal(0, t.Status.CanaryWeight);
        Assert.Null(t.Status.FailedImages);
        Assert.Equal(["Progressing", "Advance", "Advance", "Advance", "Advance", "Advance", "Promote", "Promoted"], t.Events.Reasons);
        var promoted = Condition(t, ConditionTypes.Promoted);
        Assert.Equal("True", promoted.Status);
        Assert.Equal(t.World.App.Metadata.Generation, promoted.ObservedGeneration);
        Assert.Equal("Pass", t.Status.LastAnalysis!.Verdict);
        Assert.Equal(50, t.Status.LastAnalysis.Weight);

        // Timing comes from requeues, not sleeps: five intervals of checks, then one poll for the primary's rollout
        // (the canary was ready at the first tick of RunUntilIdleAsync).
        Assert.Equal(started + 5 * Interval + Reconciler.WaitPoll, t.Clock.GetUtcNow());

        // Traffic left the canary before it was scaled down.
        var route0 = t.World.ActionLog.FindLastIndex(a => a is SetRoute { CanaryWeight: 0 });
        var scaleDown = t.World.ActionLog.FindLastIndex(a => a is ScaleDeployment { Role: DeploymentRole.Canary, Replicas: 0 });
        Assert.True(route0 >= 0 && route0 < scaleDown);
    }

    [Fact]
    public async Task Explicit_step_weights_are_followed()
    {
        var t = await StartedAsync(s => s.StepWeights = [5, 25, 60]);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.RunUntilIdleAsync();
        Assert.Equal([5, 25, 60, 0], t.World.WeightLog);
        Assert.Equal([5, 25, 60], t.Analysis.CheckedAtWeights);
        Assert.Equal("example/app:v2", ImageOf(t.World.Primary));
    }

    [Fact]
    public async Task Failing_checks_up_to_the_threshold_roll_back_and_record_the_image()
    {
        var t = await StartedAsync(s => s.Threshold = 2);
        t.Analysis.Then(ScriptedAnalysis.Pass, ScriptedAnalysis.Fail, ScriptedAnalysis.Fail);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.RunUntilIdleAsync();

        Assert.Equal([10, 20, 0], t.World.WeightLog);
        Assert.Equal([10, 20, 20], t.Analysis.CheckedAtWeights);
        Assert.Equal("example/app:v1", ImageOf(t.World.Primary));
        Assert.Equal(0, t.World.Canary!.Spec.Replicas);
        Assert.Equal(CanaryPhase.Failed, t.Status.Phase);
        var failed = Assert.Single(t.Status.FailedImages!);
        Assert.Equal("example/app:v2", failed.Image);
        Assert.Equal("FailedChecks", failed.Reason);
        Assert.Equal(t.Clock.GetUtcNow().UtcDateTime, failed.Time);
        Assert.Equal(["Progressing", "Advance", "Advance", "Hold", "Rollback"], t.Events.Reasons);
        Assert.Equal("Warning", t.Events.All[^1].Type);
        Assert.Contains("verdict: Fail", t.Events.All[^1].Note, StringComparison.Ordinal);
        Assert.Equal("False", Condition(t, ConditionTypes.Promoted).Status);
        Assert.Equal("RolledBack", Condition(t, ConditionTypes.Promoted).Reason);
        Assert.Equal("True", Condition(t, ConditionTypes.Ready).Status); // the primary never stopped serving
        Assert.Equal("Fail", t.Status.LastAnalysis!.Verdict);

        // Traffic back to the primary before the canary goes down.
        var route0 = t.World.ActionLog.FindIndex(a => a is SetRoute { CanaryWeight: 0 });
        var scaleDown = t.World.ActionLog.FindIndex(a => a is ScaleDeployment { Role: DeploymentRole.Canary, Replicas: 0 });
        Assert.True(route0 >= 0 && route0 < scaleDown);
    }

    [Fact]
    public async Task No_data_with_onNoData_Pass_advances()
    {
        var t = await StartedAsync(s => s.OnNoData = "Pass");
        t.Analysis.Then(ScriptedAnalysis.NoData);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.RunUntilIdleAsync();
        Assert.Equal([10, 20, 30, 40, 50, 0], t.World.WeightLog);
        Assert.Equal("example/app:v2", ImageOf(t.World.Primary));
        Assert.Contains("NoData", t.Events.Reasons);
        Assert.Equal("NoData", t.Status.LastAnalysis!.Verdict);
    }

    [Fact]
    public async Task No_data_with_onNoData_Fail_counts_as_a_failed_check()
    {
        var t = await StartedAsync(s => s.OnNoData = "Fail");
        t.Analysis.Then(ScriptedAnalysis.NoData);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.RunUntilIdleAsync();
        Assert.Equal([10, 0], t.World.WeightLog);
        Assert.Equal(CanaryPhase.Failed, t.Status.Phase);
        Assert.Equal("FailedChecks", Assert.Single(t.Status.FailedImages!).Reason);
    }

    [Fact]
    public async Task No_data_with_onNoData_Hold_keeps_the_weight_then_advances_when_data_comes()
    {
        var t = await StartedAsync(); // Hold is the default
        t.Analysis.Then(ScriptedAnalysis.NoData, ScriptedAnalysis.NoData, ScriptedAnalysis.Pass);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.RunUntilIdleAsync();
        Assert.Equal([10, 10, 10, 20, 30, 40, 50], t.Analysis.CheckedAtWeights);
        Assert.Equal([10, 20, 30, 40, 50, 0], t.World.WeightLog);
        Assert.Equal(2, t.Events.All.Count(e => e.Reason == "NoData"));
        Assert.Equal(0, t.Status.FailedChecks);
        Assert.Equal("example/app:v2", ImageOf(t.World.Primary));
    }

    [Fact]
    public async Task No_data_held_past_the_progress_deadline_rolls_back()
    {
        var t = await StartedAsync(s => s.ProgressDeadlineSeconds = 100);
        t.Analysis.Then(ScriptedAnalysis.NoData);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.RunUntilIdleAsync();
        Assert.Equal([10, 10, 10, 10], t.Analysis.CheckedAtWeights); // holds at 30, 60, 90 s; the check at 120 s is past 100 s
        Assert.Equal([10, 0], t.World.WeightLog);
        Assert.Equal("ProgressDeadlineExceeded", Assert.Single(t.Status.FailedImages!).Reason);
    }

    [Fact]
    public async Task Query_error_with_failWhenPrometheusFails_true_is_a_failed_check()
    {
        var t = await StartedAsync(s => { s.FailWhenPrometheusFails = true; s.Threshold = 2; });
        t.Analysis.Then(ScriptedAnalysis.Error);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.RunUntilIdleAsync();
        Assert.Equal([10, 10], t.Analysis.CheckedAtWeights);
        Assert.Equal([10, 0], t.World.WeightLog);
        Assert.Equal(["Progressing", "Advance", "MetricError", "Rollback"], t.Events.Reasons);
        Assert.Equal("FailedChecks", Assert.Single(t.Status.FailedImages!).Reason);
        Assert.Equal("Error", t.Status.LastAnalysis!.Verdict);
        Assert.Contains("503", t.Status.LastAnalysis.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_error_with_failWhenPrometheusFails_false_holds_without_counting()
    {
        var t = await StartedAsync(s => { s.FailWhenPrometheusFails = false; s.Threshold = 1; });
        t.Analysis.Then(ScriptedAnalysis.Error, ScriptedAnalysis.Error, ScriptedAnalysis.Pass);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.RunUntilIdleAsync();
        Assert.Equal([10, 10, 10, 20, 30, 40, 50], t.Analysis.CheckedAtWeights);
        Assert.Equal(2, t.Events.All.Count(e => e.Reason == "MetricError" && e.Type == "Warning"));
        Assert.Equal("example/app:v2", ImageOf(t.World.Primary));
        Assert.Null(t.Status.FailedImages);
    }

    [Fact]
    public async Task Canary_that_never_becomes_ready_is_rolled_back_at_the_progress_deadline()
    {
        var t = await StartedAsync(s => s.ProgressDeadlineSeconds = 60);
        t.World.Stalled.Add("web-canary");
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        var started = t.Clock.GetUtcNow();
        await t.RunUntilIdleAsync();
        Assert.Empty(t.Analysis.CheckedAtWeights);
        Assert.Equal([0], t.World.WeightLog);
        var failed = Assert.Single(t.Status.FailedImages!);
        Assert.Equal("ProgressDeadlineExceeded", failed.Reason);
        Assert.Contains("0 of 1 updated replicas are available", failed.Message, StringComparison.Ordinal);
        Assert.Equal(started + TimeSpan.FromSeconds(60), t.Clock.GetUtcNow()); // requeued to the deadline, not past it
        Assert.Equal("example/app:v1", ImageOf(t.World.Primary));
    }

    [Fact]
    public async Task Deployment_reporting_ProgressDeadlineExceeded_rolls_back_at_once()
    {
        var t = await StartedAsync();
        t.World.DeadlineExceeded.Add("web-canary");
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        var started = t.Clock.GetUtcNow();
        await t.RunUntilIdleAsync();
        Assert.Equal("ProgressDeadlineExceeded", Assert.Single(t.Status.FailedImages!).Reason);
        Assert.Equal(started + Reconciler.WaitPoll, t.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Image_changed_mid_analysis_restarts_and_the_untested_image_is_never_promoted()
    {
        var t = await StartedAsync();
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        var primaryImages = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            Advance(t, await t.TickAsync()); // start, 10, 20, 30
        }

        Assert.Equal(30, t.World.RouteWeight);
        t.World.ActionLog.Clear();
        t.World.ChangeSpec(s => s.Image = "example/app:v3");
        Advance(t, await t.TickAsync());
        Assert.Equal(0, t.World.RouteWeight);
        var route0 = t.World.ActionLog.FindIndex(a => a is SetRoute { CanaryWeight: 0 });
        var update = t.World.ActionLog.FindIndex(a => a is ApplyDeployment { Role: DeploymentRole.Canary });
        Assert.True(route0 >= 0 && route0 < update, "traffic leaves the canary before it changes");
        Assert.Equal("example/app:v3", ImageOf(t.World.Canary));
        Assert.Equal(0, t.Status.FailedChecks);
        Assert.Contains("Restarted", t.Events.Reasons);

        t.Analysis.CheckedAtWeights.Clear();
        for (var i = 0; i < 50 && t.LastRequeue is not null; i++)
        {
            primaryImages.Add(ImageOf(t.World.Primary));
            Advance(t, await t.TickAsync());
        }

        Assert.Equal([10, 20, 30, 40, 50], t.Analysis.CheckedAtWeights); // v3 got a full analysis
        Assert.DoesNotContain("example/app:v2", primaryImages);
        Assert.Equal("example/app:v3", ImageOf(t.World.Primary));
    }

    [Fact]
    public async Task Image_changed_while_the_last_check_is_due_is_not_promoted_untested()
    {
        var t = await StartedAsync();
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        for (var i = 0; i < 6; i++)
        {
            Advance(t, await t.TickAsync()); // start, 10 .. 50
        }

        Assert.Equal(50, t.World.RouteWeight);
        t.World.ChangeSpec(s => s.Image = "example/app:v3"); // the check at 50 is due now
        await t.TickAsync();
        Assert.Equal("example/app:v1", ImageOf(t.World.Primary));
        Assert.Equal("example/app:v3", ImageOf(t.World.Canary));
        Assert.Equal(0, t.World.RouteWeight);
        Assert.DoesNotContain("Promote", t.Events.Reasons);
    }

    [Fact]
    public async Task Spec_back_to_the_primary_image_mid_analysis_stops_the_canary()
    {
        var t = await StartedAsync();
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        for (var i = 0; i < 3; i++)
        {
            Advance(t, await t.TickAsync());
        }

        t.World.ChangeSpec(s => s.Image = "example/app:v1");
        await t.RunUntilIdleAsync();
        Assert.Equal(0, t.World.RouteWeight);
        Assert.Equal(0, t.World.Canary!.Spec.Replicas);
        Assert.Equal(CanaryPhase.Succeeded, t.Status.Phase);
        Assert.Contains("Superseded", t.Events.Reasons);
        Assert.Null(t.Status.FailedImages);
    }

    [Fact]
    public async Task Controller_restart_mid_rollout_resumes_from_the_routing_weights()
    {
        var t = await StartedAsync();
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        for (var i = 0; i < 4; i++)
        {
            Advance(t, await t.TickAsync()); // start, 10, 20, 30
        }

        Assert.Equal(30, t.World.RouteWeight);
        t.RestartController();
        await t.RunUntilIdleAsync();
        Assert.Equal([10, 20, 30, 40, 50, 0], t.World.WeightLog); // never back to 0 or 10 in between
        Assert.Equal("example/app:v2", ImageOf(t.World.Primary));
    }

    [Fact]
    public async Task Lost_status_resumes_from_the_routing_weights_with_fresh_timers()
    {
        var t = await StartedAsync();
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        for (var i = 0; i < 4; i++)
        {
            Advance(t, await t.TickAsync());
        }

        // The weight went to 30 but the status write was lost: the status still says 20 (or nothing at all).
        t.World.App.Status!.CanaryWeight = 20;
        t.World.App.Status.CanaryRevision = null;
        t.World.App.Status.LastStepTime = null;
        t.RestartController();
        var resumedAt = t.Clock.GetUtcNow();
        await t.TickAsync();
        Assert.Equal(30, t.Status.CanaryWeight);
        Assert.Equal(30, t.World.RouteWeight);
        Assert.Equal(t.Clock.GetUtcNow().UtcDateTime, t.Status.LastStepTime); // the next check waits one full interval
        Assert.Equal(Interval, t.LastRequeue);
        Assert.Equal(resumedAt, t.Clock.GetUtcNow());
        Advance(t, t.LastRequeue);
        await t.RunUntilIdleAsync();
        Assert.Equal([10, 20, 30, 40, 50, 0], t.World.WeightLog);
    }

    [Fact]
    public async Task Suspend_freezes_everything_and_resume_continues_without_tripping_the_deadline()
    {
        var t = await StartedAsync(s => s.ProgressDeadlineSeconds = 120);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        for (var i = 0; i < 3; i++)
        {
            Advance(t, await t.TickAsync()); // start, 10, 20
        }

        t.World.ChangeSpec(s => s.Suspend = true);
        var checks = t.Analysis.CheckedAtWeights.Count;
        Assert.Null(await t.TickAsync());
        Assert.Equal("Suspended", Condition(t, ConditionTypes.Progressing).Reason);
        t.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(await t.TickAsync());
        Assert.Equal(20, t.World.RouteWeight);
        Assert.Equal(checks, t.Analysis.CheckedAtWeights.Count);
        Assert.Single(t.Events.All, e => e.Reason == "Suspended");

        t.World.ChangeSpec(s => s.Suspend = false);
        await t.RunUntilIdleAsync();
        Assert.Equal([10, 20, 30, 40, 50, 0], t.World.WeightLog);
        Assert.Equal("example/app:v2", ImageOf(t.World.Primary));
        Assert.Null(t.Status.FailedImages);
    }

    [Fact]
    public async Task Promote_annotation_promotes_now_and_is_removed()
    {
        var t = await StartedAsync();
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        Advance(t, await t.TickAsync());
        Advance(t, await t.TickAsync()); // weight 10
        t.World.Annotate(CanaryAnnotations.Promote, "true");
        await t.RunUntilIdleAsync();
        Assert.Empty(t.Analysis.CheckedAtWeights);
        Assert.Equal([10, 0], t.World.WeightLog);
        Assert.Equal("example/app:v2", ImageOf(t.World.Primary));
        Assert.False(t.World.App.Metadata.Annotations!.ContainsKey(CanaryAnnotations.Promote));
        Assert.Contains(t.Events.All, e => e.Reason == "Promote" && e.Note.Contains(CanaryAnnotations.Promote, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Abort_annotation_rolls_back_now_and_records_the_image()
    {
        var t = await StartedAsync();
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        for (var i = 0; i < 3; i++)
        {
            Advance(t, await t.TickAsync());
        }

        t.World.Annotate(CanaryAnnotations.Abort, "true");
        await t.RunUntilIdleAsync();
        Assert.Equal([10, 20, 0], t.World.WeightLog);
        Assert.Equal("Aborted", Assert.Single(t.Status.FailedImages!).Reason);
        Assert.False(t.World.App.Metadata.Annotations!.ContainsKey(CanaryAnnotations.Abort));
        Assert.Equal("example/app:v1", ImageOf(t.World.Primary));
    }

    [Fact]
    public async Task Failed_image_is_not_retried_until_the_retry_annotation_asks()
    {
        var t = await StartedAsync();
        t.Analysis.Then(ScriptedAnalysis.Fail, ScriptedAnalysis.Pass);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.RunUntilIdleAsync();
        Assert.Equal(CanaryPhase.Failed, t.Status.Phase);
        var canaryUpdates = t.World.ActionLog.Count(a => a is ApplyDeployment { Role: DeploymentRole.Canary });

        // Hours later, with unrelated spec changes, the same image is left alone.
        t.Clock.Advance(TimeSpan.FromHours(5));
        t.World.ChangeSpec(s => s.Replicas = 3);
        await t.RunUntilIdleAsync();
        Assert.Equal(canaryUpdates, t.World.ActionLog.Count(a => a is ApplyDeployment { Role: DeploymentRole.Canary }));
        Assert.Equal(0, t.World.Canary!.Spec.Replicas);
        Assert.Equal(3, t.World.Primary!.Spec.Replicas);
        Assert.Equal(CanaryPhase.Failed, t.Status.Phase);
        Assert.Contains(CanaryAnnotations.Retry, Condition(t, ConditionTypes.Promoted).Message, StringComparison.Ordinal);

        // Asked to retry: the failure record goes, the annotation is consumed, the analysis runs again and passes.
        t.World.Annotate(CanaryAnnotations.Retry, "true");
        await t.RunUntilIdleAsync();
        Assert.False(t.World.App.Metadata.Annotations!.ContainsKey(CanaryAnnotations.Retry));
        Assert.Empty(t.Status.FailedImages!);
        Assert.Contains("Retry", t.Events.Reasons);
        Assert.Equal("example/app:v2", ImageOf(t.World.Primary));
        Assert.Equal(CanaryPhase.Succeeded, t.Status.Phase);
    }

    [Fact]
    public async Task A_new_image_after_a_failed_one_is_analysed_and_the_failed_one_stays_recorded()
    {
        var t = await StartedAsync();
        t.Analysis.Then(ScriptedAnalysis.Fail, ScriptedAnalysis.Pass);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.RunUntilIdleAsync();
        t.World.ChangeSpec(s => s.Image = "example/app:v3");
        await t.RunUntilIdleAsync();
        Assert.Equal("example/app:v3", ImageOf(t.World.Primary));
        Assert.Equal("example/app:v2", Assert.Single(t.Status.FailedImages!).Image);

        // Back to v2: still failed, nothing moves.
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        t.World.WeightLog.Clear();
        await t.RunUntilIdleAsync();
        Assert.Equal(CanaryPhase.Failed, t.Status.Phase);
        Assert.Empty(t.World.WeightLog);
        Assert.Equal("example/app:v3", ImageOf(t.World.Primary));
    }

    [Fact]
    public async Task Skip_analysis_promotes_without_checks()
    {
        var t = await StartedAsync(s => s.SkipAnalysis = true);
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.RunUntilIdleAsync();
        Assert.Empty(t.Analysis.CheckedAtWeights);
        Assert.Equal("example/app:v2", ImageOf(t.World.Primary));
        Assert.Equal(CanaryPhase.Succeeded, t.Status.Phase);
    }

    [Fact]
    public async Task Invalid_spec_is_reported_once_and_nothing_is_touched()
    {
        var t = await StartedAsync();
        t.World.ChangeSpec(s => s.Template = new k8s.Models.V1PodTemplateSpec { Spec = new() { Containers = [new() { Name = "x", Image = "y" }] } });
        await t.TickAsync();
        await t.TickAsync();
        Assert.Empty(t.World.ActionLog);
        Assert.Equal("InvalidSpec", Assert.Single(t.Events.All).Reason);
        Assert.Contains("not both", Condition(t, ConditionTypes.Progressing).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routing_object_deleted_by_someone_is_recreated_with_the_current_weight()
    {
        var t = await StartedAsync();
        t.World.RouteWeight = null;
        await t.TickAsync();
        Assert.Equal(0, t.World.RouteWeight);
        t.World.RouteInSync = false;
        await t.TickAsync();
        Assert.True(t.World.RouteInSync);
    }

    [Fact]
    public async Task Nothing_is_written_when_nothing_changed()
    {
        var t = await StartedAsync();
        var writes = t.World.StatusWrites;
        await t.TickAsync();
        await t.TickAsync();
        Assert.Equal(writes, t.World.StatusWrites);
        Assert.Empty(t.World.ActionLog);
    }

    private static void Advance(Ticker t, TimeSpan? requeue)
    {
        if (requeue is { } r)
        {
            t.Clock.Advance(r);
        }
    }
}
