using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ContactCenter.Channels.Inbound;
using ContactCenter.Channels.Live;
using ContactCenter.Engine.Journal;
using ContactCenter.Hosting;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Channels.Tests;

/// <summary>
/// A real host: Kestrel on 127.0.0.1 (a free port), the runtime on SQLite and Quartz files in a
/// temp folder with the repository's workflows, the channels and live-updates modules, and the
/// tests' own sign-in scheme. The outbox loop is off: tests dispatch by hand, on a fake clock.
/// </summary>
internal sealed class ChannelsHost : IAsyncDisposable
{
    public const string Secret = "test-webhook-secret";

    private readonly bool _ownsFolder;

    private ChannelsHost(WebApplication app, string root, bool ownsFolder, FakeTimeProvider clock)
    {
        App = app;
        Root = root;
        _ownsFolder = ownsFolder;
        Clock = clock;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public string Root { get; }

    public FakeTimeProvider Clock { get; }

    public HttpClient Http { get; }

    public InstanceRuntime Runtime => App.Services.GetRequiredService<InstanceRuntime>();

    public IInstanceQueries Queries => App.Services.GetRequiredService<IInstanceQueries>();

    public OutboxDispatcher Outbox => App.Services.GetRequiredService<OutboxDispatcher>();

    public IOutboxStore OutboxStore => App.Services.GetRequiredService<IOutboxStore>();

    internal LiveHub Hub => App.Services.GetRequiredService<LiveHub>();

    public INotificationStore Notifications => App.Services.GetRequiredService<INotificationStore>();

    /// <summary>Runs SQL on the host's database (to break it on purpose).</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var context = await App.Services.GetRequiredService<IDbContextFactory<ContactCenterDbContext>>().CreateDbContextAsync();
        await context.Database.ExecuteSqlRawAsync(sql);
    }

    public static async Task<ChannelsHost> StartAsync(Action<ChannelsOptions>? channels = null, Action<LiveUpdatesOptions>? live = null, string? root = null, FakeTimeProvider? clock = null)
    {
        var ownsFolder = root is null;
        root ??= Directory.CreateTempSubdirectory("cc-channels-").FullName;
        clock ??= new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddContactCenter(o =>
        {
            o.DataFolder = Path.Combine(root, "data");
            o.WorkflowsFolder = Path.Combine(RepoRoot(), "workflows");
            o.RunOutbox = false;
        });
        builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();
        builder.Services.AddChannels(o =>
        {
            o.Webhook.Secret = Secret;
            o.Routing.Agents.Add(new AgentOptions { UserName = "agent.sari", DisplayName = "Sari" });
            channels?.Invoke(o);
        });
        builder.Services.AddLiveUpdates(live);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapChannels();
        app.MapLiveUpdates();
        await app.StartAsync();
        return new ChannelsHost(app, root, ownsFolder, clock);
    }

    /// <summary>Posts a body to the webhook, signed with <paramref name="secret"/> at <paramref name="sentAt"/> (default: now).</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(string channel, object body, DateTimeOffset? sentAt = null, string secret = Secret)
    {
        var bytes = body as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web);
        var timestamp = (sentAt ?? Clock.GetUtcNow()).ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/{channel}/messages") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, bytes));
        return await Http.SendAsync(request);
    }

    public static async Task<InboundResult> ResultOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<InboundResult>(JsonSerializerOptions.Web))!;

    /// <summary>A request as a signed-in user with the given roles.</summary>
    public static HttpRequestMessage As(HttpMethod method, string path, string user, string roles, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Test-User", user);
        request.Headers.Add("X-Test-Roles", roles);
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return request;
    }

    /// <summary>Starts a WhatsApp conversation directly on the runtime.</summary>
    public Task<InstanceRecord> StartWhatsAppAsync(string customer, string agent) =>
        Runtime.StartAsync(new StartRequest
        {
            DefinitionKey = "whatsapp",
            Channel = "whatsapp",
            CustomerRef = customer,
            Agent = agent,
            Actor = agent,
            Variables = new Dictionary<string, ContactCenter.Engine.Expressions.Value> { ["namaAgent"] = "Sari" },
        });

    /// <summary>
    /// Completes the opening greeting, moves the clock past the minute of silence and fires the
    /// ladder's first timer (Quartz waits on the real clock, so the test fires it itself; a second
    /// firing by Quartz is a no-op), then the agent asks "masih terhubung?" (step 2a).
    /// </summary>
    public async Task GreetLetAMinutePassAndAskAsync(Guid instanceId, string agent)
    {
        var greeting = (await Runtime.GetStateAsync(instanceId)).WorkItems.Single(w => w.ElementId == "Task_SalamPembuka");
        await Runtime.CompleteWorkItemAsync(instanceId, greeting.Id, null, null, agent);
        var timer = (await Runtime.ReadJournalAsync(instanceId)).OfType<TimerScheduled>().Last();
        Clock.SetUtcNow(timer.DueAt);
        await Runtime.FireAsync(instanceId, timer.TimerId);

        // The agent asks "masih terhubung?" the second it is due (step 2a, the agent's click); the
        // flow sends the words to the customer.
        var ask = (await Runtime.GetStateAsync(instanceId)).WorkItems.Single(w => w.Step == "2a");
        await Runtime.CompleteWorkItemAsync(instanceId, ask.Id, null, null, agent);
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            try
            {
                await Task.Delay(25, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("timed out waiting until " + because);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsFolder)
        {
            DeleteFolder(Root);
        }
    }

    public static void DeleteFolder(string root)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background thread: the OS temp folder cleans it later.
        }
    }

    public static string RepoRoot() => RepoPaths.Root;
}
