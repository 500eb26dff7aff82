using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestKit.Certificates;
using TestKit.Hosting;
using TestKit.Kube.Selectors;
using TestKit.Kube.Simulation;
using TestKit.Kube.Storage;

namespace TestKit.Kube.Server;

/// <summary>
/// A stand-in Kubernetes API server on a real Kestrel port (HTTPS with a throwaway CA by default), speaking the
/// real wire format: CRUD with metav1.Status errors, list paging with limit/continue and 410 for expired tokens,
/// resourceVersion/resourceVersionMatch semantics, watch streams (newline-delimited JSON events, bookmarks,
/// timeoutSeconds, 410 as an ERROR event), the four patch types, dryRun=All, the status subresource, label and
/// field selectors, namespaced and cluster-scoped resources in the core group and named groups, custom resources
/// registered at run time, and enough discovery for clients. Faults are injected per request, every request is
/// recorded, and simulated controllers can react to writes.
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    /// <summary>The bearer token accepted by default (user "testkit-admin").</summary>
    public const string DefaultToken = "testkit-token";

    private readonly WebApplication _app;
    private readonly KubeApiServerOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IssuedCertificate? _serving;

    private KubeApiServer(WebApplication app, KubeApiServerOptions options, KubeStore store, TestCertificateAuthority? ca, IssuedCertificate? serving)
    {
        _app = app;
        _options = options;
        Store = store;
        CertificateAuthority = ca;
        _serving = serving;
        Controllers = new ControllerHost(store, options.Time);
    }

    /// <summary>The base URL, e.g. <c>https://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri Url { get; private init; } = null!;

    /// <summary>The object store: seed, inspect and change the world directly.</summary>
    public KubeStore Store { get; }

    public ResourceRegistry Registry => Store.Registry;

    /// <summary>Every request received.</summary>
    public RequestLog Requests { get; } = new();

    /// <summary>Faults to inject per request.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Simulated controllers (see <see cref="DeploymentControllerSimulation"/>).</summary>
    public ControllerHost Controllers { get; }

    /// <summary>The CA that issued the serving certificate (and can issue client certificates); null over HTTP.</summary>
    public TestCertificateAuthority? CertificateAuthority { get; }

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<KubeApiServer> StartAsync(KubeApiServerOptions? options = null)
    {
        options ??= new KubeApiServerOptions();
        var registry = new ResourceRegistry(ResourceTypes.BuiltIn.Concat(options.CustomResources));
        var store = new KubeStore(registry, options.Time, options.HistoryLimit) { RequireNamespaces = options.RequireNamespaces };
        TestCertificateAuthority? ca = null;
        IssuedCertificate? serving = null;
        if (options.Https)
        {
            ca = TestCertificateAuthority.Create("testkit-kube-ca");
            serving = ca.IssueLocalhost();
        }

        KubeApiServer? server = null;
        var (app, url) = await LoopbackHttp.StartAsync(
            context => server!.HandleAsync(context),
            listen =>
            {
                if (serving is not null)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = serving.Certificate,
                        ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                        ClientCertificateValidation = (_, _, _) => true, // checked against the CA per request
                    });
                }
            },
            kestrel => kestrel.Limits.MaxRequestBodySize = 3 * 1024 * 1024); // etcd's object size limit, as the API server enforces
        server = new KubeApiServer(app, options, store, ca, serving) { Url = url };
        store.Changed += server.OnChanged;
        return server;
    }

    /// <summary>Creates a custom resource type (from a CRD object or by hand) and returns it.</summary>
    public ResourceType AddCustomResource(ResourceType type) => Registry.Add(type);

    /// <summary>Registers the resource types of a CustomResourceDefinition (JSON) and stores the CRD.</summary>
    public ResourceType AddCustomResourceDefinition(JsonObject crd)
    {
        var type = Registry.AddCustomResourceDefinition(crd);
        Store.Put(crd.Clone());
        return type;
    }

    /// <summary>
    /// Writes a kubeconfig that points KubernetesClient, kubectl or Sidecars.Kube at this server: CA data (HTTPS),
    /// the given credentials (a bearer token by default) and the namespace of its context.
    /// </summary>
    public string WriteKubeconfig(string path, KubeconfigUser? user = null, string? ns = "default", bool credentialsAsFiles = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        user ??= KubeconfigUser.Token();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var yaml = new StringBuilder();
        yaml.Append("apiVersion: v1\nkind: Config\nclusters:\n- name: testkit\n  cluster:\n    server: ").Append(Url.AbsoluteUri.TrimEnd('/')).Append('\n');
        if (CertificateAuthority is not null)
        {
            if (credentialsAsFiles)
            {
                var caFile = CertificateAuthority.WriteCertificateFile(Path.Combine(directory, Path.GetFileName(path) + ".ca.crt"));
                yaml.Append("    certificate-authority: ").Append(caFile).Append('\n');
            }
            else
            {
                yaml.Append("    certificate-authority-data: ").Append(Base64(CertificateAuthority.CertificatePem)).Append('\n');
            }
        }

        yaml.Append("contexts:\n- name: testkit\n  context:\n    cluster: testkit\n    user: testkit\n");
        if (ns is not null)
        {
            yaml.Append("    namespace: ").Append(ns).Append('\n');
        }

        yaml.Append("current-context: testkit\nusers:\n- name: testkit\n  user:");
        switch (user)
        {
            case KubeconfigUser.TokenUser token:
                yaml.Append("\n    token: ").Append(token.Value).Append('\n');
                break;
            case KubeconfigUser.TokenFileUser tokenFile:
                yaml.Append("\n    tokenFile: ").Append(tokenFile.Path).Append('\n');
                break;
            case KubeconfigUser.ExecUser exec:
                yaml.Append("\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Never\n      command: ")
                    .Append(JsonSerializer.Serialize(exec.Command)).Append("\n      args: [")
                    .Append(string.Join(", ", exec.Arguments.Select(a => JsonSerializer.Serialize(a)))).Append("]\n");
                break;
            case KubeconfigUser.ClientCertificateUser client when credentialsAsFiles:
            {
                var (certFile, keyFile) = client.Certificate.WriteFiles(Path.Combine(directory, Path.GetFileName(path) + ".client.crt"),
                    Path.Combine(directory, Path.GetFileName(path) + ".client.key"));
                yaml.Append("\n    client-certificate: ").Append(certFile).Append("\n    client-key: ").Append(keyFile).Append('\n');
                break;
            }

            case KubeconfigUser.ClientCertificateUser client:
                yaml.Append("\n    client-certificate-data: ").Append(Base64(client.Certificate.CertificatePem))
                    .Append("\n    client-key-data: ").Append(Base64(client.Certificate.PrivateKeyPem)).Append('\n');
                break;
            default:
                yaml.Append(" {}\n");
                break;
        }

        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    /// <summary>An HttpClient that trusts this server's CA and sends the default bearer token (raw wire tests).</summary>
    public HttpClient CreateHttpClient(string? token = DefaultToken, X509Certificate2? clientCertificate = null)
    {
        HttpMessageHandler handler = CertificateAuthority is null
            ? new SocketsHttpHandler()
            : TrustOnlyCaHandler.CreateHandler(CertificateAuthority.Certificate, clientCertificate: clientCertificate);
        var client = new HttpClient(handler) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Controllers.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        Store.CloseWatches();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _serving?.Dispose();
        CertificateAuthority?.Dispose();
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private void OnChanged(StoredChange change)
    {
        // A created CRD registers its types, and is Established at once (the apiextensions controller's job).
        if (change.Type.GroupResource == ResourceTypes.CustomResourceDefinition.GroupResource && !change.Deleted)
        {
            try
            {
                Registry.AddCustomResourceDefinition(change.After);
            }
            catch (ArgumentException)
            {
                // an incomplete CRD serves nothing
            }
        }

        Controllers.Notify(change);
    }

    // ------------------------------------------------------------------ request pipeline

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "",
            HttpUtility.ParseQueryString(request.QueryString.Value ?? ""), body, request.ContentType, _options.Time.GetUtcNow());
        var route = Route.Parse(recorded, Registry);
        Requests.Add(recorded);
        recorded.User = Authenticate(context);
        var counted = !recorded.IsWatch;
        if (counted)
        {
            Requests.Enter();
        }

        try
        {
            if (_options.RequireAuthentication && recorded.User is null)
            {
                await WriteJsonAsync(context, recorded, 401, KubeStatus.Failure(401, "Unauthorized", "Unauthorized")).ConfigureAwait(false);
                return;
            }

            if (Faults.Take(recorded) is { } fault)
            {
                recorded.Fault = fault.Describe();
                if (await ApplyFaultAsync(context, recorded, route, fault).ConfigureAwait(false))
                {
                    return;
                }
            }

            if (_options.Authorize is { } authorize && recorded.Resource is not null && !authorize(recorded))
            {
                var denied = (KubeFault.ForbiddenFault)KubeFault.Forbidden(recorded.User ?? "system:anonymous");
                await WriteJsonAsync(context, recorded, 403, denied.Body(recorded)).ConfigureAwait(false);
                return;
            }

            await ServeAsync(context, recorded, route).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            // the client went away or the server is stopping
        }
        finally
        {
            if (counted)
            {
                Requests.Leave();
            }
        }
    }

    private string? Authenticate(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            && _options.Tokens.TryGetValue(authorization["Bearer ".Length..].Trim(), out var user))
        {
            return user;
        }

        if (context.Connection.ClientCertificate is { } certificate && CertificateAuthority is not null && CertificateAuthority.Issued(certificate))
        {
            return certificate.GetNameInfo(X509NameType.SimpleName, false);
        }

        return null;
    }

    /// <summary>Serves a fault; returns false when the request should then be served normally (delays, slow bodies).</summary>
    private async Task<bool> ApplyFaultAsync(HttpContext context, RecordedRequest recorded, Route route, KubeFault fault)
    {
        switch (fault)
        {
            case KubeFault.StatusFault status:
                if (status.RetryAfter is { } retry)
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await WriteJsonAsync(context, recorded, status.Code, status.Body()).ConfigureAwait(false);
                return true;
            case KubeFault.ForbiddenFault forbidden:
                await WriteJsonAsync(context, recorded, 403, forbidden.Body(recorded)).ConfigureAwait(false);
                return true;
            case KubeFault.PlainTextFault plain:
                recorded.StatusCode = plain.Code;
                context.Response.StatusCode = plain.Code;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(plain.Text, context.RequestAborted).ConfigureAwait(false);
                return true;
            case KubeFault.HangFault:
                await LoopbackHttp.HangAsync(context, _stopping.Token).ConfigureAwait(false);
                return true;

            case KubeFault.DelayFault delay:
                await Task.Delay(delay.Duration, context.RequestAborted).ConfigureAwait(false);
                return false;
            case KubeFault.ResetFault:
                context.Abort();
                return true;
            case KubeFault.SlowBodyFault or KubeFault.PartialBodyFault:
            {
                var original = context.Response.Body;
                using var buffer = new MemoryStream();
                context.Response.Body = buffer;
                try
                {
                    await ServeAsync(context, recorded, route).ConfigureAwait(false);
                }
                finally
                {
                    context.Response.Body = original;
                }

                var bytes = buffer.ToArray();
                context.Response.ContentLength = bytes.Length;
                if (fault is KubeFault.PartialBodyFault partial)
                {
                    var length = (int)(bytes.Length * Math.Clamp(partial.Fraction, 0, 1));
                    await original.WriteAsync(bytes.AsMemory(0, length), context.RequestAborted).ConfigureAwait(false);
                    await original.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    context.Abort();
                    return true;
                }

                var slow = (KubeFault.SlowBodyFault)fault;
                for (var offset = 0; offset < bytes.Length; offset += slow.ChunkSize)
                {
                    await original.WriteAsync(bytes.AsMemory(offset, Math.Min(slow.ChunkSize, bytes.Length - offset)), context.RequestAborted).ConfigureAwait(false);
                    await original.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    await Task.Delay(slow.Interval, context.RequestAborted).ConfigureAwait(false);
                }

                return true;
            }

            default:
                return false;
        }
    }

    private async Task ServeAsync(HttpContext context, RecordedRequest recorded, Route route)
    {
        try
        {
            switch (route.Kind)
            {
                case RouteKind.Discovery:
                    await WriteJsonAsync(context, recorded, 200, Discovery(recorded.Path)).ConfigureAwait(false);
                    return;
                case RouteKind.Health:
                    recorded.StatusCode = 200;
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
                    return;
                case RouteKind.NotFound:
                    throw KubeApiException.NoRoute();
            }

            var type = route.Type!;
            var dryRun = DryRun(recorded, type);
            switch (recorded.Verb)
            {
                case "get":
                    await WriteJsonAsync(context, recorded, 200,
                        Store.Get(type, route.Namespace, route.Name!) is { } found && (route.Subresource is null || (route.Subresource == "status" && type.StatusSubresource))
                            ? found
                            : throw (route.Subresource is null or "status" ? KubeApiException.NotFound(type, route.Name!) : KubeApiException.NoRoute())).ConfigureAwait(false);
                    return;
                case "list":
                    await WriteJsonAsync(context, recorded, 200, await ListAsync(recorded, route, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
                    return;
                case "watch":
                    await WatchAsync(context, recorded, route).ConfigureAwait(false);
                    return;
                case "create":
                    await WriteJsonAsync(context, recorded, 201, Store.Create(type, route.Namespace, ParseBody(recorded, type), dryRun)).ConfigureAwait(false);
                    return;
                case "update":
                    await WriteJsonAsync(context, recorded, 200,
                        Store.Replace(type, route.Namespace, route.Name!, ParseBody(recorded, type), route.Subresource, dryRun)).ConfigureAwait(false);
                    return;
                case "patch":
                {
                    var existed = Store.Get(type, route.Namespace, route.Name!) is not null;
                    var result = Store.Patch(type, route.Namespace, route.Name!, recorded.ContentType ?? "", recorded.Body, route.Subresource, dryRun,
                        recorded.Query["fieldManager"]);
                    await WriteJsonAsync(context, recorded, existed ? 200 : 201, result).ConfigureAwait(false);
                    return;
                }

                case "delete":
                {
                    JsonObject? options = null;
                    if (!string.IsNullOrWhiteSpace(recorded.Body))
                    {
                        options = ParseJson(recorded.Body);
                    }

                    var deleted = Store.Delete(type, route.Namespace, route.Name!, DeleteOptions.Parse(options, recorded.Query["propagationPolicy"]), dryRun);
                    await WriteJsonAsync(context, recorded, 200, deleted).ConfigureAwait(false);
                    return;
                }

                case "deletecollection":
                {
                    var matches = Matcher(recorded, type);
                    var deleted = Store.DeleteCollection(type, route.Namespace, matches, dryRun);
                    await WriteJsonAsync(context, recorded, 200, ListBody(type, deleted, Store.ResourceVersion, null, 0)).ConfigureAwait(false);
                    return;
                }

                default:
                    throw KubeApiException.MethodNotAllowed();
            }
        }
        catch (Exception e) when (e is not KubeApiException and not OperationCanceledException && !context.Response.HasStarted)
        {
            // A bug in the stand-in itself: answer like the API server's panic handler, with the message, so the test shows it.
            await WriteJsonAsync(context, recorded, 500, KubeApiException.Internal($"testkit stand-in failure: {e.GetType().Name}: {e.Message}").Status).ConfigureAwait(false);
        }
        catch (KubeApiException e)
        {
            if (e.RetryAfter is { } retry)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            if (!context.Response.HasStarted)
            {
                await WriteJsonAsync(context, recorded, e.Code, e.Status).ConfigureAwait(false);
            }
        }
    }

    private static bool DryRun(RecordedRequest recorded, ResourceType type)
    {
        var values = recorded.Query.GetValues("dryRun");
        if (values is null || values.Length == 0)
        {
            return false;
        }

        if (values.Any(v => v != "All"))
        {
            var options = recorded.Verb switch { "create" => "CreateOptions", "patch" => "PatchOptions", "delete" or "deletecollection" => "DeleteOptions", _ => "UpdateOptions" };
            throw new KubeApiException(422, KubeStatus.Failure(422, "Invalid",
                $"{options}.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{{\"{string.Join("\", \"", values)}\"}}: supported values: \"All\"",
                new JsonObject { ["group"] = "meta.k8s.io", ["kind"] = options }));
        }

        return true;
    }

    private static JsonObject ParseBody(RecordedRequest recorded, ResourceType type)
    {
        var obj = ParseJson(recorded.Body);
        if ((string?)obj["kind"] is { Length: > 0 } kind && kind != type.Kind)
        {
            throw KubeApiException.BadRequest($"the API version in the data ({(string?)obj["apiVersion"]}) does not match the expected API version ({type.ApiVersion})"
                + (kind == type.Kind ? "" : $" or the kind in the data ({kind}) does not match the expected kind ({type.Kind})"));
        }

        if ((string?)obj["apiVersion"] is { Length: > 0 } apiVersion && apiVersion != type.ApiVersion)
        {
            throw KubeApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        return obj;
    }

    private static JsonObject ParseJson(string body)
    {
        try
        {
            return KubeJson.ParseObject(body);
        }
        catch (JsonException e)
        {
            throw KubeApiException.BadRequest($"couldn't get version/kind; json parse error: {e.Message}");
        }
    }

    private static Func<JsonObject, bool> Matcher(RecordedRequest recorded, ResourceType type)
    {
        LabelSelector labels;
        FieldSelector fields;
        try
        {
            labels = LabelSelector.Parse(recorded.Query["labelSelector"]);
            fields = FieldSelector.Parse(recorded.Query["fieldSelector"], ["metadata.name", "metadata.namespace", .. type.SelectableFields]);
        }
        catch (FormatException e)
        {
            throw KubeApiException.BadRequest(e.Message);
        }

        return obj => labels.Matches(obj.Labels()) && fields.Matches(obj);
    }

    // ------------------------------------------------------------------ list

    private async Task<JsonObject> ListAsync(RecordedRequest recorded, Route route, CancellationToken cancellationToken)
    {
        var type = route.Type!;
        var query = recorded.Query;
        var matches = Matcher(recorded, type);
        var filtered = !string.IsNullOrEmpty(query["labelSelector"]) || !string.IsNullOrEmpty(query["fieldSelector"]);
        var limit = int.TryParse(query["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : 0;
        var rvText = query["resourceVersion"];
        var match = query["resourceVersionMatch"];
        var continueToken = query["continue"];
        ValidateResourceVersionMatch(rvText, match, "ListOptions");
        long? at = null;
        string? startAfter = null;
        if (!string.IsNullOrEmpty(continueToken))
        {
            if (!string.IsNullOrEmpty(rvText) && rvText != "0")
            {
                throw KubeApiException.BadRequest("specifying resource version is not allowed when using continue");
            }

            var (tokenRv, start) = ContinueToken.Decode(continueToken);
            startAfter = start;
            at = tokenRv > 0 ? tokenRv : null;
        }
        else if (!string.IsNullOrEmpty(rvText))
        {
            var rv = ParseResourceVersion(rvText);
            if (rv == 0)
            {
                // "Any": served from the watch cache, which does not page: the limit is ignored.
                limit = 0;
            }
            else if (match == "Exact" || (match is null && limit > 0))
            {
                at = rv;
                await WaitForResourceVersionAsync(rv, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WaitForResourceVersionAsync(rv, cancellationToken).ConfigureAwait(false);
            }
        }

        ListPage page;
        try
        {
            page = Store.ListPage(type, route.Namespace, at, startAfter, limit, matches);
        }
        catch (ResourceVersionCompactedException)
        {
            if (continueToken is not null && startAfter is not null)
            {
                throw KubeApiException.Expired(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
                    ContinueToken.Encode(-1, startAfter));
            }

            throw KubeApiException.Expired("The resourceVersion for the provided list is too old.");
        }

        var next = page.LastKey is null ? null : ContinueToken.Encode(page.ResourceVersion, page.LastKey);
        return ListBody(type, page.Items, page.ResourceVersion, next, filtered ? 0 : page.Remaining);
    }

    private static JsonObject ListBody(ResourceType type, IEnumerable<JsonObject> items, long resourceVersion, string? continueToken, int remaining)
    {
        var array = new JsonArray();
        foreach (var item in items)
        {
            if (type.BuiltIn)
            {
                // Typed lists carry no kind/apiVersion on their items; custom resource lists (unstructured) do.
                item.Remove("kind");
                item.Remove("apiVersion");
            }

            array.Add(item);
        }

        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
            if (remaining > 0)
            {
                metadata["remainingItemCount"] = remaining;
            }
        }

        return new JsonObject { ["kind"] = type.ListKind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata, ["items"] = array };
    }

    private static void ValidateResourceVersionMatch(string? rv, string? match, string optionsKind, bool watch = false, bool sendInitialEvents = false)
    {
        string? problem = null;
        if (!string.IsNullOrEmpty(match))
        {
            if (match is not ("Exact" or "NotOlderThan"))
            {
                problem = $"resourceVersionMatch: Unsupported value: \"{match}\": supported values: \"Exact\", \"NotOlderThan\"";
            }
            else if (watch && !sendInitialEvents)
            {
                problem = "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided";
            }
            else if (watch && match != "NotOlderThan")
            {
                problem = $"resourceVersionMatch: Unsupported value: \"{match}\": supported values: \"NotOlderThan\"";
            }
            else if (!watch && string.IsNullOrEmpty(rv))
            {
                problem = "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided";
            }
            else if (match == "Exact" && rv == "0")
            {
                problem = "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"";
            }
        }
        else if (watch && sendInitialEvents)
        {
            problem = "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan";
        }

        if (problem is not null)
        {
            throw new KubeApiException(422, KubeStatus.Failure(422, "Invalid", $"{optionsKind}.meta.k8s.io \"\" is invalid: {problem}",
                new JsonObject { ["group"] = "meta.k8s.io", ["kind"] = optionsKind }));
        }
    }

    private static long ParseResourceVersion(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw KubeApiException.BadRequest($"invalid resource version \"{text}\": resourceVersion must be an integer");

    private async Task WaitForResourceVersionAsync(long rv, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.TooLargeResourceVersionWait;
        while (Store.ResourceVersion < rv)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw KubeApiException.TooLargeResourceVersion(rv, Store.ResourceVersion);
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    // ------------------------------------------------------------------ watch

    private async Task WatchAsync(HttpContext context, RecordedRequest recorded, Route route)
    {
        var type = route.Type!;
        var query = recorded.Query;
        var matches = Matcher(recorded, type);
        var rvText = query["resourceVersion"];
        var allowBookmarks = query["allowWatchBookmarks"] is "true" or "1";
        var sendInitialEvents = query["sendInitialEvents"] is "true" or "1";
        ValidateResourceVersionMatch(rvText, query["resourceVersionMatch"], "ListOptions", watch: true, sendInitialEvents: sendInitialEvents);
        if (sendInitialEvents && !allowBookmarks)
        {
            throw new KubeApiException(422, KubeStatus.Failure(422, "Invalid",
                "ListOptions.meta.k8s.io \"\" is invalid: allowWatchBookmarks: Forbidden: allowWatchBookmarks must be set to true when sendInitialEvents is set"));
        }

        long? from = string.IsNullOrEmpty(rvText) ? null : ParseResourceVersion(rvText);
        if (from == 0 || sendInitialEvents)
        {
            from = null; // "0" and streaming lists start with the current state as ADDED events
        }

        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : _options.DefaultWatchTimeout;
        var name = route.Name;
        if (name is not null)
        {
            // The legacy /watch/.../name form watches one object.
            var byName = matches;
            matches = o => o.Name() == name && byName(o);
        }

        var response = context.Response;
        WatchSubscription watch;
        try
        {
            watch = Store.Watch(type, route.Namespace, matches, from, allowBookmarks, initialEventsEndBookmark: sendInitialEvents);
        }
        catch (ResourceVersionCompactedException e)
        {
            // Like the watch cache: 200 and a stream that carries one ERROR event with a 410 Status.
            recorded.StatusCode = 200;
            response.StatusCode = 200;
            response.ContentType = "application/json";
            await response.WriteAsync(KubeStore.GoneEvent(e.Requested, e.Oldest).ToLine() + "\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using (watch)
        {
            recorded.StatusCode = 200;
            response.StatusCode = 200;
            response.ContentType = "application/json";
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            stop.CancelAfter(timeout);
            var lastBookmark = DateTime.UtcNow;
            try
            {
                while (true)
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    if (allowBookmarks && _options.BookmarkInterval is { } interval)
                    {
                        wait.CancelAfter(Max(TimeSpan.Zero, lastBookmark + interval - DateTime.UtcNow));
                    }

                    WatchEvent next;
                    try
                    {
                        if (!await watch.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                        {
                            break; // closed by the store (expired, server stopping, CloseWatches)
                        }

                        if (!watch.Reader.TryRead(out next!))
                        {
                            continue;
                        }
                    }
                    catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                    {
                        Store.SendBookmark(watch);
                        lastBookmark = DateTime.UtcNow;
                        continue;
                    }

                    var obj = next.Type is WatchEvent.Bookmark or WatchEvent.Error ? Rekind(next.Object, type, next.Type) : KubeStore.Out(type, next.Object);
                    await response.WriteAsync(new WatchEvent(next.Type, obj).ToLine() + "\n", stop.Token).ConfigureAwait(false);
                    await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested && !_stopping.IsCancellationRequested)
            {
                // timeoutSeconds reached: a last bookmark lets the client resume exactly here, then the stream ends.
                if (allowBookmarks)
                {
                    var bookmark = KubeStore.BookmarkEvent(type, Math.Max(watch.LastResourceVersion, Store.ResourceVersion), initialEventsEnd: false);
                    await response.WriteAsync(bookmark.ToLine() + "\n", context.RequestAborted).ConfigureAwait(false);
                }
            }
        }
    }

    private static JsonObject Rekind(JsonObject obj, ResourceType type, string eventType)
    {
        if (eventType == WatchEvent.Error)
        {
            return obj;
        }

        var copy = obj.Clone();
        copy["kind"] = type.Kind;
        copy["apiVersion"] = type.ApiVersion;
        return copy;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // ------------------------------------------------------------------ discovery

    private JsonObject Discovery(string path)
    {
        var types = Registry.All;
        if (path == "/version")
        {
            return new JsonObject
            {
                ["major"] = "1", ["minor"] = "33", ["gitVersion"] = "v1.33.0-testkit", ["gitCommit"] = "testkit", ["gitTreeState"] = "clean",
                ["buildDate"] = "2025-05-01T00:00:00Z", ["goVersion"] = "go1.24.2", ["compiler"] = "gc", ["platform"] = "linux/amd64",
            };
        }

        if (path == "/api")
        {
            return new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = Url.Authority }),
            };
        }

        if (path == "/apis")
        {
            var groups = new JsonArray();
            foreach (var group in types.Where(t => t.Group.Length > 0).GroupBy(t => t.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var versions = new JsonArray();
                foreach (var version in group.Select(t => t.Version).Distinct().OrderBy(v => v, StringComparer.Ordinal))
                {
                    versions.Add(new JsonObject { ["groupVersion"] = group.Key + "/" + version, ["version"] = version });
                }

                var preferred = group.FirstOrDefault(t => t.View is null) ?? group.First();
                groups.Add(new JsonObject
                {
                    ["name"] = group.Key,
                    ["versions"] = versions,
                    ["preferredVersion"] = new JsonObject { ["groupVersion"] = preferred.ApiVersion, ["version"] = preferred.Version },
                });
            }

            return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
        }

        var groupVersion = path == "/api/v1" ? "v1" : path["/apis/".Length..];
        var resources = new JsonArray();
        foreach (var type in types.Where(t => t.ApiVersion == groupVersion).OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            var entry = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular.Length > 0 ? type.Singular : type.Kind.ToLowerInvariant(),
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            };
            if (type.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(type.ShortNames.Select(s => (JsonNode)s).ToArray());
            }

            resources.Add(entry);
            if (type.StatusSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status", ["singularName"] = "", ["namespaced"] = type.Namespaced, ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        if (resources.Count == 0)
        {
            throw KubeApiException.NoRoute();
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = resources };
    }

    private static Task WriteJsonAsync(HttpContext context, RecordedRequest recorded, int code, JsonObject body)
    {
        recorded.StatusCode = code;
        return LoopbackHttp.WriteJsonAsync(context, code, body);
    }
}
