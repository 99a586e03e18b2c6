using ContactCenter.Engine.Journal;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Timers;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary>
/// Two hosts on one PostgreSQL database, each with its own store, runtime and drains: two nodes
/// with nothing shared but the database. Shard ownership (one node per shard) is the cluster's; these
/// tests race both nodes on the same rows to show the store alone keeps firing and delivery single.
/// </summary>
public sealed class TwoNodesOnPostgreSqlTests
{
    [Fact]
    public async Task TimerDrains_OfTwoNodesRacingOnEveryShard_FireEachTimerOnce()
    {
        await using var fixture = new RuntimeFixture(provider: DatabaseProvider.PostgreSql);
        fixture.AddWorkflow("ladder.bpmn", TestWorkflows.TimerLadder("ladder", prompts: 1, seconds: 60));
        var nodeA = await fixture.StartAsync(scheduler: false);
        var nodeB = await fixture.StartAsync(scheduler: false);
        var runtimeA = nodeA.Services.GetRequiredService<InstanceRuntime>();
        var ids = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add((await runtimeA.StartAsync(new StartRequest { DefinitionKey = "ladder", Channel = "live-chat" })).Id);
        }

        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        var shards = new TimerOptions().Shards;
        var fired = await Task.WhenAll(
            from node in new[] { nodeA, nodeB }
            from shard in Enumerable.Range(0, shards)
            select Task.Run(() => node.Services.GetRequiredService<TimerDrain>().FireDueAsync(shard)));

        fired.Sum().Should().Be(ids.Count, "each timer fires on one node; the other finds it fired (a conflict on the instance, then nothing pending)");
        foreach (var id in ids)
        {
            var journal = await runtimeA.ReadJournalAsync(id);
            journal.OfType<TimerFired>().Should().ContainSingle();
            journal.OfType<PromptSent>().Should().ContainSingle();
        }

        (await nodeB.Services.GetRequiredService<IInstanceQueries>().ListPendingTimersAsync()).Should().BeEmpty();
        (await nodeA.Services.GetRequiredService<IOutboxStore>().BacklogAsync()).Undelivered.Should().Be(ids.Count, "one prompt per conversation, none twice");
    }

    [Fact]
    public async Task OutboxDispatchers_OfTwoNodesRacing_DeliverEachMessageOnce()
    {
        await using var fixture = new RuntimeFixture(provider: DatabaseProvider.PostgreSql);
        fixture.AddWorkflow("ladder.bpmn", TestWorkflows.TimerLadder("ladder", prompts: 1, seconds: 60));
        var delivered = new System.Collections.Concurrent.ConcurrentBag<string>();
        void Handler(IServiceCollection services) => services.AddSingleton<IOutboxHandler>(new Counting(delivered));
        var nodeA = await fixture.StartAsync(Handler, scheduler: false);
        var nodeB = await fixture.StartAsync(Handler, scheduler: false);
        var runtimeA = nodeA.Services.GetRequiredService<InstanceRuntime>();
        for (var i = 0; i < 60; i++)
        {
            await runtimeA.StartAsync(new StartRequest { DefinitionKey = "ladder", Channel = "live-chat" });
        }

        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        foreach (var shard in Enumerable.Range(0, new TimerOptions().Shards))
        {
            await nodeA.Services.GetRequiredService<TimerDrain>().FireDueAsync(shard);
        }

        await Task.WhenAll(
            from node in new[] { nodeA, nodeB, nodeA, nodeB }
            select Task.Run(() => node.Services.GetRequiredService<OutboxDispatcher>().DispatchAllDueAsync()));

        delivered.Should().HaveCount(60).And.OnlyHaveUniqueItems("no message is delivered by two dispatchers");
        (await nodeB.Services.GetRequiredService<IOutboxStore>().BacklogAsync()).Undelivered.Should().Be(0);
    }

    private sealed class Counting(System.Collections.Concurrent.ConcurrentBag<string> delivered) : IOutboxHandler
    {
        public bool Handles(string kind) => kind == "prompt";

        public Task HandleAsync(OutboxRecord message, CancellationToken cancellationToken)
        {
            delivered.Add(message.IdempotencyKey);
            return Task.CompletedTask;
        }
    }
}
