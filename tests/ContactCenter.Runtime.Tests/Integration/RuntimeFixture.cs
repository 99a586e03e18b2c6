using ContactCenter.Hosting;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary>
/// A temp folder with a data folder and a workflows folder, and real hosts on them: EF Core on a
/// SQLite file (or, given <see cref="DatabaseProvider.PostgreSql"/>, a fresh database on the
/// throwaway PostgreSQL), its timer rows drained by Quartz. Hosts can be started, stopped and
/// started again on the same files and database, as a process restart would; two hosts started
/// side by side on PostgreSQL are two nodes.
/// </summary>
internal sealed class RuntimeFixture : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];
    private string? _connectionString;

    public RuntimeFixture(bool withRepoWorkflows = false, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        Provider = provider;
        Root = Directory.CreateTempSubdirectory("cc-runtime-").FullName;
        DataFolder = Path.Combine(Root, "data");
        WorkflowsFolder = Path.Combine(Root, "workflows");
        Directory.CreateDirectory(WorkflowsFolder);
        if (withRepoWorkflows)
        {
            CopyDirectory(Path.Combine(RepoRoot(), "workflows"), WorkflowsFolder);
        }
    }

    public string Root { get; }

    public DatabaseProvider Provider { get; }

    public string DataFolder { get; }

    public string WorkflowsFolder { get; }

    public IHost? Host { get; private set; }

    public InstanceRuntime Runtime => Host!.Services.GetRequiredService<InstanceRuntime>();

    public DefinitionCatalog Catalog => Host!.Services.GetRequiredService<DefinitionCatalog>();

    public IInstanceStore Store => Host!.Services.GetRequiredService<IInstanceStore>();

    public IInstanceQueries Queries => Host!.Services.GetRequiredService<IInstanceQueries>();

    public ITimerStore Timers => Host!.Services.GetRequiredService<ITimerStore>();

    public TimerDrain Drain => Host!.Services.GetRequiredService<TimerDrain>();

    public OutboxDispatcher Outbox => Host!.Services.GetRequiredService<OutboxDispatcher>();

    /// <summary>The hosts' clock unless a test registers its own: the real one, movable forward past a timer's due time.</summary>
    public SkewClock Clock { get; } = new();

    public void AddWorkflow(string fileName, string bpmn) => File.WriteAllText(Path.Combine(WorkflowsFolder, fileName), bpmn);

    /// <summary>
    /// Starts a host on the fixture's folders (the outbox loop off, so tests dispatch by hand);
    /// without <paramref name="scheduler"/> no drain runs and tests fire timers by hand.
    /// </summary>
    public async Task<IHost> StartAsync(Action<IServiceCollection>? services = null, bool scheduler = true)
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            _connectionString ??= await (await ThrowawayPostgres.SharedAsync()).CreateDatabaseAsync("runtime");
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddContactCenter(o =>
        {
            o.DataFolder = DataFolder;
            o.Database = new DatabaseOptions { Provider = Provider, ConnectionString = _connectionString };
            o.WorkflowsFolder = WorkflowsFolder;
            o.RunOutbox = false;
            o.RunScheduler = scheduler;
        });
        builder.Services.AddSingleton<TimeProvider>(Clock);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        _hosts.Add(host);
        Host = host;
        return host;
    }

    /// <summary>Stops the current host gracefully, as a deploy or restart would.</summary>
    public async Task StopAsync()
    {
        if (Host is { } host)
        {
            await host.StopAsync();
            host.Dispose();
            _hosts.Remove(host);
            Host = null;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return await condition();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.ToList())
        {
            await host.StopAsync();
            host.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_connectionString is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await (await ThrowawayPostgres.SharedAsync()).DropDatabaseAsync(new Npgsql.NpgsqlConnectionStringBuilder(_connectionString).Database!);
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background thread: the OS temp folder cleans it later.
        }
    }

    public static string RepoRoot() => RepoPaths.Root;

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>Small BPMN definitions with short timers, so tests can wait in real time.</summary>
internal static class TestWorkflows
{
    /// <summary>start → (timer, prompt) × <paramref name="prompts"/> → end, timers of <paramref name="seconds"/> each.</summary>
    public static string TimerLadder(string key, int prompts, int seconds)
    {
        var nodes = new System.Text.StringBuilder();
        var refs = new System.Text.StringBuilder();
        var previous = "S";
        for (var i = 1; i <= prompts; i++)
        {
            nodes.Append($"""
                <bpmn:sequenceFlow id="f{i}a" sourceRef="{previous}" targetRef="T{i}" />
                <bpmn:intermediateCatchEvent id="T{i}" name="{seconds} detik"><bpmn:timerEventDefinition><bpmn:timeDuration>PT{seconds}S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f{i}b" sourceRef="T{i}" targetRef="P{i}" />
                <bpmn:sendTask id="P{i}" name="Prompt {i}" cc:script="Apakah saat ini Bapak/Ibu masih terhubung dengan kami?" />

                """);
            refs.Append($"<bpmn:flowNodeRef>P{i}</bpmn:flowNodeRef>");
            previous = $"P{i}";
        }

        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cc="https://contactcenter.pegadaian.co.id/schema/bpmn/1.0" id="defs-{key}">
              <bpmn:process id="{key}" name="Test {key}" isExecutable="true">
                <bpmn:laneSet id="ls"><bpmn:lane id="Lane_Agent" name="Agent">{refs}</bpmn:lane></bpmn:laneSet>
                <bpmn:startEvent id="S" />
                {nodes}
                <bpmn:sequenceFlow id="fEnd" sourceRef="{previous}" targetRef="E" />
                <bpmn:endEvent id="E" />
              </bpmn:process>
            </bpmn:definitions>
            """;
    }
}
