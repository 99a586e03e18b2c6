using ContactCenter.Engine.Journal;
using ContactCenter.Hosting;
using ContactCenter.Runtime.Instances;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ContactCenter.Cli.Tests;

/// <summary>
/// A real <c>contactcenter.db</c>, made once by the real runtime (EF Core on SQLite, Quartz, the
/// repository's workflows): a live chat half way through its silence ladder, and an e-mail and an
/// inbound call worked to their close. Tests take their own copy (<see cref="CopyAsync"/>) to tamper with.
/// </summary>
public sealed class DemoDatabase : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("cc-cli-demo-").FullName;

    public string DataFolder => Path.Combine(_root, "data");

    public Guid LiveChat { get; private set; }

    public Guid Email { get; private set; }

    public Guid InboundCall { get; private set; }

    public IReadOnlyList<Guid> All => [LiveChat, Email, InboundCall];

    /// <summary>The runtime's clock, moved to a timer's due time to fire it.</summary>
    private SkewClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddContactCenter(o =>
        {
            o.DataFolder = DataFolder;
            o.WorkflowsFolder = Path.Combine(CliRun.Root, "workflows");
            o.RunOutbox = false;
            o.RunScheduler = false;
        });
        builder.Services.AddSingleton<TimeProvider>(Clock);
        using var host = builder.Build();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<InstanceRuntime>();
        LiveChat = await LiveChatAsync(runtime, Clock);
        Email = await WorkToCloseAsync(runtime, "email", "nasabah.budi@example.com");
        InboundCall = await WorkToCloseAsync(runtime, "inbound-call", "+6281234567890");
        await host.StopAsync();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>A copy of the database in a new data folder under <paramref name="parent"/>.</summary>
    public string CopyTo(string parent)
    {
        var folder = Path.Combine(parent, "data");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(DataFolder, "contactcenter.db*"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background thread: the OS temp folder cleans it later.
        }

        return Task.CompletedTask;
    }

    /// <summary>Greeting, the first "masih terhubung?" rung fired by hand and the agent's question, the customer's reply, the next step.</summary>
    private static async Task<Guid> LiveChatAsync(InstanceRuntime runtime, SkewClock clock)
    {
        var chat = await runtime.StartAsync(new StartRequest { DefinitionKey = "live-chat", Channel = "live-chat", CustomerRef = "c-42", Agent = "agent.sari", Actor = "agent.sari" });
        var state = await runtime.GetStateAsync(chat.Id);
        await runtime.CompleteWorkItemAsync(chat.Id, state.WorkItems[0].Id, null, null, "agent.sari");
        state = await runtime.GetStateAsync(chat.Id);
        clock.AdvanceTo(state.Timers[0].DueAt);
        await runtime.FireAsync(chat.Id, state.Timers[0].Id);
        state = await runtime.GetStateAsync(chat.Id);
        await runtime.CompleteWorkItemAsync(chat.Id, state.WorkItems.Single(w => w.Step == "2a").Id, null, null, "agent.sari");
        await runtime.DeliverMessageAsync(chat.Id, "Halo, masih", "m-1", "c-42");
        state = await runtime.GetStateAsync(chat.Id);
        await runtime.CompleteWorkItemAsync(chat.Id, state.WorkItems[0].Id, null, null, "agent.sari");
        (await runtime.ReadJournalAsync(chat.Id)).OfType<PromptSent>().Should().NotBeEmpty("the silence prompt was sent");
        return chat.Id;
    }

    /// <summary>Completes the open work item again and again, answering "Tidak" at every decision, until the instance ends.</summary>
    private static async Task<Guid> WorkToCloseAsync(InstanceRuntime runtime, string key, string customer)
    {
        var instance = await runtime.StartAsync(new StartRequest { DefinitionKey = key, Channel = key, CustomerRef = customer, Agent = "agent.budi", Actor = "agent.budi" });
        for (var i = 0; i < 50; i++)
        {
            var state = await runtime.GetStateAsync(instance.Id);
            if (!state.IsRunning || state.WorkItems.Count == 0)
            {
                break;
            }

            var item = state.WorkItems[0];
            var outcome = item.Outcomes.Contains("Tidak") ? "Tidak" : item.Outcomes.FirstOrDefault();
            await runtime.CompleteWorkItemAsync(instance.Id, item.Id, outcome, DocumentedData.For(item), "agent.budi");
        }

        (await runtime.GetAsync(instance.Id)).Status.ToString().Should().Be("Completed", $"the {key} conversation is worked to its close");
        return instance.Id;
    }
}

[CollectionDefinition(Name)]
public sealed class DemoDatabaseCollection : ICollectionFixture<DemoDatabase>
{
    public const string Name = "demo database";
}

/// <summary>Runs the CLI's entry point in-process.</summary>
internal static class CliRun
{
    public static string Root => RepoPaths.Root;

    public static async Task<(int Code, string Out, string Err)> RunAsync(string currentDirectory, string[] args, Func<HttpMessageHandler>? http = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            CurrentDirectory = currentDirectory,
            HttpHandler = http,
            GetVariable = name => variables is not null && variables.TryGetValue(name, out var value) ? value : null,
        };
        var code = await CliApp.RunAsync(args, env);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs a SQL statement on a database file and returns the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(string dataFolder, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataFolder, "contactcenter.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }
}
