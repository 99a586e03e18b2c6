using System.Collections.Concurrent;
using ContactCenter.Runtime.Cluster;
using ContactCenter.Scheduling.Cluster;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static ContactCenter.Scheduling.Tests.SchedulerProbe;

namespace ContactCenter.Scheduling.Tests;

/// <summary>
/// What several nodes on one PostgreSQL database share, each node played by its own objects and
/// database sessions on a throwaway PostgreSQL: timer shards (each owned by one live node, taken
/// over when a node's session dies), signals between nodes, locks and counters.
/// </summary>
public sealed class ClusterCoordinationTests : IAsyncLifetime
{
    private const int Shards = 8;
    private readonly List<PostgresShardLeases> leases = [];
    private readonly List<PostgresClusterSignals> signals = [];
    private string connectionString = "";

    public async Task InitializeAsync() => connectionString = await (await ThrowawayPostgres.SharedAsync()).CreateDatabaseAsync("cluster");

    public async Task DisposeAsync()
    {
        foreach (var node in leases)
        {
            await node.StopAsync(CancellationToken.None);
            node.Dispose();
        }

        foreach (var node in signals)
        {
            await node.StopAsync(CancellationToken.None);
            node.Dispose();
        }
    }

    private ClusterOptions Options() => new() { ConnectionString = connectionString, LeaseInterval = TimeSpan.FromMilliseconds(50) };

    private async Task<PostgresShardLeases> StartLeasesAsync()
    {
        var node = new PostgresShardLeases(connectionString, Shards, Options(), NullLogger<PostgresShardLeases>.Instance);
        leases.Add(node);
        await node.StartAsync(CancellationToken.None);
        return node;
    }

    /// <summary>True when every shard is owned by exactly one of <paramref name="nodes"/>, each within its share.</summary>
    private static bool SplitOnce(PostgresShardLeases[] nodes)
    {
        var owned = nodes.Select(n => n.Owned).ToList();
        var all = owned.SelectMany(o => o).ToList();
        var share = (Shards + nodes.Length - 1) / nodes.Length;
        return all.Count == Shards && all.Distinct().Count() == Shards && owned.All(o => o.Count <= share);
    }

    [Fact]
    public async Task ThreeNodes_ShareTheShards_EachOwnedOnce_AndADeadNodesShardsAreTakenByTheOthers()
    {
        var first = await StartLeasesAsync();
        (await Until(() => Task.FromResult(first.Owned.Count == Shards))).Should().BeTrue("a lone node owns every shard");

        var second = await StartLeasesAsync();
        var third = await StartLeasesAsync();
        var nodes = new[] { first, second, third };
        (await Until(() => Task.FromResult(SplitOnce(nodes)))).Should().BeTrue(
            "a joining node gets its share: 3+3+2, none twice (now {0})", string.Join(" | ", nodes.Select(n => string.Join(",", n.Owned))));
        first.Hold(first.Owned[0]).Should().NotBeNull("a node drains what it owns");
        var notFirsts = Enumerable.Range(0, Shards).Except(first.Owned).First();
        first.Hold(notFirsts).Should().BeNull("and nothing else");

        // The node's session dies the way a killed process's does: PostgreSQL ends it.
        var victim = second.Owned;
        await using (var admin = new NpgsqlConnection(connectionString))
        {
            await admin.OpenAsync();
            // Only the second node's session: found by an advisory lock it holds.
            await using var kill = new NpgsqlCommand(
                $"SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = {PostgresShardLeases.LockSpace} AND objid = {victim[0]}", admin);
            await kill.ExecuteNonQueryAsync();
        }

        (await Until(() => Task.FromResult(victim.All(s => first.Owned.Contains(s) || third.Owned.Contains(s))))).Should().BeTrue(
            "the survivors take the dead session's shards {0}", string.Join(",", victim));
        await second.StopAsync(CancellationToken.None);
        (await Until(() => Task.FromResult(SplitOnce([first, third])))).Should().BeTrue("the two left split the shards 4+4, none twice");
    }

    [Fact]
    public async Task Leases_GiveAShardBack_OnlyAfterItsDrainEnds()
    {
        var first = await StartLeasesAsync();
        (await Until(() => Task.FromResult(first.Owned.Count == Shards))).Should().BeTrue();
        // Hold every shard as if each were being drained: a joining node gets none of them yet.
        var holds = Enumerable.Range(0, Shards).Select(first.Hold).ToList();
        holds.Should().AllSatisfy(h => h.Should().NotBeNull());

        var second = await StartLeasesAsync();
        (await Until(async () => await AdvisoryLockCountAsync() == Shards && second.Owned.Count == 0)).Should().BeTrue();
        first.Owned.Should().HaveCount(Shards, "no shard is given up in the middle of its drain");

        foreach (var hold in holds)
        {
            hold!.Dispose();
        }

        (await Until(() => Task.FromResult(SplitOnce([first, second])))).Should().BeTrue("once the drains end the shards are split 4+4");
    }

    private async Task<long> AdvisoryLockCountAsync()
    {
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = {PostgresShardLeases.LockSpace}", admin);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Signals_ReachTheOtherNodes_InOrder_LongOnesInParts_AndNotTheSender()
    {
        var nodes = new List<(PostgresClusterSignals Node, ConcurrentQueue<string> Got)>();
        for (var i = 0; i < 3; i++)
        {
            var node = new PostgresClusterSignals(connectionString, Options(), NullLogger<PostgresClusterSignals>.Instance);
            signals.Add(node);
            var got = new ConcurrentQueue<string>();
            node.Subscribe("test_topic", got.Enqueue);
            await node.StartAsync(CancellationToken.None);
            await node.Listening.WaitAsync(TimeSpan.FromSeconds(20));
            nodes.Add((node, got));
        }

        // Longer than a NOTIFY payload may be (8,000 bytes), with characters of 2, 3 and 4 UTF-8 bytes
        // placed so that some fall on the boundary of a part.
        var longOne = string.Concat(Enumerable.Range(0, 3_000).Select(i => i % 7 == 0 ? "é€😀" : "abc"));
        nodes[0].Node.Publish("test_topic", "one");
        nodes[0].Node.Publish("test_topic", longOne);
        nodes[0].Node.Publish("test_topic", "three");
        nodes[0].Node.Publish("other_topic", "not for these subscribers");

        foreach (var (_, got) in nodes.Skip(1))
        {
            (await Until(() => Task.FromResult(got.Count >= 3))).Should().BeTrue();
            got.Should().Equal("one", longOne, "three");
        }

        nodes[0].Got.Should().BeEmpty("a node does not hear itself: what it does it shows directly");
    }

    [Fact]
    public async Task Locks_OnOneKey_AreHeldByOneNodeAtATime_AndOtherKeysDoNotWait()
    {
        var a = new PostgresClusterLocks(connectionString);
        var b = new PostgresClusterLocks(connectionString);
        var held = await a.AcquireAsync("customer-1");
        var waiting = b.AcquireAsync("customer-1").AsTask();
        var other = await b.AcquireAsync("customer-2").AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        await other.DisposeAsync();
        (await Task.WhenAny(waiting, Task.Delay(300))).Should().NotBe(waiting, "the same key waits for the holder");

        await held.DisposeAsync();
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Counters_DrawnFromSeveralNodesAtOnce_NeverRepeat_AndStartAtZero()
    {
        var nodes = Enumerable.Range(0, 3).Select(_ => new PostgresClusterCounters(connectionString)).ToList();
        var draws = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => nodes[i % 3].NextAsync("test_turns").AsTask()));
        draws.Should().OnlyHaveUniqueItems().And.Contain(0L);
        draws.Max().Should().Be(299);
        await FluentActions.Awaiting(() => nodes[0].NextAsync("Bad-Name").AsTask()).Should().ThrowAsync<ArgumentException>();
    }
}
