using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Tests.Definitions;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary>A running instance keeps the versions it started on; new instances bind to what is in effect.</summary>
public abstract class VersionPinningTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public async Task Publish_NewVersionEffectiveNowOrInThePast_RunningInstanceStaysOnItsVersionAndNewOneBindsToTheNew(int effectiveMinutesFromNow)
    {
        await using var fixture = new RuntimeFixture(provider: provider);
        fixture.AddWorkflow("pinned.bpmn", CatalogBpmn.Simple("pinned", "Langkah v1", "Terima kasih v1"));
        var clock = new FakeTimeProvider(Now);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var running = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "pinned", Channel = "live-chat", Agent = "agent.sari" });
        running.DefinitionVersion.Should().Be(1);

        clock.Advance(TimeSpan.FromHours(2));
        var v2 = await CatalogBpmn.PublishNewAsync(fixture.Catalog, CatalogBpmn.Simple("pinned", "Langkah v2", "Terima kasih v2"), clock.GetUtcNow().AddMinutes(effectiveMinutesFromNow));
        v2.Version.Should().Be(2);
        var fresh = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "pinned", Channel = "live-chat", Agent = "agent.budi" });

        fresh.DefinitionVersion.Should().Be(2);
        fresh.PinnedVersions.Should().BeEquivalentTo(new Dictionary<string, int> { ["pinned"] = 2 });
        (await fixture.Runtime.GetStateAsync(fresh.Id)).WorkItems.Should().ContainSingle().Which.Name.Should().Be("Langkah v2");

        // The running instance goes on, on v1: its work item and its prompt are v1's.
        var runningItem = (await fixture.Runtime.GetStateAsync(running.Id)).WorkItems.Should().ContainSingle().Subject;
        runningItem.Name.Should().Be("Langkah v1");
        var finished = await fixture.Runtime.CompleteWorkItemAsync(running.Id, runningItem.Id, null, null, "agent.sari");
        finished.Status.Should().Be(InstanceStatus.Completed);
        finished.DefinitionVersion.Should().Be(1);
        finished.PinnedVersions.Should().BeEquivalentTo(new Dictionary<string, int> { ["pinned"] = 1 });
        (await fixture.Runtime.ReadJournalAsync(running.Id)).OfType<PromptSent>().Should().ContainSingle().Which.Text.Should().Be("Terima kasih v1");

        var freshItem = (await fixture.Runtime.GetStateAsync(fresh.Id)).WorkItems.Single();
        await fixture.Runtime.CompleteWorkItemAsync(fresh.Id, freshItem.Id, null, null, "agent.budi");
        (await fixture.Runtime.ReadJournalAsync(fresh.Id)).OfType<PromptSent>().Should().ContainSingle().Which.Text.Should().Be("Terima kasih v2");
    }

    [Fact]
    public async Task Publish_NewCalledVersion_RunningLiveChatKeepsItsStillConnectedAndANewOneTakesTheNew()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var clock = new FakeTimeProvider(Now);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var start = new StartRequest { DefinitionKey = "live-chat", Channel = "live-chat", Agent = "agent.sari", Variables = new Dictionary<string, Engine.Expressions.Value> { ["namaAgent"] = "Sari" } };
        var running = await fixture.Runtime.StartAsync(start);

        var stillConnected = await fixture.Catalog.GetAsync("still-connected", 1);
        await CatalogBpmn.PublishNewAsync(fixture.Catalog, stillConnected.Bpmn.Replace("Apakah masih terhubung?", "Masih terhubung? (v2)", StringComparison.Ordinal), clock.GetUtcNow());
        var fresh = await fixture.Runtime.StartAsync(start);

        fresh.PinnedVersions.Should().BeEquivalentTo(new Dictionary<string, int> { ["live-chat"] = 1, ["still-connected"] = 2 });
        var greeting = (await fixture.Runtime.GetStateAsync(running.Id)).WorkItems.Single();
        var after = await fixture.Runtime.CompleteWorkItemAsync(running.Id, greeting.Id, null, null, "agent.sari");
        after.PinnedVersions.Should().BeEquivalentTo(new Dictionary<string, int> { ["live-chat"] = 1, ["still-connected"] = 1 });
        (await fixture.Runtime.GetAsync(running.Id)).PinnedVersions["still-connected"].Should().Be(1);
    }
}

public sealed class VersionPinningOnSqliteTests() : VersionPinningTests(DatabaseProvider.Sqlite);

public sealed class VersionPinningOnPostgreSqlTests() : VersionPinningTests(DatabaseProvider.PostgreSql);
