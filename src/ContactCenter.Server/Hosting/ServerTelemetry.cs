using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Diagnostics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ContactCenter.Server.Hosting;

/// <summary>The <c>ContactCenter:Telemetry</c> options: where metrics and traces go.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section these settings are read from.</summary>
    public const string Section = "ContactCenter:Telemetry";

    /// <summary>The Prometheus scrape path (never one of the web app's pages).</summary>
    public const string PrometheusPath = "/metrics";

    /// <summary>
    /// Whether the server answers Prometheus scrapes at <see cref="PrometheusPath"/> (no sign-in, like
    /// <c>/health</c>: bind the server to an address only the scraper reaches). Default is false;
    /// <c>appsettings.Development.json</c> (the demo) turns it on.
    /// </summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// An OpenTelemetry collector's OTLP endpoint (e.g. <c>http://127.0.0.1:4317</c>): metrics and
    /// traces are exported there. Default is none: nothing is exported and no span is recorded.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><see cref="OtlpEndpoint"/> as an absolute http(s) URI; null when empty.</summary>
    /// <exception cref="InvalidOperationException">It is not an absolute http or https URI.</exception>
    public Uri? OtlpUri =>
        string.IsNullOrWhiteSpace(OtlpEndpoint) ? null
        : OtlpEndpointProblem is { } problem ? throw new InvalidOperationException(problem)
        : new Uri(OtlpEndpoint, UriKind.Absolute);

    /// <summary>Why <see cref="OtlpEndpoint"/> is unusable; null when it is empty or an absolute http(s) URI.</summary>
    public string? OtlpEndpointProblem =>
        string.IsNullOrWhiteSpace(OtlpEndpoint)
        || (Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            ? null
            : $"{Section}:OtlpEndpoint '{OtlpEndpoint}' is not an absolute http:// or https:// address (e.g. http://127.0.0.1:4317).";

    /// <summary><c>Grpc</c> (port 4317, the default) or <c>HttpProtobuf</c> (port 4318).</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>The <c>service.name</c> resource attribute. Default is <c>contactcenter</c>.</summary>
    public string ServiceName { get; set; } = "contactcenter";
}

/// <summary>
/// OpenTelemetry for the server: the product's meter and activity source
/// (<see cref="Telemetry.Name"/>), ASP.NET Core, HttpClient and .NET runtime instrumentation,
/// exported to Prometheus and/or OTLP as configured. With neither configured the SDK is not
/// registered at all: the instruments cost nothing while nobody listens.
/// </summary>
public static class ServerTelemetry
{
    public static IServiceCollection AddServerTelemetry(this IServiceCollection services, TelemetryOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // A bad address registers no exporter here: ValidateOnStart then refuses it with the other problems.
        var otlp = settings.OtlpEndpointProblem is null ? settings.OtlpUri : null;
        if (!settings.Prometheus && otlp is null)
        {
            return services;
        }

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName, serviceVersion: Telemetry.Version))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Telemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (settings.Prometheus)
                {
                    // No response cache: what a scrape costs is bounded by the gauges' own caches.
                    metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                if (otlp is { } endpoint)
                {
                    metrics.AddOtlpExporter(o => Otlp(o, settings, endpoint, "v1/metrics"));
                }
            });

        if (otlp is { } traces)
        {
            otel.WithTracing(tracing => tracing
                .AddSource(Telemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsPlumbing(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => Otlp(o, settings, traces, "v1/traces")));
        }

        return services;
    }

    /// <summary>Starts the figures read from the database and maps the scrape endpoint when configured.</summary>
    public static WebApplication UseServerTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        // Creating the gauges registers them; their callbacks run only when something observes them
        // (the exporters here, or dotnet-counters without them).
        _ = app.Services.GetRequiredService<RuntimeGauges>();
        _ = app.Services.GetRequiredService<TicketGauges>();
        if (settings.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(TelemetryOptions.PrometheusPath).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    private static void Otlp(OtlpExporterOptions options, TelemetryOptions settings, Uri endpoint, string signalPath)
    {
        options.Protocol = settings.OtlpProtocol;
        // With HTTP the endpoint is the signal's own URL; gRPC takes the collector's address as is.
        options.Endpoint = settings.OtlpProtocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint, endpoint.AbsolutePath.EndsWith('/') ? signalPath : "/" + signalPath)
            : endpoint;
    }

    /// <summary>Scrapes and health probes are not traced: they would drown the requests that matter.</summary>
    private static bool IsPlumbing(PathString path) =>
        path.StartsWithSegments(TelemetryOptions.PrometheusPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
}
