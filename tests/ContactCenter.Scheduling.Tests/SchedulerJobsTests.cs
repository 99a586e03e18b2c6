using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Hosting;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Timers;
using ContactCenter.Scheduling;
using FluentAssertions;
using static ContactCenter.Scheduling.Tests.SchedulerProbe;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Quartz;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ContactCenter.Scheduling.Tests;

/// <summary>
/// The real registration on a real host: Quartz runs one drain job per shard, and a committed
/// timer fires once, when the runtime's clock reaches its due time and not before. On each provider:
/// on PostgreSQL the node drains the shards it leases (all of them, alone).
/// </summary>
public abstract class SchedulerJobsTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("cc-scheduling-").FullName;
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private IHost? host;

    public async Task InitializeAsync()
    {
        var workflows = Directory.CreateDirectory(Path.Combine(root, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(workflows, "wait.bpmn"), WaitFlow.Bpmn);
        var database = await DatabaseOf(provider, "scheduling");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddContactCenter(o =>
        {
            o.DataFolder = Path.Combine(root, "data");
            o.WorkflowsFolder = workflows;
            o.RunOutbox = false;
            o.Timers = new TimerOptions { Shards = 4, PollInterval = TimeSpan.FromMilliseconds(50) };
            database(o);
        });
        builder.Services.AddSingleton<TimeProvider>(clock);
        host = builder.Build();
        await host.StartAsync();
    }

    public Task DisposeAsync() => StopAndDeleteAsync([host], root);

    [Fact]
    public async Task Scheduler_RunsOneDrainJobPerShard()
    {
        var scheduler = await SchedulerOf(host!);

        var jobs = await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals("timers"));

        jobs.Select(j => j.Name).Should().BeEquivalentTo(["timer-shard-0", "timer-shard-1", "timer-shard-2", "timer-shard-3"]);
        (await Until(async () => (await scheduler.GetMetadata()).JobsExecuted >= 8)).Should().BeTrue("each shard's job runs on its repeating trigger");
    }

    [Fact]
    public async Task CommittedTimer_FiresOnceWhenDue_NotBefore()
    {
        var scheduler = await SchedulerOf(host!);
        var runtime = host!.Services.GetRequiredService<InstanceRuntime>();
        var instance = await runtime.StartAsync(new StartRequest { DefinitionKey = "wait", Channel = "test" });
        var timer = (await runtime.GetStateAsync(instance.Id)).Timers.Single();

        // Several rounds of every shard's drain pass while the clock stands before the due time.
        var executed = (await scheduler.GetMetadata()).JobsExecuted;
        (await Until(async () => (await scheduler.GetMetadata()).JobsExecuted >= executed + 12)).Should().BeTrue();
        (await runtime.GetAsync(instance.Id)).Status.Should().Be(InstanceStatus.Running, "nothing fires before its due time");

        clock.SetUtcNow(timer.DueAt);
        (await Until(async () => (await runtime.GetAsync(instance.Id)).Status == InstanceStatus.Completed)).Should().BeTrue("the drain of its shard fires it once due");

        executed = (await scheduler.GetMetadata()).JobsExecuted;
        (await Until(async () => (await scheduler.GetMetadata()).JobsExecuted >= executed + 12)).Should().BeTrue();
        (await runtime.ReadJournalAsync(instance.Id)).OfType<TimerFired>().Should().ContainSingle();
        (await host.Services.GetRequiredService<IInstanceQueries>().ListPendingTimersAsync()).Should().BeEmpty("the row went with the firing's commit");
    }
}

public sealed class SchedulerJobsOnSqliteTests() : SchedulerJobsTests(DatabaseProvider.Sqlite);

public sealed class SchedulerJobsOnPostgreSqlTests() : SchedulerJobsTests(DatabaseProvider.PostgreSql);
