using System.Text;
using System.Text.Json;

namespace Injector.Core.Admission;

/// <summary>
/// The property names (and envelope values) every review repeats, as shared strings: the request reader takes
/// these instead of making a new string for each occurrence. Anything else is read as usual.
/// </summary>
internal static class KnownNames
{
    private static readonly string[] Names =
    [
        // The envelope and its values.
        "admission.k8s.io/v1", "AdmissionReview", "CREATE", "UPDATE", "Pod", "v1", "",
        // A pod's keys down to the ones the reader keeps as nodes (metadata, spec, owner references).
        "apiVersion", "kind", "metadata", "spec", "status",
        "name", "generateName", "namespace", "uid", "resourceVersion", "creationTimestamp", "generation", "labels",
        "annotations", "ownerReferences", "managedFields", "finalizers", "controller", "blockOwnerDeletion",
        "containers", "initContainers", "ephemeralContainers", "volumes", "os", "automountServiceAccountToken",
        "serviceAccountName", "serviceAccount", "nodeName", "restartPolicy", "terminationGracePeriodSeconds", "dnsPolicy",
        "securityContext", "schedulerName", "tolerations", "priority", "priorityClassName", "enableServiceLinks",
        "preemptionPolicy", "hostname", "subdomain", "affinity", "nodeSelector", "imagePullSecrets",
        "pod-template-hash", "app", "app.kubernetes.io/name", "app.kubernetes.io/instance",
        .. AnnotationKeys.PodKeys,
    ];

    // By UTF-8 length, so a lookup compares a handful of candidates at most.
    private static readonly (byte[] Utf8, string Text)[][] ByLength = Build();

    /// <summary>The name or string value the reader is on.</summary>
    public static string Get<T>(ref T reader)
        where T : IJsonTokens, allows ref struct =>
        reader.ValueIsEscaped ? reader.GetString()! : Find(reader.ValueSpan) ?? reader.GetString()!;

    private static string? Find(ReadOnlySpan<byte> utf8Name)
    {
        if (utf8Name.Length < ByLength.Length)
        {
            foreach (var (utf8, text) in ByLength[utf8Name.Length])
            {
                if (utf8Name.SequenceEqual(utf8))
                {
                    return text;
                }
            }
        }

        return null;
    }

    private static (byte[] Utf8, string Text)[][] Build()
    {
        var distinct = Names.Distinct(StringComparer.Ordinal).Select(name => (Utf8: Encoding.UTF8.GetBytes(name), Text: name)).ToList();
        var table = new (byte[] Utf8, string Text)[distinct.Max(n => n.Utf8.Length) + 1][];
        for (int length = 0; length < table.Length; length++)
        {
            table[length] = [.. distinct.Where(n => n.Utf8.Length == length)];
        }

        return table;
    }
}
