using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Hosting;
using ContactCenter.Server.Api;
using ContactCenter.Server.Health;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Context;

namespace ContactCenter.Server.Hosting;

public static class ServerApiExtensions
{
    /// <summary>An answer slower than this is logged at Information even when it went well.</summary>
    private const double SlowRequestMs = 1000;

    /// <summary>The display name of the endpoint routing picks when no endpoint accepts the request's media type (ASP.NET Core's AcceptsMatcherPolicy).</summary>
    private const string UnsupportedMediaTypeEndpoint = "415 HTTP Unsupported Media Type";

    /// <summary>Route values pushed on the log context (and the request's completion event) when a route has them.</summary>
    public static IReadOnlyList<(string RouteValue, string Property)> LoggedRouteValues { get; } =
    [
        ("instanceId", "InstanceId"),
        ("ticketId", "TicketId"),
        ("key", "DefinitionKey"),
    ];

    /// <summary>
    /// The API's services: problem details, the exception mapping, JSON (enums as strings, unknown
    /// members refused), the OpenAPI document, health checks and the server's helpers.
    /// </summary>
    public static IServiceCollection AddServerApi(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Extensions.TryAdd("traceId", c.HttpContext.TraceIdentifier);
        });
        services.AddExceptionHandler<ApiExceptionHandler>();

        // JSON (a QC replay's steps are ~770 bytes per event), XML and the app's scripts compress
        // five to ten times. Server-sent events (text/event-stream) are not in the list: a
        // compressor buffers, and live updates must leave at once.
        services.AddResponseCompression(o => o.MimeTypes = ["application/json", "application/problem+json", "application/xml", "text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml", "text/plain"]);
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ContactCenter API";
            document.Info.Description = "Sign in with POST /api/auth/login, then send 'Authorization: Bearer <accessToken>'. Roles per route: docs/server.md.";
            return Task.CompletedTask;
        }));
        services.AddContactCenterHealthChecks();
        services.AddSingleton<Definitions.DefinitionPresenter>();
        services.AddSingleton<InstancePresenter>();
        return services;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter());
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }

    /// <summary>
    /// The middleware, in order: request logging, exception → problem details, status codes
    /// without a body → problem details, routing, log-context properties from route values, body
    /// size limits, the sign-in rate limiter, authentication, 415 for a wrong media type,
    /// authorization.
    /// </summary>
    public static WebApplication UseServerPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        // Request logging outermost: it must see the status the client gets. Inside the exception
        // handler it saw the exception itself and logged every 404 or 409 mapped from one (an
        // unknown instance, a stale version) as an error "responded 500".
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = app.Services.GetService<Serilog.ILogger>();
            // A busy day must not fill a disk with "200 OK" lines (about 650 bytes each, 15 per
            // conversation): answers that went well and quickly are Debug; refusals (4xx, the
            // security-relevant ones included) and slow answers stay Information, failures Error.
            o.GetLevel = (http, elapsedMs, error) =>
                error is not null || http.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error
                : http.Response.StatusCode >= 400 || elapsedMs > SlowRequestMs ? Serilog.Events.LogEventLevel.Information
                : Serilog.Events.LogEventLevel.Debug;
            o.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                if (http.User.Identity?.IsAuthenticated == true)
                {
                    diagnostics.Set("UserName", http.User.Identity.Name);
                }
            };
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.Use(async (context, next) =>
        {
            var pushed = new List<IDisposable>();
            try
            {
                foreach (var (routeValue, property) in LoggedRouteValues)
                {
                    if (context.Request.RouteValues.TryGetValue(routeValue, out var value) && value is not null)
                    {
                        pushed.Add(LogContext.PushProperty(property, value));
                        context.RequestServices.GetService<IDiagnosticContext>()?.Set(property, value);
                    }
                }

                await next(context).ConfigureAwait(false);
            }
            finally
            {
                foreach (var d in pushed)
                {
                    d.Dispose();
                }
            }
        });

        app.UseBodySizeLimits(settings);
        app.UseRateLimiter();
        app.UseAuthentication();
        // A token or cookie of a user since disabled, re-roled or given a new password (their
        // security stamp changed) counts as no sign-in from its next request on.
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated == true
                && !await context.RequestServices.GetRequiredService<SignedInUserCheck>()
                    .IsCurrentAsync(context.User, context.RequestServices.GetRequiredService<UserManager<IdentityUser>>()).ConfigureAwait(false))
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
            }

            await next(context).ConfigureAwait(false);
        });
        // A body of the wrong media type matches the framework's own "415" endpoint, which has no
        // metadata, so the sign-in fallback policy answered it 401 even on the anonymous routes
        // (sign-in, the webhook). There, or for a signed-in user, the mistake is the media type:
        // 415. A route that needs sign-in still answers 401 to an anonymous caller first.
        var anonymousRoutes = new Lazy<List<TemplateMatcher>>(() =>
            [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null && e.RoutePattern.RawText is not null)
                .Select(e => new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText!), new RouteValueDictionary()))]);
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.DisplayName == UnsupportedMediaTypeEndpoint
                && (context.User.Identity?.IsAuthenticated == true || anonymousRoutes.Value.Any(m => m.TryMatch(context.Request.Path, new RouteValueDictionary()))))
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status415UnsupportedMediaType,
                        Title = "Unsupported media type",
                        Detail = $"send the body as JSON with 'Content-Type: application/json', not {(string.IsNullOrEmpty(context.Request.ContentType) ? "no content type" : context.Request.ContentType)}",
                    },
                }).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        app.UseAuthorization();
        return app;
    }

    /// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and the interactive API page at <c>/scalar</c>, without sign-in.</summary>
    public static WebApplication MapServerDocs(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(o => o.WithTitle("ContactCenter API")).AllowAnonymous();
        app.MapGet("/", () => TypedResults.Redirect("/scalar")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
