using System.Globalization;
using Canary.Analysis;
using Canary.Api;
using k8s;
using k8s.Models;

namespace Canary.Reconciling;

/// <summary>
/// The canary state machine, without I/O: an <see cref="Observation"/> in, one <see cref="Decision"/> out.
/// Level-triggered: the decision depends only on what is observed now (the weights come from the routing object,
/// the revisions from the Deployments, the timers from the status), so a controller that restarts mid-rollout
/// carries on where the world is. Time is only read from <see cref="Observation.Now"/>; waits are expressed as
/// <see cref="Decision.RequeueAfter"/>, never slept.
/// <para>
/// In short: no primary → create it (no analysis for the first revision). Desired revision = the primary's → wait
/// for the primary, send all traffic to it, scale the canary to zero (this finishes a promotion). Otherwise the
/// revision is under test: create/update the canary, wait for its rollout (within the progress deadline), set the
/// first weight, then each interval run the check and advance, hold or count a failure; at the last weight a passing
/// check promotes (the primary gets the tested template), at <c>threshold</c> failures or past the deadline the
/// canary is rolled back and its revision recorded as failed.
/// </para>
/// </summary>
public static class Reconciler
{
    /// <summary>How soon to look again while waiting for a rollout (watch events usually come first).</summary>
    public static readonly TimeSpan WaitPoll = TimeSpan.FromSeconds(10);

    /// <summary>How soon to look again at a CanaryApp blocked by an object someone else controls.</summary>
    public static readonly TimeSpan ConflictRetry = TimeSpan.FromMinutes(1);

    /// <summary>Failed revisions kept in the status (oldest dropped first).</summary>
    public const int MaxFailedImages = 20;

    public static Decision Decide(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return new Step(observation).Run();
    }

    private sealed class Step
    {
        private readonly Observation _o;
        private readonly CanaryApp _app;
        private readonly CanaryAppStatus _status;
        private readonly List<CanaryAction> _actions = [];
        private readonly List<CanaryEvent> _events = [];
        private readonly DateTime _now;
        private readonly long _generation;
        private readonly string? _previousProgressingReason;
        private Outcome _outcome;
        private bool _routeSet;

        public Step(Observation o)
        {
            _o = o;
            _app = o.App;
            _now = o.Now.UtcDateTime;
            _generation = _app.Metadata.Generation ?? 0;
            _status = o.App.Status is { } s ? KubernetesJson.Deserialize<CanaryAppStatus>(KubernetesJson.Serialize(s)) : new CanaryAppStatus();
            _previousProgressingReason = Condition(ConditionTypes.Progressing)?.Reason;
            _status.ObservedGeneration = _generation;
        }

        private int Weight => _o.Route?.CanaryWeight ?? 0;

        private bool RouteNeedsApply => _o.Route is null || !_o.Route.InSync;

        private IDictionary<string, string> Annotations => _app.Metadata.Annotations ?? new Dictionary<string, string>();

        public Decision Run()
        {
            if (_app.Metadata.DeletionTimestamp is not null)
            {
                return Done(null); // ownerReferences let the garbage collector remove what we made
            }

            var spec = EffectiveSpec.From(_app.Spec, _app.Metadata.Name);
            if (spec.Error is { } error)
            {
                SetCondition(ConditionTypes.Progressing, "False", EventReasons.InvalidSpec, error);
                if (_previousProgressingReason != EventReasons.InvalidSpec)
                {
                    Event(CanaryEvent.Warning, EventReasons.InvalidSpec, error);
                }

                SetReady(_o.Primary, DesiredObjects.RevisionOf(_o.Primary));
                return Done(null);
            }

            if (_o.Conflict is { } conflict)
            {
                // Nothing is touched; nothing watches the other owner's object either, so look again later.
                var reported = Condition(ConditionTypes.Progressing) is { Reason: EventReasons.Conflict } previous && previous.Message == conflict;
                SetCondition(ConditionTypes.Progressing, "False", EventReasons.Conflict, conflict);
                if (!reported)
                {
                    Event(CanaryEvent.Warning, EventReasons.Conflict, conflict);
                }

                SetReady(_o.Primary, DesiredObjects.RevisionOf(_o.Primary));
                return Done(ConflictRetry);
            }

            var desired = DesiredObjects.For(_app, spec);
            if (!_o.ServicesInSync)
            {
                _actions.Add(new ApplyServices(desired.Services()));
            }

            _status.CanaryWeight = Weight;
            if (_o.Primary is null)
            {
                return Initialize(desired);
            }

            var primaryRevision = DesiredObjects.RevisionOf(_o.Primary);
            _status.PrimaryRevision = primaryRevision;
            _status.PrimaryImage = DesiredObjects.ImageOf(_o.Primary);
            if (desired.Revision == primaryRevision)
            {
                KeepPrimaryScaled(desired);
                return Steady(desired);
            }

            KeepPrimaryScaled(desired);
            return UnderTest(desired, spec);
        }

        private Decision Initialize(DesiredObjects desired)
        {
            _actions.Add(new ApplyDeployment(DeploymentRole.Primary, desired.Deployment(DeploymentRole.Primary, desired.Spec.Replicas)));
            SetRoute(0);
            _status.Phase = CanaryPhase.Initializing;
            _status.PrimaryRevision = desired.Revision;
            _status.PrimaryImage = desired.Image;
            SetCondition(ConditionTypes.Ready, "False", "Initializing", "the primary Deployment is being created");
            SetCondition(ConditionTypes.Progressing, "True", "Initializing", $"deploying {desired.Image} as the primary (the first revision is not analysed)");
            SetCondition(ConditionTypes.Promoted, "False", "Initializing", "the primary is not ready yet");
            Event(CanaryEvent.Normal, EventReasons.Initializing, $"creating Deployment {DesiredObjects.DeploymentName(desired.Name, DeploymentRole.Primary)} with {desired.Image} (revision {desired.Revision})");
            return Done(WaitPoll);
        }

        /// <summary>The desired revision is the primary's: finish a promotion or an interrupted canary, or stay.</summary>
        private Decision Steady(DesiredObjects desired)
        {
            RemoveGateAnnotations(CanaryAnnotations.Promote, CanaryAnnotations.Abort, CanaryAnnotations.Retry);
            var (state, message) = Readiness.Of(_o.Primary, desired.Revision);
            SetReady(_o.Primary, desired.Revision);
            var promoting = _status.Phase == CanaryPhase.Promoting || _status.CanaryRevision == desired.Revision;
            if (state != RolloutState.Complete)
            {
                if (RouteNeedsApply)
                {
                    SetRoute(Weight);
                }

                if (_status.Phase == CanaryPhase.Initializing || promoting)
                {
                    SetCondition(ConditionTypes.Progressing, "True", promoting ? "Promoting" : "Initializing", message);
                    SetCondition(ConditionTypes.Promoted, "False", promoting ? "Promoting" : "Initializing", $"waiting for the primary: {message}");
                }

                return Done(WaitPoll);
            }

            if (Weight > 0 || RouteNeedsApply)
            {
                SetRoute(0);
            }

            ScaleCanaryDown();
            if (promoting)
            {
                Event(CanaryEvent.Normal, EventReasons.Promoted, $"{desired.Image} (revision {desired.Revision}) is the primary's and takes all the traffic");
                _outcome = Outcome.Promoted;
            }
            else if (_status.Phase == CanaryPhase.Initializing)
            {
                Event(CanaryEvent.Normal, EventReasons.Initialized, $"primary ready with {desired.Image} (revision {desired.Revision})");
            }
            else if (_status.Phase == CanaryPhase.Progressing && _status.CanaryRevision is { } abandoned)
            {
                Event(CanaryEvent.Normal, EventReasons.Superseded, $"the spec went back to the primary's revision {desired.Revision}; the analysis of {_status.CanaryImage} (revision {abandoned}) stopped");
            }

            _status.Phase = CanaryPhase.Succeeded;
            _status.CanaryRevision = null;
            _status.CanaryImage = null;
            _status.FailedChecks = 0;
            _status.LastStepTime = null;
            _status.LastProgressTime = null;
            SetCondition(ConditionTypes.Progressing, "False", "Succeeded", "no revision under test");
            SetCondition(ConditionTypes.Promoted, "True", EventReasons.Promoted, $"{desired.Image} (revision {desired.Revision}) runs on the primary and takes all the traffic");
            return Done(null);
        }

        /// <summary>The desired revision differs from the primary's.</summary>
        private Decision UnderTest(DesiredObjects desired, EffectiveSpec spec)
        {
            var revision = desired.Revision;
            var failed = _status.FailedImages?.FirstOrDefault(f => f.Revision == revision);
            if (failed is not null)
            {
                if (!Annotations.ContainsKey(CanaryAnnotations.Retry))
                {
                    return StayFailed(desired, failed);
                }

                _status.FailedImages!.Remove(failed);
                RemoveGateAnnotations(CanaryAnnotations.Retry);
                _status.CanaryRevision = null;
                Event(CanaryEvent.Normal, EventReasons.Retry, $"trying {desired.Image} (revision {revision}) again, as asked by {CanaryAnnotations.Retry}; it failed before with {failed.Reason}");
            }
            else
            {
                RemoveGateAnnotations(CanaryAnnotations.Retry); // nothing failed to retry
            }

            if (Annotations.ContainsKey(CanaryAnnotations.Abort))
            {
                RemoveGateAnnotations(CanaryAnnotations.Abort);
                return Rollback(desired, "Aborted", $"aborted by the annotation {CanaryAnnotations.Abort}");
            }

            SetReady(_o.Primary, _status.PrimaryRevision);
            if (spec.Suspend)
            {
                SetCondition(ConditionTypes.Progressing, "False", EventReasons.Suspended, "spec.suspend is true: no step, promotion or rollback until it is false");
                SetCondition(ConditionTypes.Promoted, "False", EventReasons.Suspended, $"{desired.Image} (revision {revision}) is not promoted");
                if (_previousProgressingReason != EventReasons.Suspended)
                {
                    Event(CanaryEvent.Normal, EventReasons.Suspended, $"suspended at canary weight {Weight}");
                }

                return Done(null);
            }

            if (_previousProgressingReason == EventReasons.Suspended)
            {
                // Time spent suspended is not a lack of progress, and the next check waits a full interval.
                _status.LastProgressTime = _now;
                _status.LastStepTime = Weight > 0 ? _now : null;
                SetCondition(ConditionTypes.Progressing, "True", "Resumed", $"resumed at canary weight {Weight}");
            }

            if (spec.SkipAnalysis)
            {
                _status.CanaryRevision = revision;
                _status.CanaryImage = desired.Image;
                return Promote(desired, "spec.skipAnalysis is true");
            }

            var canaryRevision = DesiredObjects.RevisionOf(_o.Canary);
            if (_o.Canary is null || canaryRevision != revision)
            {
                return StartCanary(desired, canaryRevision);
            }

            if (_status.CanaryRevision != revision)
            {
                // The canary runs this revision but the status does not say so (written before a restart, or lost):
                // resume from what the world shows, with fresh timers.
                _status.CanaryRevision = revision;
                _status.CanaryImage = desired.Image;
                _status.FailedChecks = 0;
                _status.LastProgressTime = _now;
                _status.LastStepTime = Weight > 0 ? _now : null;
                _status.LastAnalysis = null;
            }

            _status.Phase = CanaryPhase.Progressing;
            _status.CanaryImage = desired.Image;
            _status.LastProgressTime ??= _now;
            var canaryReplicas = _o.Canary.Spec?.Replicas ?? 1;
            if (canaryReplicas != spec.TestReplicas)
            {
                _actions.Add(new ScaleDeployment(DeploymentRole.Canary, _o.Canary.Metadata.Name, spec.TestReplicas));
            }

            var deadline = _status.LastProgressTime.Value + spec.ProgressDeadline;
            var (state, message) = Readiness.Of(_o.Canary, revision);
            if (state == RolloutState.Failed)
            {
                return Rollback(desired, Readiness.ProgressDeadlineExceeded, message);
            }

            if (state != RolloutState.Complete || canaryReplicas != spec.TestReplicas)
            {
                if (_now >= deadline)
                {
                    return Rollback(desired, Readiness.ProgressDeadlineExceeded, $"the canary was not ready within {Seconds(spec.ProgressDeadline)}: {message}");
                }

                if (RouteNeedsApply)
                {
                    SetRoute(Weight);
                }

                SetCondition(ConditionTypes.Progressing, "True", "WaitingForCanary", message);
                SetCondition(ConditionTypes.Promoted, "False", "Progressing", $"{desired.Image} (revision {revision}) is under test");
                return Done(Min(WaitPoll, deadline - _now));
            }

            SetCondition(ConditionTypes.Promoted, "False", "Progressing", $"{desired.Image} (revision {revision}) is under test");
            if (Annotations.ContainsKey(CanaryAnnotations.Promote))
            {
                RemoveGateAnnotations(CanaryAnnotations.Promote);
                return Promote(desired, $"promoted by the annotation {CanaryAnnotations.Promote} at canary weight {Weight}");
            }

            if (Weight == 0)
            {
                var first = spec.Steps[0];
                SetRoute(first);
                _status.LastStepTime = _now;
                _status.LastProgressTime = _now;
                SetCondition(ConditionTypes.Progressing, "True", EventReasons.Advance, $"canary ready; weight {first}");
                Event(CanaryEvent.Normal, EventReasons.Advance, $"canary {desired.Image} ready: weight 0 -> {first}");
                return Done(spec.Interval);
            }

            if (RouteNeedsApply)
            {
                SetRoute(Weight);
            }

            if (_status.LastStepTime is not { } lastStep)
            {
                _status.LastStepTime = _now;
                return Done(spec.Interval);
            }

            var due = lastStep + spec.Interval;
            if (_now < due)
            {
                return Done(due - _now);
            }

            if (_o.Analysis is not { } analysis)
            {
                return new Decision([], _status, [], null) { NeedsAnalysis = true };
            }

            return Judge(desired, spec, analysis);
        }

        private Decision StartCanary(DesiredObjects desired, string? runningRevision)
        {
            var restart = Weight > 0 || (_status.Phase == CanaryPhase.Progressing && _status.CanaryRevision is { } r && r != desired.Revision);
            if (Weight > 0)
            {
                SetRoute(0); // traffic off the old canary before it changes
            }

            _actions.Add(new ApplyDeployment(DeploymentRole.Canary, desired.Deployment(DeploymentRole.Canary, desired.Spec.TestReplicas)));
            if (restart)
            {
                Event(CanaryEvent.Normal, EventReasons.Restarted, $"the revision changed during the analysis of {_status.CanaryImage ?? runningRevision} (revision {_status.CanaryRevision ?? runningRevision}); traffic back to the primary, analysis restarts for {desired.Image} (revision {desired.Revision})");
            }
            else
            {
                Event(CanaryEvent.Normal, EventReasons.Progressing, $"new revision {desired.Revision} ({desired.Image}): starting the canary with {desired.Spec.TestReplicas} replica(s)");
            }

            _status.Phase = CanaryPhase.Progressing;
            _status.CanaryRevision = desired.Revision;
            _status.CanaryImage = desired.Image;
            _status.CanaryWeight = 0;
            _status.FailedChecks = 0;
            _status.LastStepTime = null;
            _status.LastProgressTime = _now;
            _status.LastAnalysis = null;
            SetCondition(ConditionTypes.Progressing, "True", restart ? EventReasons.Restarted : "NewRevision", $"deploying {desired.Image} (revision {desired.Revision}) on the canary");
            SetCondition(ConditionTypes.Promoted, "False", "Progressing", $"{desired.Image} (revision {desired.Revision}) is under test");
            return Done(WaitPoll);
        }

        /// <summary>A check is due and its result is in: advance, hold, promote or roll back.</summary>
        private Decision Judge(DesiredObjects desired, EffectiveSpec spec, AnalysisResult analysis)
        {
            _status.LastAnalysis = new AnalysisRecord
            {
                Query = spec.Query,
                Value = analysis.Value,
                Verdict = analysis.Verdict.ToString(),
                Message = analysis.Message,
                Weight = Weight,
                Time = _now,
            };
            var effective = analysis.Verdict switch
            {
                Verdict.Pass => Verdict.Pass,
                Verdict.Fail => Verdict.Fail,
                Verdict.NoData => spec.OnNoData switch { OnNoData.Pass => Verdict.Pass, OnNoData.Fail => Verdict.Fail, _ => Verdict.NoData },
                _ => spec.FailWhenPrometheusFails ? Verdict.Fail : Verdict.NoData, // NoData here means "hold"
            };
            var cause = analysis.Verdict switch
            {
                Verdict.NoData => $"no data (onNoData={spec.OnNoData})",
                Verdict.Error => $"query error (failWhenPrometheusFails={(spec.FailWhenPrometheusFails ? "true" : "false")})",
                Verdict.Pass => "check passed",
                _ => "check failed",
            };
            var detail = $"{cause}: {analysis.Message}; query: {spec.Query}; value: {analysis.Value ?? "none"}; verdict: {analysis.Verdict}";
            var checkReason = analysis.Verdict switch
            {
                Verdict.NoData => EventReasons.NoData,
                Verdict.Error => EventReasons.MetricError,
                _ => null,
            };
            var decision = new DecisionFor(analysis);
            switch (effective)
            {
                case Verdict.Pass when Weight >= spec.MaxWeight:
                    return decision.With(Promote(desired, $"{detail}; weight {Weight} reached the maximum {spec.MaxWeight}"));
                case Verdict.Pass:
                {
                    var next = spec.Steps.FirstOrDefault(s => s > Weight, spec.MaxWeight);
                    SetRoute(next);
                    _status.LastStepTime = _now;
                    _status.LastProgressTime = _now;
                    SetCondition(ConditionTypes.Progressing, "True", EventReasons.Advance, $"weight {next}");
                    Event(CanaryEvent.Normal, checkReason ?? EventReasons.Advance, $"weight {Weight} -> {next}; {detail}");
                    return decision.With(Done(spec.Interval));
                }

                case Verdict.Fail:
                {
                    _status.FailedChecks++;
                    if (_status.FailedChecks >= spec.Threshold)
                    {
                        return decision.With(Rollback(desired, "FailedChecks", $"{_status.FailedChecks} failed check(s), threshold {spec.Threshold}; last: {detail}"));
                    }

                    _status.LastStepTime = _now;
                    SetCondition(ConditionTypes.Progressing, "True", EventReasons.Hold, $"failed check {_status.FailedChecks} of {spec.Threshold}");
                    Event(CanaryEvent.Warning, checkReason ?? EventReasons.Hold, $"failed check {_status.FailedChecks} of {spec.Threshold}, weight stays {Weight}; {detail}");
                    return decision.With(Done(spec.Interval));
                }

                default:
                {
                    var since = _now - (_status.LastProgressTime ?? _now);
                    if (since >= spec.ProgressDeadline)
                    {
                        return decision.With(Rollback(desired, Readiness.ProgressDeadlineExceeded, $"no passing check for {Seconds(spec.ProgressDeadline)}; last: {detail}"));
                    }

                    _status.LastStepTime = _now;
                    SetCondition(ConditionTypes.Progressing, "True", EventReasons.Hold, $"holding weight {Weight}: {cause}");
                    Event(CanaryEvent.Warning, checkReason ?? EventReasons.Hold, $"holding weight {Weight}; {detail}");
                    return decision.With(Done(spec.Interval));
                }
            }
        }

        private Decision Promote(DesiredObjects desired, string why)
        {
            _actions.Add(new ApplyDeployment(DeploymentRole.Primary, desired.Deployment(DeploymentRole.Primary, desired.Spec.Replicas)));
            if (RouteNeedsApply && !_routeSet)
            {
                SetRoute(Weight);
            }

            _status.Phase = CanaryPhase.Promoting;
            SetCondition(ConditionTypes.Progressing, "True", "Promoting", $"updating the primary to {desired.Image} (revision {desired.Revision})");
            SetCondition(ConditionTypes.Promoted, "False", "Promoting", "the primary is being updated");
            Event(CanaryEvent.Normal, EventReasons.Promote, $"promoting {desired.Image} (revision {desired.Revision}): {why}");
            return Done(WaitPoll);
        }

        private Decision Rollback(DesiredObjects desired, string reason, string message)
        {
            SetRoute(0);
            ScaleCanaryDown();
            _status.FailedImages ??= [];
            foreach (var old in _status.FailedImages.Where(f => f.Revision == desired.Revision).ToList())
            {
                _status.FailedImages.Remove(old);
            }

            _status.FailedImages.Add(new FailedImage { Image = desired.Image, Revision = desired.Revision, Reason = reason, Message = Text.Truncate(message, 1024), Time = _now });
            while (_status.FailedImages.Count > MaxFailedImages)
            {
                _status.FailedImages.RemoveAt(0);
            }

            _status.Phase = CanaryPhase.Failed;
            _status.CanaryWeight = 0;
            _status.CanaryRevision = null;
            _status.CanaryImage = null;
            _status.LastStepTime = null;
            _status.LastProgressTime = null;
            SetReady(_o.Primary, _status.PrimaryRevision);
            SetCondition(ConditionTypes.Progressing, "False", "RolledBack", $"{desired.Image} (revision {desired.Revision}) rolled back: {reason}");
            SetCondition(ConditionTypes.Promoted, "False", "RolledBack", $"{desired.Image} (revision {desired.Revision}) failed ({reason}); annotate {CanaryAnnotations.Retry}=true to try it again");
            Event(CanaryEvent.Warning, EventReasons.Rollback, $"rolling back {desired.Image} (revision {desired.Revision}), {reason}: {message}");
            _outcome = Outcome.RolledBack;
            return Done(null);
        }

        /// <summary>The desired revision failed before and no retry was asked: keep everything on the primary.</summary>
        private Decision StayFailed(DesiredObjects desired, FailedImage failed)
        {
            RemoveGateAnnotations(CanaryAnnotations.Promote, CanaryAnnotations.Abort);
            if (Weight > 0 || RouteNeedsApply)
            {
                SetRoute(0);
            }

            ScaleCanaryDown();
            _status.Phase = CanaryPhase.Failed;
            _status.CanaryWeight = 0;
            SetReady(_o.Primary, _status.PrimaryRevision);
            var message = $"{desired.Image} (revision {desired.Revision}) failed at {failed.Time.ToString("o", CultureInfo.InvariantCulture)} ({failed.Reason}); annotate {CanaryAnnotations.Retry}=true to try it again";
            SetCondition(ConditionTypes.Progressing, "False", "RolledBack", message);
            SetCondition(ConditionTypes.Promoted, "False", "RolledBack", message);
            return Done(null);
        }

        private void KeepPrimaryScaled(DesiredObjects desired)
        {
            if (_o.Primary?.Spec?.Replicas is { } replicas && replicas != desired.Spec.Replicas)
            {
                _actions.Add(new ScaleDeployment(DeploymentRole.Primary, _o.Primary.Metadata.Name, desired.Spec.Replicas));
            }
        }

        private void ScaleCanaryDown()
        {
            if (_o.Canary is { } canary && (canary.Spec?.Replicas ?? 1) > 0)
            {
                _actions.Add(new ScaleDeployment(DeploymentRole.Canary, canary.Metadata.Name, 0));
            }
        }

        private void SetRoute(int canaryWeight)
        {
            _actions.RemoveAll(a => a is SetRoute);
            _actions.Add(new SetRoute(canaryWeight));
            _routeSet = true;
            _status.CanaryWeight = canaryWeight;
        }

        private void RemoveGateAnnotations(params string[] keys)
        {
            var present = keys.Where(Annotations.ContainsKey).ToList();
            if (present.Count > 0)
            {
                _actions.Add(new RemoveAnnotations(present));
            }
        }

        private void SetReady(V1Deployment? primary, string? revision)
        {
            var (state, message) = Readiness.Of(primary, revision);
            SetCondition(ConditionTypes.Ready, state == RolloutState.Complete ? "True" : "False",
                state switch { RolloutState.Complete => "PrimaryReady", RolloutState.Failed => Readiness.ProgressDeadlineExceeded, _ => "PrimaryNotReady" },
                message);
        }

        private V1Condition? Condition(string type) => _status.Conditions?.FirstOrDefault(c => c.Type == type);

        private void SetCondition(string type, string status, string reason, string message)
        {
            _status.Conditions ??= [];
            var existing = Condition(type);
            var transition = existing is not null && existing.Status == status ? existing.LastTransitionTime : _now;
            if (existing is not null)
            {
                _status.Conditions.Remove(existing);
            }

            _status.Conditions.Add(new V1Condition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = Text.Truncate(message, 32768),
                LastTransitionTime = transition,
                ObservedGeneration = _generation,
            });
            var order = new[] { ConditionTypes.Ready, ConditionTypes.Progressing, ConditionTypes.Promoted };
            _status.Conditions = _status.Conditions.OrderBy(c => Array.IndexOf(order, c.Type) is var i && i < 0 ? int.MaxValue : i).ThenBy(c => c.Type, StringComparer.Ordinal).ToList();
        }

        private void Event(string type, string reason, string note) => _events.Add(new CanaryEvent(type, reason, Text.Truncate(note, 1024)));

        private Decision Done(TimeSpan? requeue)
        {
            if (Condition(ConditionTypes.Ready) is null)
            {
                SetReady(_o.Primary, DesiredObjects.RevisionOf(_o.Primary));
            }

            return new Decision(_actions, _status, _events, requeue) { Outcome = _outcome };
        }

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        private static string Seconds(TimeSpan t) => $"{(long)t.TotalSeconds}s";

    }

    /// <summary>Attaches the check's result to a decision (for metrics).</summary>
    private readonly struct DecisionFor(AnalysisResult analysis)
    {
        public Decision With(Decision d) => d with { Analysis = analysis };
    }
}
