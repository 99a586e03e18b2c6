using ContactCenter.Server.Hosting;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Server.Tests.Hosting;

/// <summary>
/// Outside Development the server refuses to start on a demo shortcut or a missing piece, each
/// with its own message and all of them at once; in Development the same problems are warnings.
/// The real server (Program) on a temporary data folder, its clock fixed so "this year" is known.
/// </summary>
public sealed class ProductionConfigurationTests : IDisposable
{
    private const string Secret = "a-shared-secret-of-the-omni-channel-application";
    private static readonly DateTimeOffset InCalendarYear = new(2026, 6, 15, 3, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cc-production-");
    private readonly LogEvents _logs = new();

    [Fact]
    public async Task Production_CorrectConfiguration_Starts()
    {
        await using var factory = Production(new() { ["Channels:Webhook:Secret"] = Secret });

        using var client = factory.CreateClient();
        (await client.GetAsync("/health/live")).IsSuccessStatusCode.Should().BeTrue();
        File.Exists(Path.Combine(factory.DataFolder, "demo-users.json")).Should().BeFalse("Production creates no demo user");
        ChecksLogged().Should().BeEmpty();
    }

    [Fact]
    public void Production_NoWebhookSecret_Refuses() =>
        Refusal(Production(new())).Should().ContainSingle().Which.Should().StartWith("Channels:Webhook:Secret is not set");

    [Fact]
    public void Production_OutboundUrlWithoutItsOwnSecret_Refuses() =>
        Refusal(Production(new() { ["Channels:Webhook:Secret"] = Secret, ["Channels:Outbound:Url"] = "http://127.0.0.1:9/prompts" }))
            .Should().ContainSingle().Which.Should().StartWith("Channels:Outbound:Secret is not set while Channels:Outbound:Url is (http://127.0.0.1:9/prompts)");

    [Fact]
    public void Production_DemoUsers_Refuses()
    {
        var factory = Production(new() { ["Channels:Webhook:Secret"] = Secret, ["ContactCenter:CreateDemoUsers"] = "true" });
        Refusal(factory).Should().ContainSingle().Which.Should().StartWith("ContactCenter:CreateDemoUsers is true");
        File.Exists(Path.Combine(factory.DataFolder, "demo-users.json")).Should().BeFalse();
    }

    [Fact]
    public void Production_DataFolderNotWritable_Refuses()
    {
        // Under a file, so no folder can be made there (whoever runs the tests, root included).
        var file = Path.Combine(_folder.FullName, "a-file");
        File.WriteAllText(file, "");
        var data = Path.Combine(file, "data");

        Refusal(Production(new() { ["Channels:Webhook:Secret"] = Secret }, dataFolder: data))
            .Should().ContainSingle().Which.Should().StartWith($"The data folder {data} is not writable");
    }

    [Fact]
    public void Production_WorkflowsFolderMissing_Refuses()
    {
        var workflows = Path.Combine(_folder.FullName, "no-such-workflows");
        Refusal(Production(new() { ["Channels:Webhook:Secret"] = Secret, ["ContactCenter:WorkflowsFolder"] = workflows }))
            .Should().ContainSingle().Which.Should().StartWith($"The workflows folder {workflows} does not exist");
    }

    [Fact]
    public void Production_WorkflowsFolderWithoutBpmn_Refuses()
    {
        var workflows = Directory.CreateDirectory(Path.Combine(_folder.FullName, "empty-workflows")).FullName;
        File.WriteAllText(Path.Combine(workflows, "README.txt"), "no flows here");
        Refusal(Production(new() { ["Channels:Webhook:Secret"] = Secret, ["ContactCenter:WorkflowsFolder"] = workflows }))
            .Should().ContainSingle().Which.Should().StartWith($"The workflows folder {workflows} holds no .bpmn file");
    }

    [Fact]
    public async Task Production_NoHolidaysForTheCurrentYear_StartsDegraded_AnAdministratorCanAddTheYear()
    {
        // The repository's calendar has 2026 only; the clock says 2031 in Jakarta. Refusing to start
        // would leave no way to add the year in the product (it lives in the database), and a centre
        // must not stop answering on 1 January over holiday data: ready says what is missing instead.
        await using var factory = Production(new() { ["Channels:Webhook:Secret"] = Secret }, now: new DateTimeOffset(2031, 3, 2, 1, 0, 0, TimeSpan.Zero));

        using var client = factory.CreateClient();
        (await client.GetJsonAsync("/health/ready")).GetProperty("status").GetString().Should().Be("Degraded");
        ChecksLogged().Should().BeEmpty();
        _logs.OfCategory(typeof(ContactCenter.Hosting.HolidayYearsRefresh).FullName!).Select(e => e["Problem"])
            .Should().ContainSingle().Which.Should().StartWith("no holidays for 2031:");
    }

    [Fact]
    public async Task Production_NewYearInJakartaBeforeUtc_AsksForTheNewYearsHolidays()
    {
        // 1 January 2027 00:30 in Jakarta (UTC+7) is still 2026 in UTC: the calendar's zone decides.
        await using var factory = Production(new() { ["Channels:Webhook:Secret"] = Secret }, now: new DateTimeOffset(2026, 12, 31, 17, 30, 0, TimeSpan.Zero));

        using var client = factory.CreateClient();
        (await client.GetJsonAsync("/health/ready")).GetProperty("status").GetString().Should().Be("Degraded");
        _logs.OfCategory(typeof(ContactCenter.Hosting.HolidayYearsRefresh).FullName!).Select(e => e["Problem"])
            .Should().ContainSingle().Which.Should().StartWith("no holidays for 2027:");
    }

    [Fact]
    public void Production_SeveralProblems_AllListedTogether_EachLoggedOnItsOwnLine()
    {
        var workflows = Path.Combine(_folder.FullName, "no-such-workflows");
        var failures = Refusal(Production(new() { ["ContactCenter:CreateDemoUsers"] = "true", ["ContactCenter:WorkflowsFolder"] = workflows }));

        failures.Should().HaveCount(3);
        failures[0].Should().StartWith("Channels:Webhook:Secret is not set");
        failures[1].Should().StartWith("ContactCenter:CreateDemoUsers is true");
        failures[2].Should().StartWith($"The workflows folder {workflows} does not exist");
        ChecksLogged().Should().Equal(failures.Select(f => ("Fatal", f)));
    }

    [Fact]
    public void Production_ABadChannelsSettingBesideAMissingSecret_BothListed()
    {
        using var factory = Production(new() { ["Channels:RateLimit:PermitLimit"] = "0" });

        var refusals = Flatten(StartFailure(factory)).OfType<OptionsValidationException>().ToList();

        refusals.Select(r => r.OptionsType).Should().BeEquivalentTo([typeof(ServerOptions), typeof(ContactCenter.Channels.ChannelsOptions)]);
        refusals.SelectMany(r => r.Failures).Should().HaveCount(2)
            .And.Contain(f => f.StartsWith("Channels:Webhook:Secret is not set", StringComparison.Ordinal))
            .And.Contain("Channels:RateLimit:PermitLimit and Window must be positive");
    }

    [Fact]
    public void Production_EmptyDataFolder_NamesTheSetting_NotAPathError()
    {
        using var factory = Production(new() { ["Channels:Webhook:Secret"] = Secret, ["ContactCenter:DataFolder"] = "" });

        Flatten(StartFailure(factory)).OfType<OptionsValidationException>().SelectMany(r => r.Failures)
            .Should().Contain("ContactCenter:DataFolder is empty.");
    }

    [Fact]
    public async Task Development_SameProblems_StartsWithAWarningEach()
    {
        var workflows = Directory.CreateDirectory(Path.Combine(_folder.FullName, "empty-workflows")).FullName;
        await using var factory = new ServerFactory(Path.Combine(_folder.FullName, "data"), Services(InCalendarYear), runScheduler: false)
        {
            EnvironmentName = Environments.Development,
            Settings = new Dictionary<string, string?> { ["Channels:Webhook:Secret"] = "", ["ContactCenter:WorkflowsFolder"] = workflows },
        };

        using var client = factory.CreateClient();
        (await client.GetAsync("/health/live")).IsSuccessStatusCode.Should().BeTrue();
        factory.Services.GetRequiredService<IOptions<ServerOptions>>().Value.CreateDemoUsers.Should().BeTrue("Development is the demo");
        File.Exists(Path.Combine(factory.DataFolder, "demo-users.json")).Should().BeTrue();
        var warnings = ChecksLogged();
        warnings.Should().HaveCount(3).And.OnlyContain(w => w.Level == "Warning");
        warnings[0].Problem.Should().StartWith("Channels:Webhook:Secret is not set");
        warnings[1].Problem.Should().StartWith("ContactCenter:CreateDemoUsers is true");
        warnings[2].Problem.Should().StartWith($"The workflows folder {workflows} holds no .bpmn file");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on the way out; the temp folder is cleaned by the OS.
        }
    }

    private ServerFactory Production(Dictionary<string, string?> settings, string? dataFolder = null, DateTimeOffset? now = null) =>
        new(dataFolder ?? Path.Combine(_folder.FullName, "data"), Services(now ?? InCalendarYear), runScheduler: false)
        {
            EnvironmentName = Environments.Production,
            Settings = settings,
        };

    private Action<IServiceCollection> Services(DateTimeOffset now) => services =>
    {
        _logs.Register(services);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(now));
    };

    /// <summary>The level and problem of every line the checks logged.</summary>
    private List<(string Level, string Problem)> ChecksLogged() =>
        [.. _logs.OfCategory(typeof(DeploymentChecks).FullName!).Select(e => (e["@l"]!, e["Problem"]!))];

    /// <summary>Starts the server, expecting a refusal; its problems, in order.</summary>
    private static List<string> Refusal(ServerFactory factory)
    {
        using (factory)
        {
            var start = () => factory.Server;
            var thrown = start.Should().Throw<Exception>().Which;
            var refusal = Flatten(thrown).OfType<OptionsValidationException>().Should().ContainSingle().Subject;
            refusal.OptionsType.Should().Be<ServerOptions>();
            return [.. refusal.Failures];
        }
    }

    /// <summary>
    /// What starting the server threw, caught as it is: FluentAssertions' Throw would unwrap an
    /// AggregateException (the problems of several option types) and refuse to pick one.
    /// </summary>
    private static Exception StartFailure(ServerFactory factory)
    {
        try
        {
            _ = factory.Server;
        }
        catch (Exception e)
        {
            return e;
        }

        throw new Xunit.Sdk.XunitException("the server started");
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException aggregate ? aggregate.InnerExceptions.SelectMany(Flatten)
        : e.InnerException is { } inner ? [e, .. Flatten(inner)]
        : [e];
}
