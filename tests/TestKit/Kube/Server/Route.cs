namespace TestKit.Kube.Server;

internal enum RouteKind
{
    Resource,
    Discovery,
    Health,
    NotFound,
}

/// <summary>
/// A request path taken apart the way the API server's request-info resolver does: <c>/api/v1/...</c> or
/// <c>/apis/GROUP/VERSION/...</c>, an optional legacy <c>watch/</c> segment, <c>namespaces/NS/</c>, then
/// RESOURCE[/NAME[/SUBRESOURCE]]; plus the verb from the method and <c>watch</c> parameter.
/// </summary>
internal sealed record Route(RouteKind Kind, ResourceType? Type = null, string? Namespace = null, string? Name = null, string? Subresource = null)
{
    public static Route Parse(RecordedRequest request, ResourceRegistry registry)
    {
        var path = request.Path.TrimEnd('/');
        if (path is "/healthz" or "/readyz" or "/livez")
        {
            request.Verb = "get";
            return new Route(RouteKind.Health);
        }

        if (path is "/api" or "/apis" or "/version" or "/api/v1" || (path.StartsWith("/apis/", StringComparison.Ordinal) && path.Count(c => c == '/') == 3))
        {
            request.Verb = "discovery";
            return request.Method == "GET" ? new Route(RouteKind.Discovery) : new Route(RouteKind.NotFound);
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group, version;
        int rest;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return new Route(RouteKind.NotFound);
        }

        var parts = segments[rest..];
        var legacyWatch = false;
        if (parts.Length > 0 && parts[0] == "watch")
        {
            legacyWatch = true;
            parts = parts[1..];
        }

        string? ns = null;
        if (parts.Length >= 3 && parts[0] == "namespaces" && !(parts.Length == 3 && parts[2] is "status" or "finalize"))
        {
            ns = parts[1];
            parts = parts[2..];
        }

        if (parts.Length is 0 or > 3)
        {
            return new Route(RouteKind.NotFound);
        }

        var type = registry.Find(group, version, parts[0]);
        if (type is null || (ns is not null && !type.Namespaced))
        {
            return new Route(RouteKind.NotFound);
        }

        var name = parts.Length > 1 ? parts[1] : null;
        var subresource = parts.Length > 2 ? parts[2] : null;
        var watch = legacyWatch || request.Query["watch"] is "true" or "1";
        request.Resource = type;
        request.Namespace = ns;
        request.Name = name;
        request.Subresource = subresource;
        request.Verb = request.Method switch
        {
            "GET" when watch => "watch",
            "GET" => name is null ? "list" : "get",
            "POST" when name is null => "create",
            "PUT" when name is not null => "update",
            "PATCH" when name is not null => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => "unsupported",
        };
        if (type.Namespaced && ns is null && request.Verb is "create" or "update" or "patch" or "delete" or "get" or "deletecollection")
        {
            return new Route(RouteKind.NotFound);
        }

        return new Route(RouteKind.Resource, type, ns, name, subresource);
    }
}
