using k8s.Models;

namespace Canary.Api;

/// <summary>
/// The spec with every default filled in and checked again (the CRD's schema and CEL rules normally refuse a bad
/// object, but the controller must not trust that: an API server without CEL, or an object written before a CRD
/// upgrade, can still hand it one). <see cref="Error"/> says what is wrong, in a sentence.
/// </summary>
public sealed record EffectiveSpec
{
    public const int DefaultListenPort = 8080;
    public const int DefaultServicePort = 80;
    public const int DefaultStepWeight = 10;
    public const int DefaultMaxWeight = 50;
    public const int DefaultIntervalSeconds = 30;
    public const int DefaultProgressDeadlineSeconds = 600;

    /// <summary>Longest CanaryApp name: <c>&lt;name&gt;-primary</c> must stay a 63-character DNS label.</summary>
    public const int MaxNameLength = 55;

    public string? Image { get; init; }
    public V1PodTemplateSpec? Template { get; init; }
    public int ListenPort { get; init; }
    public int ServicePort { get; init; }
    public int Replicas { get; init; }
    public int TestReplicas { get; init; }
    public string? Query { get; init; }
    public string? PrometheusUrl { get; init; }
    public SecretKeyReference? TokenSecret { get; init; }
    public bool FailWhenPrometheusFails { get; init; }
    public TimeSpan Interval { get; init; }
    public IReadOnlyList<int> Steps { get; init; } = [];
    public int Threshold { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public OnNoData OnNoData { get; init; }
    public TimeSpan ProgressDeadline { get; init; }
    public bool Suspend { get; init; }
    public bool SkipAnalysis { get; init; }
    public string Provider { get; init; } = TrafficProviderKind.Istio;
    public IReadOnlyList<string> Hosts { get; init; } = [];
    public IReadOnlyList<string> Gateways { get; init; } = [];
    public IReadOnlyList<ParentReference> ParentRefs { get; init; } = [];

    /// <summary>Non-null when the spec cannot be acted on.</summary>
    public string? Error { get; init; }

    /// <summary>True when a threshold range decides the check (one value); false for canaryop's "any series fails".</summary>
    public bool UsesThresholdRange => Min is not null || Max is not null;

    /// <summary>The weight at which a passing check promotes: the last step.</summary>
    public int MaxWeight => Steps.Count == 0 ? DefaultMaxWeight : Steps[^1];

    /// <param name="spec">The CanaryApp's spec.</param>
    /// <param name="name">The CanaryApp's name, checked too when given: the objects it names must be valid.</param>
    public static EffectiveSpec From(CanaryAppSpec spec, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<string>();
        if (name is not null && NameError(name) is { } nameError)
        {
            errors.Add(nameError);
        }

        var hasImage = !string.IsNullOrWhiteSpace(spec.Image);
        var hasTemplate = spec.Template?.Spec?.Containers is { Count: > 0 };
        if (hasImage == hasTemplate)
        {
            errors.Add(hasImage
                ? "set either spec.image or spec.template, not both"
                : "set spec.image (or spec.template with at least one container)");
        }

        if (hasImage && spec.Image!.Trim().Any(char.IsWhiteSpace))
        {
            errors.Add($"spec.image \"{spec.Image.Trim()}\" contains whitespace: an image reference has none");
        }

        if (hasTemplate)
        {
            foreach (var container in spec.Template!.Spec.Containers)
            {
                if (string.IsNullOrWhiteSpace(container?.Name) || string.IsNullOrWhiteSpace(container.Image) || container.Image.Any(char.IsWhiteSpace))
                {
                    errors.Add($"spec.template.spec.containers: every container needs a name and an image without whitespace (container \"{container?.Name}\", image \"{container?.Image}\")");
                    break;
                }
            }
        }

        var steps = StepsOf(spec, errors);
        var onNoData = spec.OnNoData switch
        {
            null or "" or "Hold" => OnNoData.Hold,
            "Pass" => OnNoData.Pass,
            "Fail" => OnNoData.Fail,
            var other => Invalid(errors, $"spec.onNoData is \"{other}\": use Pass, Fail or Hold", OnNoData.Hold),
        };
        var min = spec.ThresholdRange?.Min;
        var max = spec.ThresholdRange?.Max;
        if (min is { } lo && max is { } hi && lo > hi)
        {
            errors.Add($"spec.thresholdRange.min ({lo}) is greater than max ({hi})");
        }

        if (min is { } m1 && !double.IsFinite(m1) || max is { } m2 && !double.IsFinite(m2))
        {
            errors.Add("spec.thresholdRange bounds must be finite numbers");
        }

        var provider = spec.Traffic?.Provider switch
        {
            null or "" or TrafficProviderKind.Istio => TrafficProviderKind.Istio,
            TrafficProviderKind.GatewayApi => TrafficProviderKind.GatewayApi,
            var other => Invalid(errors, $"spec.traffic.provider is \"{other}\": use istio or gatewayAPI", TrafficProviderKind.Istio),
        };
        var parentRefs = spec.Traffic?.ParentRefs?.ToList() ?? [];
        if (provider == TrafficProviderKind.GatewayApi && parentRefs.Count == 0)
        {
            errors.Add("spec.traffic.parentRefs is empty: an HTTPRoute needs a parent (a Gateway, or the app's Service for a mesh)");
        }

        var skip = spec.SkipAnalysis ?? false;
        if (!skip && string.IsNullOrWhiteSpace(spec.PrometheusQuery))
        {
            errors.Add("spec.prometheusQuery is empty: set it, or set spec.skipAnalysis to promote without analysis");
        }

        if (!skip && !(Uri.TryCreate(spec.PrometheusUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            errors.Add($"spec.prometheusURL \"{spec.PrometheusUrl}\" is not an absolute http(s) URL");
        }

        return new EffectiveSpec
        {
            Image = hasImage ? spec.Image!.Trim() : null,
            Template = hasTemplate ? spec.Template : null,
            ListenPort = Positive(spec.ImageListenPort, DefaultListenPort, 65535, "spec.imageListenPort", errors),
            ServicePort = Positive(spec.ServicePort, DefaultServicePort, 65535, "spec.servicePort", errors),
            Replicas = NonNegative(spec.Replicas, 1, "spec.replicas", errors),
            TestReplicas = Positive(spec.TestReplicas, 1, int.MaxValue, "spec.testReplicas", errors),
            Query = spec.PrometheusQuery,
            PrometheusUrl = spec.PrometheusUrl,
            TokenSecret = spec.PrometheusTokenSecretRef,
            FailWhenPrometheusFails = spec.FailWhenPrometheusFails ?? false,
            Interval = TimeSpan.FromSeconds(Positive(spec.TrafficShiftUpdateInterval, DefaultIntervalSeconds, 86400, "spec.trafficShiftUpdateInterval", errors)),
            Steps = steps,
            Threshold = Positive(spec.Threshold, 1, 1000, "spec.threshold", errors),
            Min = min,
            Max = max,
            OnNoData = onNoData,
            ProgressDeadline = TimeSpan.FromSeconds(Positive(spec.ProgressDeadlineSeconds, DefaultProgressDeadlineSeconds, 7 * 86400, "spec.progressDeadlineSeconds", errors)),
            Suspend = spec.Suspend ?? false,
            SkipAnalysis = skip,
            Provider = provider,
            Hosts = spec.Traffic?.Hosts?.Where(h => !string.IsNullOrWhiteSpace(h)).ToList() ?? [],
            Gateways = spec.Traffic?.Gateways?.Where(h => !string.IsNullOrWhiteSpace(h)).ToList() ?? [],
            ParentRefs = parentRefs,
            Error = errors.Count == 0 ? null : string.Join("; ", errors),
        };
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot name a CanaryApp, or null. The Services are named <c>&lt;name&gt;</c>,
    /// <c>&lt;name&gt;-primary</c> and <c>&lt;name&gt;-canary</c>: DNS-1035 labels of at most 63 characters.
    /// </summary>
    public static string? NameError(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var valid = name.Length is > 0 and <= MaxNameLength && char.IsAsciiLetterLower(name[0]) &&
            (char.IsAsciiLetterLower(name[^1]) || char.IsAsciiDigit(name[^1])) &&
            name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
        return valid ? null : $"the name \"{name}\" must be a DNS-1035 label of at most {MaxNameLength} characters (lowercase letters, digits and '-', starting with a letter): the Services are named {name}-primary and {name}-canary";
    }

    /// <summary>The weights the canary goes through: explicit <c>stepWeights</c>, or stepWeight, 2*stepWeight, ... up to maxWeight.</summary>
    private static List<int> StepsOf(CanaryAppSpec spec, List<string> errors)
    {
        if (spec.StepWeights is { Count: > 0 } explicitSteps)
        {
            if (spec.StepWeight is not null || spec.MaxWeight is not null)
            {
                errors.Add("spec.stepWeights cannot be combined with spec.stepWeight or spec.maxWeight (the last step is the maximum)");
            }

            var list = explicitSteps.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is < 1 or > 100 || i > 0 && list[i] <= list[i - 1])
                {
                    errors.Add("spec.stepWeights must be strictly ascending weights between 1 and 100");
                    return [DefaultStepWeight];
                }
            }

            return list;
        }

        var step = spec.StepWeight ?? DefaultStepWeight;
        var max = spec.MaxWeight ?? DefaultMaxWeight;
        if (step is < 1 or > 100)
        {
            errors.Add($"spec.stepWeight ({step}) must be between 1 and 100");
            step = DefaultStepWeight;
        }

        if (max is < 1 or > 100)
        {
            errors.Add($"spec.maxWeight ({max}) must be between 1 and 100");
            max = DefaultMaxWeight;
        }

        if (step > max)
        {
            errors.Add($"spec.stepWeight ({step}) must not be greater than spec.maxWeight ({max})");
        }

        var steps = new List<int>();
        for (var w = step; w < max; w += step)
        {
            steps.Add(w);
        }

        steps.Add(max);
        return steps;
    }

    private static int Positive(int? value, int fallback, int limit, string name, List<string> errors)
    {
        if (value is null)
        {
            return fallback;
        }

        if (value < 1 || value > limit)
        {
            errors.Add($"{name} ({value}) must be between 1 and {limit}");
            return fallback;
        }

        return value.Value;
    }

    private static int NonNegative(int? value, int fallback, string name, List<string> errors)
    {
        if (value is < 0)
        {
            errors.Add($"{name} ({value}) must not be negative");
            return fallback;
        }

        return value ?? fallback;
    }

    private static T Invalid<T>(List<string> errors, string message, T fallback)
    {
        errors.Add(message);
        return fallback;
    }
}
