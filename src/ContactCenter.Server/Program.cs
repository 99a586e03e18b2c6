using ContactCenter.Channels;
using ContactCenter.Hosting;
using ContactCenter.Runtime.Retention;
using ContactCenter.Server.Api;
using ContactCenter.Server.Health;
using ContactCenter.Server.Hosting;
using ContactCenter.Server.Security;

// The settings files are read once, not watched: the reload watcher covers the whole content root,
// where the data folder usually is (`dotnet run` from the repository), and woke on every write of
// the database and the logs (4 % of the server's CPU under load). A later argument can turn it on.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
builder.AddBaseDirectorySettings();
var settings = ServerSettings.From(builder.Configuration);
var telemetry = TelemetrySettings.From(builder.Configuration);

// ---- Services ---------------------------------------------------------------------------
builder.Services.AddServerLogging(builder.Configuration, settings);
builder.Services.AddServerTelemetry(telemetry); // metrics and traces (Prometheus /metrics, OTLP) as configured
builder.Services.AddContactCenter(o =>
{
    o.DataFolder = settings.DataPath;
    o.WorkflowsFolder = settings.WorkflowsPath;
    o.RunOutbox = settings.RunOutbox;
    o.RunScheduler = settings.RunScheduler;
    o.Synchronous = settings.Synchronous;
    o.Retention = builder.Configuration.GetSection("ContactCenter:Retention").Get<RetentionOptions>() ?? new RetentionOptions();
});
builder.Services.AddServerSecurity(settings);
builder.Services.AddServerApi(settings);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxBpmnBodyBytes);

// Channels: the signed Omni Channel webhook, the outbound prompt connector or the loopback
// simulator, and notifications; live updates to browsers over server-sent events.
builder.Services.AddChannels(builder.Configuration);
builder.Services.AddLiveUpdates();

var app = builder.Build();
app.Services.GetRequiredService<ILogger<Program>>().LogServerLocations(settings);

// ---- Pipeline and endpoints -------------------------------------------------------------
app.UseResponseCompression(); // gzip/brotli when asked (not for server-sent events)
app.UseBrowserDefences(); // nosniff and CSP on every answer; cookie writes from a foreign Origin refused
app.UseWebApp(); // the web app's files and pages (src/ContactCenter.Web), before routing and sign-in
app.UseServerPipeline(settings);
app.MapHealthEndpoints();
app.UseServerTelemetry(telemetry);
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
api.MapNotificationEndpoints();

// Every /api route needs sign-in by the fallback policy, except the webhook, whose HMAC signature is its authentication.
app.MapChannels();
app.MapLiveUpdates();

await app.RunAsync().ConfigureAwait(false);

/// <summary>The server's entry point; public and partial for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
