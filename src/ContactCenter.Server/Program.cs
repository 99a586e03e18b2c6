using ContactCenter.Channels;
using ContactCenter.Hosting;
using ContactCenter.Server.Api;
using ContactCenter.Server.Health;
using ContactCenter.Server.Hosting;
using ContactCenter.Server.Security;
using Microsoft.Extensions.Options;

// The settings files are read once, not watched: the reload watcher covers the whole content root,
// where the data folder usually is (`dotnet run` from the repository), and woke on every write of
// the database and the logs (4 % of the server's CPU under load). A later argument can turn it on.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
builder.AddBaseDirectorySettings();

// ---- Services ---------------------------------------------------------------------------
// IOptions<ServerOptions> and IOptions<TelemetryOptions>, validated when the host starts: outside
// Development a missing secret, demo users, an unwritable data folder, no flows or no holidays for
// this year stop the start, all listed together (DeploymentChecks).
builder.Services.AddServerOptions(builder.Configuration);

// The platform's wiring is decided before the container exists (which database file, which Quartz
// jobs, whether the OpenTelemetry SDK is registered at all): read from the same sections.
var server = builder.Configuration.Configured<ServerOptions>(ServerOptions.Section);
builder.Services.AddServerLogging(builder.Configuration, server);
builder.Services.AddServerTelemetry(builder.Configuration.Configured<TelemetryOptions>(TelemetryOptions.Section)); // Prometheus /metrics, OTLP, as configured
builder.Services.AddContactCenter(o =>
{
    // RunOutbox, RunScheduler, Synchronous, Outbox:*, Timers:*, Retention:*, ImportHeader:* of the same section.
    builder.Configuration.GetSection(ServerOptions.Section).Bind(o);
    o.DataFolder = server.DataPath;
    o.WorkflowsFolder = server.WorkflowsPath;
});
builder.Services.AddServerSecurity();
builder.Services.AddServerApi();
// Kestrel is made while the host is built, before the options are validated: the configured value.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = server.MaxBpmnBodyBytes);

// Channels: the signed Omni Channel webhook, the outbound prompt connector or the loopback
// simulator, and notifications; live updates to browsers over server-sent events.
builder.Services.AddChannels(builder.Configuration);
builder.Services.AddLiveUpdates();

var app = builder.Build();
if (StartupRefusal.Check(app) is { } refused)
{
    await app.DisposeAsync().ConfigureAwait(false); // flushes the log files
    return refused; // every configuration problem is logged, one line each
}

app.Services.GetRequiredService<ILogger<Program>>().LogServerLocations(app.Services.GetRequiredService<IOptions<ServerOptions>>().Value, app.Services.GetRequiredService<DatabaseConnection>());

// ---- Pipeline and endpoints -------------------------------------------------------------
app.UseResponseCompression(); // gzip/brotli when asked (not for server-sent events)
app.UseBrowserDefences(); // nosniff and CSP on every answer; cookie writes from a foreign Origin refused
app.UseWebApp(); // the web app's files and pages (src/ContactCenter.Web), before routing and sign-in
app.UseServerPipeline();
app.MapHealthEndpoints();
app.UseServerTelemetry();
app.MapServerDocs();

// The API's routes share the checks every route needs whatever it does (dates in range).
var api = app.MapGroup(string.Empty).AddEndpointFilterFactory(DateBounds.Filter);
api.MapAuthEndpoints();
api.MapDefinitionEndpoints();
api.MapInstanceEndpoints();
api.MapJournalEndpoints();
api.MapCalendarEndpoints();

api.MapReplayEndpoints();
api.MapQualityEndpoints();
api.MapSopDocumentEndpoints();
api.MapWhatIfEndpoints();
api.MapTicketEndpoints();
api.MapDashboardEndpoints();
api.MapOutboxEndpoints();
api.MapUserEndpoints();
api.MapNotificationEndpoints();
api.MapMigrationEndpoints();
api.MapHelpEndpoints();

// Every /api route needs sign-in by the fallback policy, except the webhook, whose HMAC signature is its authentication.
app.MapChannels();
app.MapLiveUpdates();

await app.RunAsync().ConfigureAwait(false);
return 0;

/// <summary>The server's entry point; public and partial for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
