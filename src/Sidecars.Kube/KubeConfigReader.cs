using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sidecars.Kube;

/// <summary>
/// Reads the current context of a kubeconfig file with YamlDotNet's node model (no serializer, so no reflection).
/// Supports cluster <c>server</c>, <c>certificate-authority(-data)</c>, <c>insecure-skip-tls-verify</c> and user
/// <c>token</c>, <c>tokenFile</c>, <c>client-certificate(-data)</c>, <c>client-key(-data)</c>.
/// </summary>
internal static class KubeConfigReader
{
    public static KubeConfigContext Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"cannot read kubeconfig '{path}': {e.Message}", e);
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        return Parse(text, dir, path);
    }

    public static KubeConfigContext Parse(string yaml, string baseDirectory, string sourceName = "kubeconfig")
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode m
                ? m
                : throw Invalid(sourceName, "the document is not a mapping");
        }
        catch (YamlException e)
        {
            throw new InvalidOperationException($"{sourceName}: invalid YAML at {e.Start}: {e.Message}", e);
        }

        var contextName = Scalar(root, "current-context")
            ?? throw Invalid(sourceName, "no current-context is set");
        var context = Named(root, "contexts", "context", contextName)
            ?? throw Invalid(sourceName, $"current-context '{contextName}' is not among its contexts");
        var clusterName = Scalar(context, "cluster") ?? throw Invalid(sourceName, $"context '{contextName}' names no cluster");
        var cluster = Named(root, "clusters", "cluster", clusterName)
            ?? throw Invalid(sourceName, $"cluster '{clusterName}' (of context '{contextName}') is not defined");
        var userName = Scalar(context, "user");
        var user = userName is null ? null : Named(root, "users", "user", userName)
            ?? throw Invalid(sourceName, $"user '{userName}' (of context '{contextName}') is not defined");

        var serverText = Scalar(cluster, "server") ?? throw Invalid(sourceName, $"cluster '{clusterName}' has no server");
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || (server.Scheme != "https" && server.Scheme != "http"))
        {
            throw Invalid(sourceName, $"cluster '{clusterName}' server '{serverText}' is not an http(s) URL");
        }

        if (user is not null && Scalar(user, "token") is null && Scalar(user, "tokenFile") is null
            && Scalar(user, "client-certificate") is null && Scalar(user, "client-certificate-data") is null
            && (user.Children.ContainsKey("exec") || user.Children.ContainsKey("auth-provider")))
        {
            throw Invalid(sourceName, $"user '{userName}' uses exec/auth-provider credentials, which are not supported; use a token, tokenFile or client certificate");
        }

        return new KubeConfigContext(
            server,
            Scalar(context, "namespace"),
            FilePath(cluster, "certificate-authority", baseDirectory),
            Data(cluster, "certificate-authority-data", sourceName),
            string.Equals(Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
            user is null ? null : Scalar(user, "token"),
            user is null ? null : FilePath(user, "tokenFile", baseDirectory),
            user is null ? null : FilePath(user, "client-certificate", baseDirectory),
            user is null ? null : Data(user, "client-certificate-data", sourceName),
            user is null ? null : FilePath(user, "client-key", baseDirectory),
            user is null ? null : Data(user, "client-key-data", sourceName));
    }

    private static InvalidOperationException Invalid(string source, string why) => new($"{source}: {why}");

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s
            && !string.IsNullOrEmpty(s.Value) && s.Value != "~" && s.Value != "null"
            ? s.Value
            : null;

    /// <summary>Finds <c>{name: x, inner: {...}}</c> in the list under <paramref name="listKey"/>.</summary>
    private static YamlMappingNode? Named(YamlMappingNode root, string listKey, string innerKey, string name)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(listKey), out var list) || list is not YamlSequenceNode seq)
        {
            return null;
        }

        foreach (var item in seq.Children)
        {
            if (item is YamlMappingNode entry && Scalar(entry, "name") == name)
            {
                return entry.Children.TryGetValue(new YamlScalarNode(innerKey), out var inner) && inner is YamlMappingNode m
                    ? m
                    : new YamlMappingNode();
            }
        }

        return null;
    }

    private static string? FilePath(YamlMappingNode map, string key, string baseDirectory) =>
        Scalar(map, key) is { } p ? Path.GetFullPath(p, baseDirectory) : null;

    private static byte[]? Data(YamlMappingNode map, string key, string source)
    {
        var value = Scalar(map, key);
        if (value is null)
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(value.Trim());
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{source}: '{key}' is not valid base64", e);
        }
    }
}
