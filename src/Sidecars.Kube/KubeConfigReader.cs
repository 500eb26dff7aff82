using System.Text;
using Sidecars.Runtime.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sidecars.Kube;

/// <summary>
/// Reads a context of one or more kubeconfig files (KUBECONFIG may list several; the first file that defines a name
/// wins, as kubectl merges them) with YamlDotNet's node model: no serializer, so no reflection.
/// Supports cluster <c>server</c>, <c>certificate-authority(-data)</c>, <c>insecure-skip-tls-verify</c> and user
/// <c>token</c>, <c>tokenFile</c>, <c>client-certificate(-data)</c>, <c>client-key(-data)</c>.
/// A kubeconfig is untrusted input: its size and nesting are bounded before the node model (which recurses) sees it.
/// </summary>
internal static class KubeConfigReader
{
    /// <summary>Far above any real kubeconfig (hundreds of clusters with embedded CAs are a few MiB).</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>A kubeconfig nests five levels; deeper is an attack on the recursive node model's stack.</summary>
    public const int MaxDepth = 64;

    /// <summary>Reads and merges <paramref name="paths"/> and returns <paramref name="contextName"/> (null: current-context).</summary>
    /// <exception cref="KubeConfigException">A file cannot be read or the context is not usable.</exception>
    public static KubeConfigContext Load(IReadOnlyList<string> paths, string? contextName)
    {
        var files = new List<(YamlMappingNode Root, string Directory, string Source)>();
        foreach (var path in paths)
        {
            var text = ReadFile(path, "kubeconfig");
            var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
            files.Add((ParseRoot(text, path), dir, path));
        }

        return Resolve(files, contextName, string.Join(Path.PathSeparator, paths));
    }

    /// <summary>One kubeconfig given as text (tests).</summary>
    public static KubeConfigContext Parse(string yaml, string baseDirectory, string sourceName = "kubeconfig", string? contextName = null) =>
        Resolve([(ParseRoot(yaml, sourceName), baseDirectory, sourceName)], contextName, sourceName);

    /// <summary>Reads a file the kubeconfig or the service account names, with the size bound and clear errors.</summary>
    public static byte[] ReadBytes(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new KubeConfigException($"cannot read {what} '{path}': it is a directory");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            using var memory = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                memory.Write(chunk, 0, read);
                if (memory.Length > MaxBytes)
                {
                    throw new KubeConfigException($"cannot read {what} '{path}': it is larger than {MaxBytes / (1024 * 1024)} MiB");
                }
            }

            return memory.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"cannot read {what} '{path}': {ErrorText.Describe(e)}", e);
        }
    }

    private static string ReadFile(string path, string what) => Encoding.UTF8.GetString(ReadBytes(path, what));

    private static YamlMappingNode ParseRoot(string yaml, string source)
    {
        if (yaml.Length > MaxBytes)
        {
            throw new KubeConfigException($"{source} is larger than {MaxBytes / (1024 * 1024)} MiB");
        }

        try
        {
            CheckDepth(yaml, source);
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode m
                ? m
                : throw Invalid(source, "is not a YAML mapping");
        }
        catch (YamlException e)
        {
            throw new KubeConfigException($"{source} is not valid YAML (line {e.Start.Line}, column {e.Start.Column})", e);
        }
    }

    /// <summary>Walks the event stream (the parser keeps its own stack, it does not recurse) and refuses deep nesting.</summary>
    private static void CheckDepth(string yaml, string source)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    if (++depth > MaxDepth)
                    {
                        throw Invalid(source, $"nests deeper than {MaxDepth} levels, which no kubeconfig does");
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    private static KubeConfigContext Resolve(List<(YamlMappingNode Root, string Directory, string Source)> files, string? contextName, string source)
    {
        var name = contextName;
        if (string.IsNullOrEmpty(name))
        {
            name = files.Select(f => Scalar(f.Root, "current-context")).FirstOrDefault(n => n is not null)
                ?? throw Invalid(source, "sets no current-context; pass --context or set one with kubectl config use-context");
        }

        var (context, _) = Named(files, "contexts", "context", name)
            ?? throw Invalid(source, $"has no context named '{name}'");
        var clusterName = Scalar(context, "cluster") ?? throw Invalid(source, $"context '{name}' names no cluster");
        var (cluster, clusterDir) = Named(files, "clusters", "cluster", clusterName)
            ?? throw Invalid(source, $"has no cluster named '{clusterName}' (of context '{name}')");
        var userName = Scalar(context, "user");
        (YamlMappingNode Node, string Directory)? user = null;
        if (userName is not null)
        {
            user = Named(files, "users", "user", userName) ?? throw Invalid(source, $"has no user named '{userName}' (of context '{name}')");
        }

        var serverText = Scalar(cluster, "server") ?? throw Invalid(source, $"cluster '{clusterName}' has no server");
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw Invalid(source, $"cluster '{clusterName}' has server '{serverText}', which is not an http(s) URL");
        }

        var u = user?.Node;
        var userDir = user?.Directory ?? clusterDir;
        if (u is not null && Scalar(u, "token") is null && Scalar(u, "tokenFile") is null
            && Scalar(u, "client-certificate") is null && Scalar(u, "client-certificate-data") is null
            && (u.Children.ContainsKey("exec") || u.Children.ContainsKey("auth-provider")))
        {
            throw Invalid(source, $"user '{userName}' uses exec or auth-provider credentials, which are not supported; use a token, tokenFile or client certificate");
        }

        return new KubeConfigContext(
            name,
            clusterName,
            userName,
            server,
            Scalar(context, "namespace"),
            FilePath(cluster, "certificate-authority", clusterDir, source),
            Data(cluster, "certificate-authority-data", source, $"cluster '{clusterName}'"),
            string.Equals(Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
            u is null ? null : Scalar(u, "token"),
            u is null ? null : FilePath(u, "tokenFile", userDir, source),
            u is null ? null : FilePath(u, "client-certificate", userDir, source),
            u is null ? null : Data(u, "client-certificate-data", source, $"user '{userName}'"),
            u is null ? null : FilePath(u, "client-key", userDir, source),
            u is null ? null : Data(u, "client-key-data", source, $"user '{userName}'"));
    }

    private static KubeConfigException Invalid(string source, string why) => new($"kubeconfig {source} {why}");

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s
            && !string.IsNullOrEmpty(s.Value) && s.Value != "~" && s.Value != "null"
            ? s.Value
            : null;

    /// <summary>Finds <c>{name: x, inner: {...}}</c> under <paramref name="listKey"/> in the first file that has it.</summary>
    private static (YamlMappingNode Node, string Directory)? Named(
        List<(YamlMappingNode Root, string Directory, string Source)> files, string listKey, string innerKey, string name)
    {
        foreach (var (root, dir, _) in files)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(listKey), out var list) || list is not YamlSequenceNode seq)
            {
                continue;
            }

            foreach (var item in seq.Children)
            {
                if (item is YamlMappingNode entry && Scalar(entry, "name") == name)
                {
                    var inner = entry.Children.TryGetValue(new YamlScalarNode(innerKey), out var node) && node is YamlMappingNode m
                        ? m
                        : new YamlMappingNode();
                    return (inner, dir);
                }
            }
        }

        return null;
    }

    private static string? FilePath(YamlMappingNode map, string key, string baseDirectory, string source)
    {
        var path = Scalar(map, key);
        if (path is null)
        {
            return null;
        }

        return path.Contains('\0', StringComparison.Ordinal)
            ? throw Invalid(source, $"has {key} '{path.Replace("\0", "\\0", StringComparison.Ordinal)}', which contains a NUL character")
            : Path.GetFullPath(path, baseDirectory);
    }

    private static byte[]? Data(YamlMappingNode map, string key, string source, string owner)
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
            throw new KubeConfigException($"kubeconfig {source}: {key} of {owner} is not valid base64", e);
        }
    }
}
