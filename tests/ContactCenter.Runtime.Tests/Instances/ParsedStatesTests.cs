using ContactCenter.Engine;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;

namespace ContactCenter.Runtime.Tests.Instances;

/// <summary>The runtime keeps the state a commit left parsed, and uses it only for a record holding exactly that snapshot.</summary>
public sealed class ParsedStatesTests
{
    [Fact]
    public async Task StateOf_TheRecordAsCommitted_IsTheKeptState_AnOlderOrOtherSnapshotIsParsedFromItsOwnText()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        await fixture.StartAsync();
        var started = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "inbound-call", Channel = "inbound-call", Agent = "agent.sari", Actor = "agent.sari" });
        var item = fixture.Runtime.StateOf(started).WorkItems[0];
        var after = await fixture.Runtime.CompleteWorkItemAsync(started.Id, item.Id, item.Outcomes.FirstOrDefault(), null, "agent.sari", started.Version);
        after.Status.Should().Be(InstanceStatus.Running, "the test needs an instance still running after one command");

        // Read back from the store: another string with the same text, so the kept state serves it.
        var stored = await fixture.Runtime.GetAsync(after.Id);
        stored.Snapshot.Should().NotBeSameAs(after.Snapshot);
        var kept = fixture.Runtime.StateOf(stored);
        fixture.Runtime.StateOf(after).Should().BeSameAs(kept);
        kept.ToJson().Should().Be(stored.Snapshot);

        // The start's record (an older snapshot, as a stale reader or another node would hold) is
        // parsed from its own text, never answered with the newer kept state.
        var older = fixture.Runtime.StateOf(started);
        older.Should().NotBeSameAs(kept);
        older.Version.Should().Be(started.Version);
        older.ToJson().Should().Be(started.Snapshot);

        // The next command decides on the kept state and commits the same as on a parsed one.
        var next = fixture.Runtime.StateOf(stored).WorkItems[0];
        var then = await fixture.Runtime.CompleteWorkItemAsync(stored.Id, next.Id, next.Outcomes.FirstOrDefault(), null, "agent.sari", stored.Version);
        then.Version.Should().BeGreaterThan(stored.Version);
        InstanceState.FromJson(then.Snapshot).ToJson().Should().Be(then.Snapshot);
        (await fixture.Runtime.GetStateAsync(then.Id)).ToJson().Should().Be(then.Snapshot);
    }

    [Fact]
    public void Remember_AnotherInstanceInTheSameSlot_ReplacesIt_AndAnEndedInstanceIsNotKept()
    {
        var states = new ParsedStates(slots: 1);
        var empty = InstanceState.Empty;
        var first = Record(Guid.NewGuid(), empty.ToJson(), InstanceStatus.Running);
        var second = Record(Guid.NewGuid(), empty.ToJson(), InstanceStatus.Running);

        states.Remember(first, empty);
        states.StateOf(first).Should().BeSameAs(empty);
        states.Remember(second, empty);
        states.StateOf(first).Should().NotBeSameAs(empty, "the second instance took the only slot");
        states.StateOf(second).Should().BeSameAs(empty);

        states.Remember(second with { Status = InstanceStatus.Completed }, empty);
        states.StateOf(second).Should().NotBeSameAs(empty, "an ended instance takes no more commands, so its state is let go");
    }

    private static InstanceRecord Record(Guid id, string snapshot, InstanceStatus status) => new()
    {
        Id = id,
        DefinitionKey = "flow",
        DefinitionVersion = 1,
        Channel = "chat",
        Status = status,
        Version = 0,
        Snapshot = snapshot,
        PinnedVersions = new Dictionary<string, int>(),
        StartedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
