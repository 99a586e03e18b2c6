using Microsoft.Net.Http.Headers;

namespace ContactCenter.Server.Security;

/// <summary>
/// Defences for browsers: <c>X-Content-Type-Options: nosniff</c> on every answer, a Content
/// Security Policy on the HTML the server writes itself (the SOP document, the API page), and a
/// cross-origin check on state-changing requests that a cookie authenticates.
/// </summary>
/// <remarks>
/// The cookie is <c>SameSite=Strict</c>, but that is the browser's promise alone, and a sibling
/// site on the same registrable domain counts as same-site. A browser always sends
/// <c>Origin</c> on a cross-origin POST, so a POST, PUT, PATCH or DELETE that carries the cookie
/// (and no bearer token) is refused with 403 when its <c>Origin</c> (else its <c>Referer</c>) is
/// not this server. A request with neither header is not from a browser page and passes; a bearer
/// token is never sent by a browser on its own, so bearer requests are not checked.
/// </remarks>
public static class BrowserDefences
{
    /// <summary>The SOP document: inline styles and images only; no script, no frames, no forms.</summary>
    public const string DocumentPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The API page (Scalar): its own script and styles, its inline bootstrap, calls to this server only.</summary>
    public const string ApiPagePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static WebApplication UseBrowserDefences(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                if (!headers.ContainsKey(HeaderNames.ContentSecurityPolicy) && PolicyFor(context) is { } policy)
                {
                    headers[HeaderNames.ContentSecurityPolicy] = policy;
                }

                return Task.CompletedTask;
            });

            if (IsCrossOriginCookieWrite(context.Request, out var origin))
            {
                var security = context.RequestServices.GetRequiredService<SecurityLog>();
                var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
                security.Denied(context, $"cross-origin request from {origin} with the sign-in cookie");
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status403Forbidden,
                        Title = "Forbidden",
                        Detail = "A request that changes something must come from this server's own pages (Origin does not match).",
                    },
                }).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        return app;
    }

    private static string? PolicyFor(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/scalar", StringComparison.OrdinalIgnoreCase))
        {
            return ApiPagePolicy;
        }

        var type = context.Response.ContentType;
        return type is not null && type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) ? DocumentPolicy : null;
    }

    /// <summary>A state-changing request that carries the sign-in cookie, no bearer token, and a foreign Origin or Referer.</summary>
    internal static bool IsCrossOriginCookieWrite(HttpRequest request, out string origin)
    {
        origin = string.Empty;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return false;
        }

        if (!request.Cookies.ContainsKey(CookieName) || request.Headers.Authorization.Count > 0)
        {
            return false;
        }

        string? claimed = request.Headers.Origin.Count > 0 ? request.Headers.Origin.ToString() : null;
        if (claimed is null && request.Headers.Referer.Count > 0)
        {
            claimed = request.Headers.Referer.ToString();
        }

        if (claimed is null)
        {
            return false;
        }

        origin = claimed;
        if (!Uri.TryCreate(claimed, UriKind.Absolute, out var uri))
        {
            return true; // "null" (a sandboxed frame, a file:// page) or garbage
        }

        var self = request.Host;
        return !string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(uri.Authority, self.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The sign-in cookie's name (set in <see cref="SecurityServiceCollectionExtensions"/>).</summary>
    public const string CookieName = "ContactCenter";
}
