using System.Text;
using System.Text.Json.Nodes;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Sidecars.Contract;

namespace Injector.Core.Tests;

/// <summary>
/// The request reader's duplicate-key tables and the status writer's buffer are kept per thread and reused across
/// reviews. A review that stops them half way (a syntax error deep in the pod, a duplicate key, an object with many
/// keys, a status that cannot be written) must leave nothing behind for the next review on the same thread.
/// </summary>
public sealed class ReusedBuffersTests
{
    private static readonly AdmissionReviewHandler Handler = new(new InjectionEngine());

    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"demo","namespace":"default","annotations":{"sidecars.dev/inject":"appup"}},
         "spec":{"containers":[{"name":"app","image":"nginx","ports":[{"containerPort":80}]}]}}
        """;

    [Fact]
    public void A_review_that_stopped_half_way_leaves_nothing_for_the_next_one_on_the_thread()
    {
        var review = Review(Pod);
        var expected = OnFreshThread(() => Handler.Handle(review, InjectorConfig.Default).Body);

        // Each of these stops the reader with open objects and keys recorded at several depths.
        var many = string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i}"));
        string[] interrupted =
        [
            Encoding.UTF8.GetString(Review(Pod))[..^40],
            Encoding.UTF8.GetString(Review(Pod.Replace("\"name\":\"app\"", "\"name\":\"app\",\"name\":\"app\"", StringComparison.Ordinal))),
            Encoding.UTF8.GetString(Review(Pod.Replace("\"name\":\"demo\"", "\"name\":\"demo\"," + many + ",\"name\":\"again\"", StringComparison.Ordinal))),
            Encoding.UTF8.GetString(Review(Pod.Replace("\"name\":\"demo\"", "\"name\":\"demo\"," + many, StringComparison.Ordinal)))[..^60],
        ];

        var answers = OnFreshThread(() =>
        {
            var list = new List<(int Status, byte[] Body)>();
            foreach (var body in interrupted)
            {
                var refused = Handler.Handle(Encoding.UTF8.GetBytes(body), InjectorConfig.Default);
                var again = Handler.Handle(review, InjectorConfig.Default);
                list.Add((refused.StatusCode, again.Body));
            }

            return list;
        });

        Assert.All(answers, answer => Assert.Equal(400, answer.Status));
        Assert.All(answers, answer => Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(answer.Body)));
    }

    [Fact]
    public void A_status_that_could_not_be_written_leaves_nothing_for_the_next_one_on_the_thread()
    {
        var expected = OnFreshThread(() => Status("app").ToJson());

        var (thrown, after) = OnFreshThread(() =>
        {
            // A recorded value nested deeper than the writer allows: the writer throws half way through the status.
            var deep = new JsonObject();
            var innermost = deep;
            for (int i = 0; i < 1100; i++)
            {
                var next = new JsonObject();
                innermost["x"] = next;
                innermost = next;
            }

            var hostile = Status("app");
            hostile.For("app").Wrote["lifecycle.preStop"] = deep;
            var failed = Record.Exception(hostile.ToJson);
            return (failed, Status("app").ToJson());
        });

        Assert.NotNull(thrown);
        Assert.Equal(expected, after);
        Assert.NotNull(JsonNode.Parse(after));
    }

    private static InjectionStatus Status(string target)
    {
        var status = new InjectionStatus { Revision = "0123456789ab", Mode = "native" };
        status.Sidecars.Add("appup");
        status.InitContainers.Add("appup");
        status.For(target).Env.Add("APPUP_PORT");
        status.For(target).Wrote["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/health", ["port"] = 8080 } };
        return status;
    }

    private static byte[] Review(string pod) => Encoding.UTF8.GetBytes($$$"""
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1","kind":{"group":"","version":"v1","kind":"Pod"},
         "namespace":"default","operation":"CREATE","object":{{{pod}}}}}
        """);

    private static T OnFreshThread<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("work failed on its thread", failure);
    }
}
