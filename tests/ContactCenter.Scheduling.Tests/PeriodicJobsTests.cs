using System.Collections.Concurrent;
using ContactCenter.Engine;
using ContactCenter.Hosting;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Retention;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Timers;
using FluentAssertions;
using static ContactCenter.Scheduling.Tests.SchedulerProbe;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace ContactCenter.Scheduling.Tests;

/// <summary>
/// Outbox delivery and retention are Quartz jobs beside the timer drains, on the real registration
/// and a real host: scheduled, run, woken by a commit that wrote outbox rows, and not run at all
/// when the host does not run the scheduler. On each provider: on PostgreSQL retention runs in the
/// clustered scheduler and the nodes of a test share one database.
/// </summary>
public abstract class PeriodicJobsTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("cc-periodic-").FullName;
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private readonly RecordingHandler prompts = new();
    private readonly List<IHost> hosts = [];
    private Action<ContactCenterOptions> database = _ => { };

    public async Task InitializeAsync() => database = await DatabaseOf(provider, "periodic");

    public Task DisposeAsync() => StopAndDeleteAsync(hosts, root);

    [Fact]
    public async Task OutboxAndRetention_AreJobsBesideTheTimerShards_AndRun()
    {
        var host = await StartAsync(o =>
        {
            o.Outbox = new OutboxOptions { PollInterval = TimeSpan.FromMilliseconds(50) };
            o.Retention = new RetentionOptions { KeepDays = 0, Mode = RetentionMode.Purge, Interval = TimeSpan.FromMilliseconds(50) };
        });
        (await PeriodicJobsOf(host)).Should().BeEquivalentTo([OutboxJob.Key, RetentionJob.Key]);

        var instance = await host.Services.GetRequiredService<InstanceRuntime>().StartAsync(new StartRequest { DefinitionKey = PromptFlow.Key, Channel = "test" });
        instance.Status.Should().Be(InstanceStatus.Completed);
        (await Until(() => Task.FromResult(prompts.Delivered.ContainsKey(instance.Id)))).Should().BeTrue("the outbox job delivers the prompt");

        // Retention keeps an ended instance for 0 days: purged by a run once the clock is past its end.
        clock.Advance(TimeSpan.FromSeconds(1));
        var store = host.Services.GetRequiredService<IInstanceStore>();
        (await Until(async () => await store.GetAsync(instance.Id) is null)).Should().BeTrue("the retention job runs on its trigger");
    }

    [Fact]
    public async Task CommitThatWritesOutboxRows_WakesTheOutboxJob_WithoutWaitingForItsPoll()
    {
        var host = await StartAsync(o =>
        {
            // Hour-long polls: after each job's first run at start, only a wake-up runs the outbox job.
            o.Outbox = new OutboxOptions { PollInterval = TimeSpan.FromHours(1) };
            o.Timers = new TimerOptions { Shards = 1, PollInterval = TimeSpan.FromHours(1) };
        });
        var scheduler = await SchedulerOf(host);
        (await Until(async () => (await scheduler.GetMetadata()).JobsExecuted >= 2)).Should().BeTrue("the drain and the outbox job run once at start");

        var runtime = host.Services.GetRequiredService<InstanceRuntime>();
        var first = await runtime.StartAsync(new StartRequest { DefinitionKey = PromptFlow.Key, Channel = "test" });
        (await Until(() => Task.FromResult(prompts.Delivered.ContainsKey(first.Id)))).Should().BeTrue("the commit woke the outbox job");

        var second = await runtime.StartAsync(new StartRequest { DefinitionKey = PromptFlow.Key, Channel = "test" });
        (await Until(() => Task.FromResult(prompts.Delivered.ContainsKey(second.Id)))).Should().BeTrue("a wake-up after a run wakes it again");
    }

    [Fact]
    public async Task RetentionJob_FailingRuns_AreLogged_AndTheJobKeepsRunning()
    {
        // The hand-written loop this replaced died on any failure it did not list (a DbException
        // among them). Hour-long timer polls: the rest is retention. A bad retention setting is
        // refused at start now (ContactCenterOptionsValidation), so the runs fail in the database:
        // its instances table renamed away, as a damaged file would make every run fail.
        var host = await StartAsync(o =>
        {
            o.RunOutbox = false;
            o.Timers = new TimerOptions { Shards = 1, PollInterval = TimeSpan.FromHours(1) };
            o.Retention = new RetentionOptions { KeepDays = 1, Mode = RetentionMode.Purge, Interval = TimeSpan.FromMilliseconds(50) };
        });
        var contexts = host.Services.GetRequiredService<IDbContextFactory<ContactCenterDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE instances RENAME TO instances_gone");
        }

        var failing = host.Services.GetRequiredService<RetentionPolicy>();
        var fails = async () => await failing.ApplyAsync();
        await fails.Should().ThrowAsync<System.Data.Common.DbException>("every run fails from now on");
        var scheduler = await RetentionSchedulerOf(host);
        var before = (await scheduler.GetMetadata()).JobsExecuted;

        (await Until(async () => (await scheduler.GetMetadata()).JobsExecuted >= before + 5)).Should().BeTrue("the retention job runs again after each failed run");
    }

    [Fact]
    public async Task OutboxJob_RunCancelledAtShutdown_EndsQuietly()
    {
        // The loop's error path waited on a cancelled delay and threw out of the loop at shutdown.
        var host = await StartAsync(o => o.RunScheduler = false);
        var job = ActivatorUtilities.CreateInstance<OutboxJob>(host.Services);
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        var run = async () => await job.Execute(null!, stopping.Token);

        await run.Should().NotThrowAsync("a run stopped by shutdown leaves its rows for the next start");
    }

    [Fact]
    public async Task RunSchedulerFalse_NothingPeriodicRuns_AndTheWorkIsDrivenByHand()
    {
        // Twice on one process, as test classes do: the second stop used to wait for the host's
        // shutdown timeout (a hand-written retention loop whose delay was never cancelled).
        for (var run = 0; run < 2; run++)
        {
            var host = await StartAsync(o =>
            {
                o.RunScheduler = false;
                o.Retention = new RetentionOptions { KeepDays = 0, Mode = RetentionMode.Purge, Interval = TimeSpan.FromMilliseconds(50) };
            }, $"node-{run}");

            (await SchedulerOf(host)).Status.Should().NotBe(SchedulerStatus.Running);
            host.Services.GetService<IOutboxWakeUp>().Should().BeNull("no scheduler would take its triggers");
            var instance = await host.Services.GetRequiredService<InstanceRuntime>().StartAsync(new StartRequest { DefinitionKey = PromptFlow.Key, Channel = "test" });
            (await host.Services.GetRequiredService<IOutboxStore>().ListDueAsync(clock.GetUtcNow(), 10)).Should().ContainSingle(m => m.InstanceId == instance.Id);

            (await host.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync()).Should().Be(1);
            prompts.Delivered.Should().ContainKey(instance.Id);
            clock.Advance(TimeSpan.FromSeconds(1));
            (await host.Services.GetRequiredService<RetentionPolicy>().ApplyAsync()).Purged.Should().Be(1);

            await host.StopAsync();
            hosts.Remove(host);
            host.Dispose();
        }
    }

    /// <summary>Two nodes on one PostgreSQL database (only there: a SQLite file has one node).</summary>
    protected async Task TwoNodes_RunRetentionInTheClusteredScheduler_AndDeliverTheOutboxOnce()
    {
        void OnPostgreSql(ContactCenterOptions o)
        {
            o.Outbox = new OutboxOptions { PollInterval = TimeSpan.FromMilliseconds(50) };
            o.Retention = new RetentionOptions { KeepDays = 0, Mode = RetentionMode.Purge, Interval = TimeSpan.FromMilliseconds(200) };
        }

        var first = await StartAsync(OnPostgreSql, "first");
        var second = await StartAsync(OnPostgreSql, "second");
        foreach (var host in new[] { first, second })
        {
            var options = host.Services.GetRequiredService<TimerSchedulingOptions>();
            var clustered = await host.Services.GetRequiredKeyedService<ISchedulerFactory>(options.ClusterSchedulerName).GetScheduler();
            (await clustered.GetJobKeys(GroupMatcher<JobKey>.GroupEquals("periodic"))).Should().BeEquivalentTo([RetentionJob.Key], "retention is the clustered scheduler's, one node at a time");
            (await (await SchedulerOf(host)).GetJobKeys(GroupMatcher<JobKey>.GroupEquals("periodic"))).Should().BeEquivalentTo([OutboxJob.Key], "the outbox runs on every node; its rows are claimed");
        }

        var instances = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var node = i % 2 == 0 ? first : second;
            instances.Add((await node.Services.GetRequiredService<InstanceRuntime>().StartAsync(new StartRequest { DefinitionKey = PromptFlow.Key, Channel = "test" })).Id);
        }

        (await Until(() => Task.FromResult(instances.All(prompts.Delivered.ContainsKey)))).Should().BeTrue("both nodes' outbox jobs deliver the prompts");
        prompts.Deliveries.Should().Be(instances.Count, "each prompt once, though two nodes deliver");

        // Retention keeps ended instances 0 days: purged by the clustered job once the clock is past their end.
        clock.Advance(TimeSpan.FromSeconds(1));
        var store = first.Services.GetRequiredService<IInstanceStore>();
        (await Until(async () => (await Task.WhenAll(instances.Select(id => store.GetAsync(id)))).All(r => r is null))).Should().BeTrue("the clustered retention job runs on a node");
    }

    protected async Task<IHost> StartAsync(Action<ContactCenterOptions> configure, string node = "node")
    {
        var workflows = Directory.CreateDirectory(Path.Combine(root, node, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(workflows, "prompt.bpmn"), PromptFlow.Bpmn);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddContactCenter(o =>
        {
            o.DataFolder = Path.Combine(root, node, "data");
            o.WorkflowsFolder = workflows;
            o.Timers = new TimerOptions { Shards = 2, PollInterval = TimeSpan.FromMilliseconds(50) };
            database(o);
            configure(o);
        });
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IOutboxHandler>(prompts);
        var host = builder.Build();
        hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    private sealed class RecordingHandler : IOutboxHandler
    {
        private int _deliveries;

        public ConcurrentDictionary<Guid, OutboxRecord> Delivered { get; } = new();

        public int Deliveries => Volatile.Read(ref _deliveries);

        public bool Handles(string kind) => kind == "prompt";

        public Task HandleAsync(OutboxRecord message, CancellationToken cancellationToken)
        {
            Delivered[message.InstanceId] = message;
            Interlocked.Increment(ref _deliveries);
            return Task.CompletedTask;
        }
    }
}

public sealed class PeriodicJobsOnSqliteTests() : PeriodicJobsTests(DatabaseProvider.Sqlite);

public sealed class PeriodicJobsOnPostgreSqlTests() : PeriodicJobsTests(DatabaseProvider.PostgreSql)
{
    [Fact]
    public Task OnPostgreSql_TwoNodes_RunRetentionInTheClusteredScheduler_AndDeliverTheOutboxOnce() =>
        TwoNodes_RunRetentionInTheClusteredScheduler_AndDeliverTheOutboxOnce();
}
