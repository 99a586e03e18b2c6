using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests;

/// <summary>
/// The real server (Program) in memory, on a data folder of the test's (real SQLite, real Quartz)
/// and the repository's <c>workflows/</c>. Dispose it and create another on the same folder to
/// restart the server.
/// </summary>
public sealed class ServerFactory(string dataFolder, Action<IServiceCollection>? configureServices = null, SkewClock? clock = null, bool runScheduler = true) : WebApplicationFactory<Program>
{
    /// <summary>The server's clock: the real one, which a test may move forward past a timer's due time.</summary>
    public SkewClock Clock { get; } = clock ?? new SkewClock();

    public string DataFolder { get; } = dataFolder;

    /// <summary>The per-address sign-in limit. Default is 100,000 (no limit in practice); SignInTests set the server's own default.</summary>
    public string SignInAttemptsPerMinute { get; init; } = "100000";

    /// <summary>The repository root (the folder holding ContactCenter.sln).</summary>
    public static string RepoRoot => RepoPaths.Root;

    public static string WorkflowsFolder => Path.Combine(RepoRoot, "workflows");

    /// <summary>Configuration settings of this server's own, applied last (e.g. <c>ContactCenter:Telemetry:Prometheus</c>).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>The host environment. Default is none of this factory's: WebApplicationFactory's Development (the demo's settings).</summary>
    public string? EnvironmentName { get; init; }

    /// <summary>A client without sign-in.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>The demo password of a user, from this server's <c>demo-users.json</c>.</summary>
    public string PasswordOf(string userName)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(DataFolder, "demo-users.json")));
        return file.RootElement.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == userName).GetProperty("password").GetString()!;
    }

    /// <summary>A bearer token for <paramref name="userName"/> (the demo password unless given).</summary>
    public async Task<string> BearerTokenAsync(string userName, string? password = null)
    {
        using var anonymous = Anonymous();
        var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password = password ?? PasswordOf(userName) });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>A client that sends <paramref name="token"/> as its bearer token.</summary>
    public HttpClient ClientWithBearer(string token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client signed in as <paramref name="userName"/> (the demo password unless given).</summary>
    public async Task<HttpClient> SignedInClientAsync(string userName, string? password = null) =>
        ClientWithBearer(await BearerTokenAsync(userName, password));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (EnvironmentName is not null)
        {
            builder.UseEnvironment(EnvironmentName);
        }

        builder.UseSetting("ContactCenter:DataFolder", DataFolder);
        builder.UseSetting("ContactCenter:WorkflowsFolder", WorkflowsFolder);
        builder.UseSetting("ContactCenter:RunScheduler", runScheduler ? "true" : "false");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");

        // Every test signs in from the same in-memory address; the per-address limit has its own tests (SignInTests).
        builder.UseSetting("ContactCenter:SignInAttemptsPerMinute", SignInAttemptsPerMinute);
        builder.UseSetting("Serilog:MinimumLevel:Override:ContactCenter.Security", "Information");
        builder.UseSetting("Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware", "Debug");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            if (!runScheduler)
            {
                // No scheduler, so no outbox job: the test delivers the outbox itself.
                services.AddHostedService<OutboxPump>();
            }

            configureServices?.Invoke(services);
        });
    }
}

/// <summary>
/// A running server on a fresh temporary data folder, with HTTP clients signed in as the demo users
/// (bearer tokens). <see cref="RestartAsync"/> stops it and starts a new one on the same folder.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public ServerFixture()
        : this(null)
    {
    }

    /// <summary>A server on <paramref name="workflowsFolder"/> instead of the repository's <c>workflows/</c> when given.</summary>
    protected ServerFixture(string? workflowsFolder)
    {
        DataFolder = Path.Combine(Path.GetTempPath(), "cc-server-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataFolder);
        Factory = new ServerFactory(DataFolder, Logs.Register, Clock, runScheduler: false)
        {
            Settings = workflowsFolder is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["ContactCenter:WorkflowsFolder"] = workflowsFolder },
        };
    }

    /// <summary>
    /// The servers' clock, kept across restarts. The fixture's servers fire no timer by themselves:
    /// tests fire them at their due time (<see cref="FireAtDueAsync"/>), and moving the shared clock
    /// must not fire every other test's conversations under them.
    /// </summary>
    public SkewClock Clock { get; } = new();

    /// <summary>
    /// Fires a pending timer as its drain would at its due time: the clock moves forward to the due
    /// time first, since a timer never fires early.
    /// </summary>
    public async Task<TimerFiring> FireAtDueAsync(Guid instanceId, long timerId)
    {
        var runtime = Services.GetRequiredService<InstanceRuntime>();
        var timer = (await runtime.GetStateAsync(instanceId)).Timers.Single(t => t.Id == timerId);
        Clock.AdvanceTo(timer.DueAt);
        return await runtime.FireAsync(instanceId, timerId);
    }

    public string DataFolder { get; }

    public ServerFactory Factory { get; private set; }

    public IServiceProvider Services => Factory.Services;

    public virtual Task InitializeAsync()
    {
        _ = Factory.Server; // starts the host: migrations, import, demo users
        return Task.CompletedTask;
    }

    /// <summary>A client without sign-in.</summary>
    public HttpClient Anonymous() => Factory.Anonymous();

    /// <summary>The demo password of a user, from <c>demo-users.json</c>.</summary>
    public string PasswordOf(string userName) => Factory.PasswordOf(userName);

    /// <summary>A client signed in as <paramref name="userName"/> with a bearer token (the demo password unless given), kept across restarts.</summary>
    public async Task<HttpClient> ClientForAsync(string userName, string? password = null)
    {
        if (!_tokens.TryGetValue(userName, out var token))
        {
            token = await Factory.BearerTokenAsync(userName, password);
            _tokens[userName] = token;
        }

        return Factory.ClientWithBearer(token);
    }

    private readonly Dictionary<string, Task<object>> _shared = new(StringComparer.Ordinal);
    private readonly Lock _sharedLock = new();

    /// <summary>Something made once per server and shared by tests (a conversation of agent.sari's, say).</summary>
    public async Task<T> SharedAsync<T>(string key, Func<Task<T>> create)
        where T : notnull
    {
        Task<object> task;
        lock (_sharedLock)
        {
            if (!_shared.TryGetValue(key, out task!))
            {
                task = Create();
                _shared[key] = task;
            }
        }

        return (T)await task;

        async Task<object> Create() => await create();
    }

    /// <summary>Stops the server and starts a new one on the same data folder; tokens stay valid (same key ring).</summary>
    public async Task RestartAsync(Action<IServiceCollection>? configureServices = null)
    {
        await StopAsync(Factory);
        Factory = new ServerFactory(
            DataFolder,
            services =>
            {
                Logs.Register(services);
                configureServices?.Invoke(services);
            },
            Clock,
            runScheduler: false);
        _ = Factory.Server;
    }

    /// <summary>Every log event of the servers this fixture ran (an in-memory Serilog sink).</summary>
    public LogEvents Logs { get; } = new();

    /// <summary>
    /// The security events so far (category ContactCenter.Security), each as a JSON object of its
    /// scalar properties (UserName, Method, Path, Reason, ...) plus "@mt" (the message template) and "@l".
    /// </summary>
    public IReadOnlyList<JsonElement> SecurityEvents() =>
        [.. Logs.OfCategory("ContactCenter.Security").Select(e => JsonSerializer.SerializeToElement(e))];

    /// <summary>Stops and disposes a server (Program's own run and the factory both stop it; the second stop is a no-op).</summary>
    public static async Task StopAsync(ServerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await factory.DisposeAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await StopAsync(Factory);
        try
        {
            if (Environment.GetEnvironmentVariable("KEEP_TEST_DATA") is null) { Directory.Delete(DataFolder, recursive: true); }
        }
        catch (IOException)
        {
            // A file still held open on the way out; the temp folder is cleaned by the OS.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
