using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ContactCenter.Runtime.Instances;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ContactCenter.Web.Tests;

/// <summary>
/// The real server (Program) on Kestrel at 127.0.0.1 on a free port, with a fresh temporary data
/// folder and the repository's workflows, serving the built web app; and one headless Debian
/// chromium driven by Playwright. The host's services are at hand to fire a pending timer.
/// </summary>
public class WebAppFixture : IAsyncLifetime, IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private readonly WebServerFactory factory;
    private IPlaywright? playwright;
    private IBrowser? browser;
    private readonly List<string> taken = [];

    public WebAppFixture()
        : this(Path.Combine(RepoRoot, "workflows"))
    {
    }

    /// <summary>A server importing the workflows of <paramref name="workflowsFolder"/> (a renamed copy, say).</summary>
    protected WebAppFixture(string workflowsFolder)
    {
        DataFolder = Path.Combine(Path.GetTempPath(), "cc-web-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataFolder);
        Port = FreePort();
        factory = new WebServerFactory(DataFolder, workflowsFolder, Port, Clock);
    }

    public string DataFolder { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IServiceProvider Services => factory.Services;

    /// <summary>The server's clock: the real one, moved forward to fire a timer at its due time.</summary>
    public SkewClock Clock { get; } = new();

    public static string RepoRoot => RepoPaths.Root;

    public static string Screenshots => Path.Combine(RepoRoot, "tests", "results", "screenshots", "web");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run tests/ContactCenter.Web.Tests/setup.sh (apt-get install chromium).");
        }

        if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot", "index.html")))
        {
            throw new InvalidOperationException("The web app is not built beside the tests (wwwroot/index.html): build without -p:SkipWebApp=true.");
        }

        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        factory.StartServer();
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>A fresh browser context (its own cookies) with one page on the app.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1440, Height = 960 },
            Locale = "id-ID",
            TimezoneId = "Asia/Jakarta",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();

        // Nothing leaves the machine: only the server under test answers.
        await page.RouteAsync("**/*", route => route.Request.Url.StartsWith(BaseUrl, StringComparison.Ordinal) ? route.ContinueAsync() : route.AbortAsync());
        return page;
    }

    public string PasswordOf(string userName)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(DataFolder, "demo-users.json")));
        return file.RootElement.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == userName).GetProperty("password").GetString()!;
    }

    /// <summary>
    /// Fires the conversation's pending "masih terhubung?" timer as its drain would when it falls
    /// due: the clock moves to its due time first, since a timer never fires early.
    /// </summary>
    public async Task FireSilenceTimerAsync(Guid instanceId)
    {
        var runtime = Services.GetRequiredService<InstanceRuntime>();
        var state = await runtime.GetStateAsync(instanceId);
        var timer = state.Timers.Single(t => t.SlaPolicy is null);
        Clock.AdvanceTo(timer.DueAt);
        await runtime.FireAsync(instanceId, timer.Id);
    }

    /// <summary>The screenshots written so far (names without .png).</summary>
    public IReadOnlyList<string> Taken => taken;

    public async Task ScreenshotAsync(IPage page, string name)
    {
        taken.Add(name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        try
        {
            await factory.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
            // Program's own RunAsync and the factory both stop the host (see the server tests' ServerFixture.StopAsync).
        }

        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on the way out; the temp folder is cleaned by the OS.
        }
    }

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class WebServerFactory(string dataFolder, string workflowsFolder, int port, SkewClock clock) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ContactCenter:DataFolder", dataFolder);
            builder.UseSetting("ContactCenter:WorkflowsFolder", workflowsFolder);
            builder.UseSetting("urls", $"http://127.0.0.1:{port}");
            // Timers are fired by hand at their due time: moving the clock must not fire the other
            // tests' conversations under them.
            builder.UseSetting("ContactCenter:RunScheduler", "false");
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            // Every browser signs in from 127.0.0.1, and the suite signs in more than the server's
            // default 20 times a minute (a full run failed on it once the user administration test
            // joined); the per-address limit has its own tests (Server.Tests' SignInTests).
            builder.UseSetting("ContactCenter:SignInAttemptsPerMinute", "100000");
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddHostedService<OutboxPump>(); // no scheduler, so no outbox job: the test delivers it
            });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebAppCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "web app";
}

/// <summary>The web app on the repository's workflows with every element id renamed bpmn-js style (<see cref="RenamedFlows"/>).</summary>
public sealed class RenamedFlowsWebAppFixture() : WebAppFixture(RenamedFlows.Create());

[CollectionDefinition(Name)]
public sealed class RenamedFlowsWebAppCollection : ICollectionFixture<RenamedFlowsWebAppFixture>
{
    public const string Name = "web app, renamed flows";
}
