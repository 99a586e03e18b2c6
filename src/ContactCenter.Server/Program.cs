using ContactCenter.Hosting;
using ContactCenter.Server.Api;
using ContactCenter.Server.Health;
using ContactCenter.Server.Hosting;
using ContactCenter.Server.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddBaseDirectorySettings();
var settings = ServerSettings.From(builder.Configuration);

// ---- Services ---------------------------------------------------------------------------
builder.Services.AddServerLogging(builder.Configuration, settings);
builder.Services.AddContactCenter(o =>
{
    o.DataFolder = settings.DataPath;
    o.WorkflowsFolder = settings.WorkflowsPath;
    o.RunOutbox = settings.RunOutbox;
});
builder.Services.AddServerSecurity(settings);
builder.Services.AddServerApi(settings);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxBpmnBodyBytes);

// Other parts of issue 4 register their services here:
//   builder.Services.AddChannels(builder.Configuration);   // Channels/: webhooks, outbound connector, loopback simulator
//   builder.Services.AddLiveUpdates();                      // Live/: server-sent events / SignalR

var app = builder.Build();
app.Services.GetRequiredService<ILogger<Program>>().LogServerLocations(settings);

// ---- Pipeline and endpoints -------------------------------------------------------------
app.UseServerPipeline(settings);
app.MapHealthEndpoints();
app.MapServerDocs();
app.MapAuthEndpoints();
app.MapDefinitionEndpoints();
app.MapInstanceEndpoints();
app.MapJournalEndpoints();
app.MapCalendarEndpoints();

// Other parts of issue 4 map their endpoints here (every /api route needs sign-in by the fallback policy):
app.MapTicketEndpoints();
//   app.MapChannels();          // Channels/: inbound webhooks (HMAC), loopback simulator
//   app.MapLiveUpdates();       // Live/: prompts, timers, task, ticket and SLA changes to browsers

await app.RunAsync().ConfigureAwait(false);

/// <summary>The server's entry point; public and partial for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
