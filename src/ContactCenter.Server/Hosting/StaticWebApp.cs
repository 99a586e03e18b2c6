using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace ContactCenter.Server.Hosting;

/// <summary>
/// Serves the web app (src/ContactCenter.Web, built by this project's <c>dotnet build</c> into
/// <c>wwwroot</c> beside the binary): its files, <c>/</c> as <c>index.html</c>, and
/// <c>index.html</c> for the app's own routes (<c>/console/...</c>, <c>/tickets/...</c>) so a
/// reload or a deep link works.
/// </summary>
/// <remarks>
/// It runs before routing, so <c>/</c> is the app rather than the redirect to <c>/scalar</c>, and
/// before sign-in: the files are public, every <c>/api</c> call of the app needs the cookie.
/// Paths under <c>/api</c>, <c>/health</c>, <c>/metrics</c>, <c>/openapi</c> and <c>/scalar</c> are never the app's:
/// an unknown API route stays a 404 problem. Without a built app (a build with
/// <c>-p:SkipWebApp=true</c>) this is a no-op and <c>/</c> goes on redirecting to <c>/scalar</c>.
/// </remarks>
public static class StaticWebApp
{
    private static readonly string[] ServerPrefixes = ["/api", "/health", "/metrics", "/openapi", "/scalar"];

    /// <summary>The built web app's folder: <c>wwwroot</c> beside the server's binary.</summary>
    public static string RootPath => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public static WebApplication UseWebApp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var index = Path.Combine(RootPath, "index.html");
        if (!File.Exists(index))
        {
            app.Logger.LogWarning("The web app is not built ({Index} is missing); / redirects to the API page", index);
            return app;
        }

        var files = new PhysicalFileProvider(RootPath);
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && IsAppRoute(request.Path))
            {
                request.Path = "/index.html";
            }

            await next(context).ConfigureAwait(false);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = c =>
            {
                var headers = c.Context.Response.Headers;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                if (c.File.Name == "index.html")
                {
                    // The page names its hashed assets: always revalidate it, so a new build is picked up.
                    headers[HeaderNames.CacheControl] = "no-cache";
                    headers["Referrer-Policy"] = "same-origin";
                    headers["X-Frame-Options"] = "DENY";
                    headers[HeaderNames.ContentSecurityPolicy] =
                        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
                }
                else if (c.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal))
                {
                    // Vite names every asset by its content hash.
                    headers[HeaderNames.CacheControl] = "public, max-age=31536000, immutable";
                }
            },
        });
        return app;
    }

    /// <summary>
    /// The app's own pages: <c>/</c> and extension-less paths outside the server's prefixes. A
    /// path with an extension is a file (served when it exists, else a plain 404).
    /// </summary>
    internal static bool IsAppRoute(PathString path)
    {
        var value = path.Value ?? "/";
        if (value == "/")
        {
            return true;
        }

        foreach (var prefix in ServerPrefixes)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return !Path.HasExtension(value);
    }
}
