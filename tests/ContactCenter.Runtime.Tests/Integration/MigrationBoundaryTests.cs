using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Tests.Definitions;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary>
/// A token moved onto a task that the new version gives a timer boundary event gets that timer
/// armed by the move, due from the moment of the move (there is no old clock to keep), with its
/// row for the drain; it fires on the fake clock as drawn and replay still holds.
/// </summary>
public class MigrationBoundaryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(7));

    /// <summary><see cref="CatalogBpmn.Simple"/> with a 10-minute interrupting timer on its user task, leading to an apology.</summary>
    private static string WithTimeout(string key) => CatalogBpmn.Simple(key)
        .Replace("<bpmn:flowNodeRef>P</bpmn:flowNodeRef>", "<bpmn:flowNodeRef>P</bpmn:flowNodeRef><bpmn:flowNodeRef>Late</bpmn:flowNodeRef>", StringComparison.Ordinal)
        .Replace("<bpmn:endEvent id=\"E\" />", """
            <bpmn:endEvent id="E" />
            <bpmn:boundaryEvent id="Timeout" name="10 menit" attachedToRef="U" cancelActivity="true"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="fLate" sourceRef="Timeout" targetRef="Late" />
            <bpmn:sendTask id="Late" name="Maaf" cc:script="Mohon maaf atas waktu tunggunya." />
            <bpmn:sequenceFlow id="fLateEnd" sourceRef="Late" targetRef="E2" />
            <bpmn:endEvent id="E2" />
            """, StringComparison.Ordinal);

    [Fact]
    public async Task TokenMovedOntoATaskWithANewTimerBoundary_GetsItArmedFromTheMove_AndItFiresOnTheNewVersion()
    {
        await using var fixture = new RuntimeFixture();
        fixture.AddWorkflow("mig-boundary.bpmn", CatalogBpmn.Simple("mig-boundary"));
        var clock = new FakeTimeProvider(Now);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock), scheduler: false);
        var instance = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "mig-boundary", Channel = "live-chat", Agent = "agent.sari" });
        (await fixture.Runtime.GetStateAsync(instance.Id)).Timers.Should().BeEmpty("v1 has no timer");

        await CatalogBpmn.PublishNewAsync(fixture.Catalog, WithTimeout("mig-boundary"), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMinutes(3));
        var migrations = fixture.Host!.Services.GetRequiredService<InstanceMigrations>();
        var proposal = await migrations.ProposeAsync("mig-boundary", 1, 2, null, [instance.Id], "pemilik.ani");
        (await migrations.DryRunAsync(proposal.Record.Id, "pemilik.ani")).DryRun.Should().ContainSingle().Which.CanMove.Should().BeTrue();
        await migrations.ApproveAsync(proposal.Record.Id, "penyetuju.citra");
        var movedAt = clock.GetUtcNow();
        (await migrations.ApplyAsync(proposal.Record.Id, "penyetuju.citra")).Result.Should().ContainSingle().Which.Moved.Should().BeTrue();

        var state = await fixture.Runtime.GetStateAsync(instance.Id);
        var timer = state.Timers.Should().ContainSingle().Subject;
        timer.ElementId.Should().Be("Timeout");
        timer.DueAt.Should().Be(movedAt + TimeSpan.FromMinutes(10), "a boundary new to the element is due from the move, not from when the token arrived on v1");
        timer.TokenId.Should().Be(state.WorkItems.Single().TokenId, "it waits with the token on the task");
        (await fixture.Queries.ListPendingTimersAsync()).Should().ContainSingle(t => t.InstanceId == instance.Id && t.DueAt == timer.DueAt, "the move arms its row, so the drain will fire it");
        var journal = await fixture.Runtime.ReadJournalAsync(instance.Id);
        journal.OfType<TimerScheduled>().Should().ContainSingle().Which.Sequence.Should().BeGreaterThan(journal.OfType<InstanceMigrated>().Single().Sequence, "armed by the move, in its commit");

        clock.SetUtcNow(timer.DueAt.AddSeconds(-1));
        (await fixture.Runtime.FireAsync(instance.Id, timer.Id)).Outcome.Should().Be(TimerFiringOutcome.NotDue);
        clock.SetUtcNow(timer.DueAt);
        (await fixture.Runtime.FireAsync(instance.Id, timer.Id)).Outcome.Should().Be(TimerFiringOutcome.Fired);
        var after = await fixture.Runtime.GetAsync(instance.Id);
        after.Status.Should().Be(InstanceStatus.Completed, "the timeout path of v2 runs to its end");
        (await fixture.Runtime.ReadJournalAsync(instance.Id)).OfType<PromptSent>().Should().ContainSingle().Which.Text.Should().Be("Mohon maaf atas waktu tunggunya.");
        (await fixture.Host.Services.GetRequiredService<InstanceReplayer>().VerifyAsync(instance.Id)).Matches.Should().BeTrue("exact replay re-arms the boundary at the move's time");
    }
}
