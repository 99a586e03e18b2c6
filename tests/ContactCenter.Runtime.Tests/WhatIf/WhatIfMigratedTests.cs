using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Modules.Quality.WhatIf;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Tests.Definitions;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.WhatIf;

/// <summary>
/// What-if over a conversation that was moved between versions (<c>instance-migrated@1</c>): each
/// part runs on the version it ran on (v1 before the move, v2 after), unless the candidate pins
/// another version of that flow, which then runs from start to end. Flows of the test's own.
/// </summary>
public class WhatIfMigratedTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task WhatIf_OverAMigratedConversation_RunsEachPartOnTheVersionItRanOn()
    {
        await using var fixture = new RuntimeFixture();
        fixture.AddWorkflow("mig-whatif.bpmn", CatalogBpmn.Simple("mig-whatif", taskName: "Langkah", prompt: "Terima kasih"));
        var clock = new FakeTimeProvider(Now);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock), scheduler: false);
        var conversation = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "mig-whatif", Channel = "live-chat", Agent = "agent.sari" });

        // Moved to v2 while the agent is at the step; the step is then done on v2.
        clock.Advance(TimeSpan.FromMinutes(2));
        await CatalogBpmn.PublishNewAsync(fixture.Catalog, CatalogBpmn.Simple("mig-whatif", taskName: "Langkah baru", prompt: "Terima kasih banyak"), clock.GetUtcNow());
        var migrations = fixture.Host!.Services.GetRequiredService<InstanceMigrations>();
        var proposal = await migrations.ProposeAsync("mig-whatif", 1, 2, null, [conversation.Id], "pemilik.ani");
        await migrations.DryRunAsync(proposal.Record.Id, "pemilik.ani");
        await migrations.ApproveAsync(proposal.Record.Id, "penyetuju.citra");
        (await migrations.ApplyAsync(proposal.Record.Id, "penyetuju.citra")).Result!.Single().Moved.Should().BeTrue();
        clock.Advance(TimeSpan.FromMinutes(1));
        var item = (await fixture.Runtime.GetStateAsync(conversation.Id)).WorkItems.Single();
        await fixture.Runtime.CompleteWorkItemAsync(conversation.Id, item.Id, null, null, "agent.sari");
        var recorded = await fixture.Runtime.ReadJournalAsync(conversation.Id);
        recorded.OfType<PromptSent>().Single().Text.Should().Be("Terima kasih banyak");

        var runner = new WhatIfRunner(fixture.Catalog, fixture.Store, fixture.Queries);

        // Against the version it started on: the recorded move happens again, at its time, and the rest runs on v2.
        var same = (await runner.RunAsync(conversation.Id, new Dictionary<string, int> { ["mig-whatif"] = 1 })).Report!;
        same.Misfits.Should().BeEmpty();
        same.Divergence.Should().BeNull();
        same.OutcomeShifted.Should().BeFalse();
        var moved = same.CandidateJournal.OfType<InstanceMigrated>().Should().ContainSingle().Subject;
        moved.Should().Match<InstanceMigrated>(m => m.FromVersion == 1 && m.ToVersion == 2 && m.At == recorded.OfType<InstanceMigrated>().Single().At);
        same.CandidateJournal.OfType<WorkItemCreated>().Select(w => w.Name).Should().Equal(["Langkah", "Langkah baru"], "v1's step before the move, v2's after it");
        same.CandidateJournal.OfType<PromptSent>().Single().Text.Should().Be("Terima kasih banyak", "the prompt after the move is v2's, as the customer got it");

        // Against a draft of the same flow: the draft stands in for v1 and v2 from start to end; the move is not a misfit.
        var draft = await fixture.Catalog.CreateDraftAsync(CatalogBpmn.Simple("mig-whatif", taskName: "Langkah", prompt: "Terima kasih, sampai jumpa"), "pemilik.ani", "Salam penutup baru");
        var candidate = (await runner.RunAsync(conversation.Id, new Dictionary<string, int> { ["mig-whatif"] = draft.Version })).Report!;
        candidate.Misfits.Should().BeEmpty();
        candidate.CandidateJournal.OfType<InstanceMigrated>().Should().BeEmpty();
        candidate.CandidateJournal.OfType<PromptSent>().Single().Text.Should().Be("Terima kasih, sampai jumpa");
        candidate.Candidate.Status.Should().Be(InstanceStatus.Completed);
    }
}
