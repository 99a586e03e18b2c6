using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Modules.Flows;
using ContactCenter.Modules.Quality;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Tests.Definitions;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.Quality;

/// <summary>
/// A call moved to a version that redrew its opening greeting (new id, new name) and renamed its
/// closing greeting: the scorecard still finds the greeting done before the move, and the replay
/// names every event's element as the version in effect then named it. Elements found by their
/// declared purpose, never by id.
/// </summary>
public class MigratedConversationQualityTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 3, 10, 0, 0, TimeSpan.FromHours(7));
    private const string RedrawnGreetingId = "Activity_0g7r1tx";
    private const string RenamedGreeting = "Salam pembuka (versi baru)";
    private const string RenamedClosing = "Salam penutup (versi baru)";

    [Fact]
    public async Task ScorecardAndReplay_OfACallMovedMidway_NameEachElementAsTheVersionInEffectThen()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var clock = new FakeTimeProvider(Morning);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock), scheduler: false);
        var v1 = await fixture.Catalog.LoadAsync("inbound-call", 1);
        var greeting = v1.NodesWithPurpose(StepPurposes.OpeningGreeting).Single();
        var closing = v1.NodesWithPurpose(StepPurposes.ClosingGreeting).Single();
        greeting.Name.Should().NotBeNullOrEmpty();

        var call = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "inbound-call", Channel = "inbound-call", Agent = "agent.sari", Actor = "agent.sari", Variables = new Dictionary<string, Value> { ["namaAgent"] = "Sari" } });
        await WorkAsync(fixture, clock, call.Id, steps: 2);
        (await fixture.Runtime.ReadJournalAsync(call.Id)).OfType<WorkItemCompleted>().Should().HaveCount(2, "the greeting and the step after it are done on v1");

        var bpmn = (await fixture.Catalog.GetAsync("inbound-call", 1)).Bpmn
            .Replace($"\"{greeting.Id}\"", $"\"{RedrawnGreetingId}\"", StringComparison.Ordinal)
            .Replace($">{greeting.Id}<", $">{RedrawnGreetingId}<", StringComparison.Ordinal)
            .Replace($"name=\"{greeting.Name}\"", $"name=\"{RenamedGreeting}\"", StringComparison.Ordinal)
            .Replace($"name=\"{closing.Name}\"", $"name=\"{RenamedClosing}\"", StringComparison.Ordinal);
        await CatalogBpmn.PublishNewAsync(fixture.Catalog, bpmn, clock.GetUtcNow());
        var migrations = fixture.Host!.Services.GetRequiredService<InstanceMigrations>();
        var proposal = await migrations.ProposeAsync("inbound-call", 1, 2, null, [call.Id], "pemilik.ani");
        (await migrations.DryRunAsync(proposal.Record.Id, "pemilik.ani")).DryRun!.Single().CanMove.Should().BeTrue();
        await migrations.ApproveAsync(proposal.Record.Id, "penyetuju.citra");
        (await migrations.ApplyAsync(proposal.Record.Id, "penyetuju.citra")).Result!.Single().Moved.Should().BeTrue();
        await WorkAsync(fixture, clock, call.Id, steps: 20);
        (await fixture.Runtime.GetAsync(call.Id)).Status.Should().Be(Engine.InstanceStatus.Completed);

        var card = await fixture.Host.Services.GetRequiredService<QualityService>().ScorecardAsync(call.Id);
        card[StepPurposes.OpeningGreeting].Outcome.Should().Be(RuleOutcome.Passed, "the greeting done on v1 is found by v1's purposes, though v2 has no element with its id");
        card.Failed.Should().Be(0);

        var steps = (await fixture.Host.Services.GetRequiredService<HistoryReplay>().StepsAsync(call.Id)).Replay.Steps;
        var migratedAt = steps.Single(s => s.Type == "instance-migrated@1").Sequence;
        var greetingEntered = steps.Single(s => s.Type == "element-entered@1" && s.Element?.ElementId == greeting.Id);
        greetingEntered.Sequence.Should().BeLessThan(migratedAt);
        greetingEntered.Element!.Name.Should().Be(greeting.Name, "entered on v1, named as v1 named it");
        steps.Single(s => s.Type == "work-item-completed@1" && s.Element?.ElementId == greeting.Id).Element!.Name.Should().Be(greeting.Name);
        var closingEntered = steps.Single(s => s.Type == "element-entered@1" && s.Element?.ElementId == closing.Id);
        closingEntered.Sequence.Should().BeGreaterThan(migratedAt);
        closingEntered.Element!.Name.Should().Be(RenamedClosing, "entered on v2, named as v2 names it");
        var v2 = await fixture.Catalog.LoadAsync("inbound-call", 2);
        foreach (var entered in steps.Where(s => s.Type == "element-entered@1" && s.Element!.DefinitionKey == "inbound-call"))
        {
            var inEffect = entered.Sequence < migratedAt ? v1 : v2;
            entered.Element!.Name.Should().Be(inEffect.Nodes[entered.Element.ElementId].Name, "#{0} is named by the version in effect then", entered.Sequence);
        }
    }

    /// <summary>Completes up to <paramref name="steps"/> work items, 20 s apart, "Tidak" at every decision.</summary>
    private static async Task WorkAsync(RuntimeFixture fixture, FakeTimeProvider clock, Guid id, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            var state = await fixture.Runtime.GetStateAsync(id);
            if (state.WorkItems.Count == 0)
            {
                return;
            }

            clock.Advance(TimeSpan.FromSeconds(20));
            var item = state.WorkItems.Single();
            await fixture.Runtime.CompleteWorkItemAsync(id, item.Id, item.Outcomes.Length > 0 ? "Tidak" : null, null, "agent.sari");
        }
    }
}
