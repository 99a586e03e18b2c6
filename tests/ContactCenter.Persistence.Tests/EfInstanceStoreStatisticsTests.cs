using System.Collections.Immutable;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Persistence.Tests;

/// <summary>The dashboard's counting queries on the real SQLite store, against journals written as the runtime writes them.</summary>
public class EfInstanceStoreStatisticsTests
{
    private static readonly DateTimeOffset From = Build.T0;
    private static readonly DateTimeOffset To = Build.T0.AddDays(1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // ended: their journals are compressed segments, counted all the same
    public async Task CountElementsAsync_CountsEntriesPerVersionScopeAndFlow_WithinThePeriod(bool ended)
    {
        await using var db = await TestDatabase.CreateAsync();
        DateTimeOffset? endedAt = ended ? To.AddDays(1) : null;
        var status = ended ? InstanceStatus.Completed : InstanceStatus.Running;

        // chat v3: greets, waits twice in the called "still" flow (its own scopes), ends.
        await WriteAsync(db, "chat", 3, Build.T0.AddHours(1), j => j
            .Scope(1, "chat", 3).Enter(1, "Start").Enter(1, "Greet", "f1").Enter(1, "Wait", "f2")
            .Scope(2, "still", 1).Enter(2, "S_Start").Enter(2, "S_Timer", "s1")
            .Enter(1, "Wait", "f5")
            .Scope(3, "still", 1).Enter(3, "S_Start").Enter(3, "S_Reply", "s2")
            .Enter(1, "End", "f3"), status, endedAt);
        // chat v4 (another pinned version): greets once.
        await WriteAsync(db, "chat", 4, Build.T0.AddHours(2), j => j.Scope(1, "chat", 4).Enter(1, "Start").Enter(1, "Greet", "f1"), status, endedAt);
        // chat v3 again, greeting twice (a loop).
        await WriteAsync(db, "chat", 3, Build.T0.AddHours(3), j => j.Scope(1, "chat", 3).Enter(1, "Start").Enter(1, "Greet", "f1").Enter(1, "Greet", "f4"), status, endedAt);
        // Outside the period, and another flow: not counted.
        await WriteAsync(db, "chat", 3, Build.T0.AddDays(-1), j => j.Scope(1, "chat", 3).Enter(1, "Start"), status, endedAt);
        await WriteAsync(db, "mail", 1, Build.T0.AddHours(1), j => j.Scope(1, "mail", 1).Enter(1, "Start"), status, endedAt);

        var chat = await db.Instances.CountElementsAsync(new ElementCountQuery { DefinitionKey = "chat", StartedFrom = From, StartedTo = To });

        chat.Versions.Select(v => (v.Version, v.Instances)).Should().Equal((3, 2), (4, 1));
        var v3 = chat.Versions[0];
        v3.Elements.Should().Equal(
            new ElementCount("End", 1, 1), new ElementCount("Greet", 3, 2), new ElementCount("Start", 2, 2), new ElementCount("Wait", 2, 1));
        v3.Flows.Should().Equal(new FlowCount("f1", 2), new FlowCount("f2", 1), new FlowCount("f3", 1), new FlowCount("f4", 1), new FlowCount("f5", 1));
        chat.Versions[1].Elements.Should().Equal(new ElementCount("Greet", 1, 1), new ElementCount("Start", 1, 1));

        // The called flow counts for itself: its two scopes in one instance.
        var still = await db.Instances.CountElementsAsync(new ElementCountQuery { DefinitionKey = "still", StartedFrom = From, StartedTo = To });
        still.Versions.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Version = 1,
            Instances = 1,
            Elements = new[] { new ElementCount("S_Reply", 1, 1), new ElementCount("S_Start", 2, 1), new ElementCount("S_Timer", 1, 1) },
        });

        // A period before any of them counts nothing; so does an unknown flow.
        (await db.Instances.CountElementsAsync(new ElementCountQuery { DefinitionKey = "chat", StartedFrom = From.AddDays(-10), StartedTo = From.AddDays(-5) })).Versions.Should().BeEmpty();
        (await db.Instances.CountElementsAsync(new ElementCountQuery { DefinitionKey = "nothing", StartedFrom = From, StartedTo = To })).Versions.Should().BeEmpty();
    }

    [Fact]
    public async Task CountElementsAsync_IgnoresEventsAfterThePeriod()
    {
        await using var db = await TestDatabase.CreateAsync();
        // Started just before the end; its later events fall after it.
        await WriteAsync(db, "chat", 3, To.AddMinutes(-1), j => j.Scope(1, "chat", 3).Enter(1, "Start").Enter(1, "Greet", "f1").At(To.AddMinutes(1)).Enter(1, "End", "f3"));

        var counts = await db.Instances.CountElementsAsync(new ElementCountQuery { DefinitionKey = "chat", StartedFrom = From, StartedTo = To });

        counts.Versions.Single().Elements.Select(e => e.ElementId).Should().Equal("Greet", "Start");
    }

    [Fact]
    public async Task ListActivityAsync_ListsInstancesStartedInThePeriod_WithoutSnapshots()
    {
        await using var db = await TestDatabase.CreateAsync();
        var early = await WriteAsync(db, "chat", 3, Build.T0.AddHours(1), j => j.Scope(1, "chat", 3));
        var late = await WriteAsync(db, "chat", 3, Build.T0.AddHours(5), j => j.Scope(1, "chat", 3), status: InstanceStatus.Completed, endedAt: Build.T0.AddHours(6), agent: null, channel: "email");
        await WriteAsync(db, "chat", 3, Build.T0.AddDays(2), j => j.Scope(1, "chat", 3));

        var activity = await db.Instances.ListActivityAsync(From, To, 100);

        activity.Should().Equal(
            new InstanceActivity(early, "chat", "whatsapp", "agent.sari", InstanceStatus.Running, Build.T0.AddHours(1), null),
            new InstanceActivity(late, "chat", "email", null, InstanceStatus.Completed, Build.T0.AddHours(5), Build.T0.AddHours(6)));
        (await db.Instances.ListActivityAsync(From, To, 1)).Should().ContainSingle().Which.Id.Should().Be(early);
    }

    private static async Task<Guid> WriteAsync(
        TestDatabase db, string key, int version, DateTimeOffset startedAt, Func<JournalBuilder, JournalBuilder> journal,
        InstanceStatus status = InstanceStatus.Running, DateTimeOffset? endedAt = null, string? agent = "agent.sari", string channel = "whatsapp")
    {
        var id = Guid.NewGuid();
        var events = journal(new JournalBuilder(id, startedAt)).Events;
        var instance = Build.Instance(id, events.Count, status, channel, agent, startedAt, key) with
        {
            DefinitionVersion = version,
            PinnedVersions = new Dictionary<string, int> { [key] = version, ["still"] = 1 },
            EndedAt = endedAt,
        };
        await db.Instances.CommitAsync(new InstanceCommit { Instance = instance, ExpectedVersion = 0, Events = events });
        return id;
    }

    /// <summary>Journal rows in the runtime's JSON (the engine's serializer), numbered from 1.</summary>
    private sealed class JournalBuilder(Guid id, DateTimeOffset at)
    {
        private DateTimeOffset _at = at;
        private long _token;

        public List<JournalRecord> Events { get; } = [];

        public JournalBuilder At(DateTimeOffset at)
        {
            _at = at;
            return this;
        }

        public JournalBuilder Scope(long scopeId, string key, int version) =>
            Add(new ScopeStarted(scopeId, scopeId == 1 ? null : 1, null, key, version, null));

        public JournalBuilder Enter(long scopeId, string elementId, string? flowId = null) =>
            Add(new ElementEntered(++_token, scopeId, elementId, flowId));

        private JournalBuilder Add(WorkflowEvent e)
        {
            Events.Add(new JournalRecord(id, Events.Count + 1, JournalSerializer.TypeNameOf(e), _at, null, JournalSerializer.Serialize(e)));
            return this;
        }
    }
}
