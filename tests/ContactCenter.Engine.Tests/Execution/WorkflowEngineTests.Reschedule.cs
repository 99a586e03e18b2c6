using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

/// <summary>Moving and holding timers, and annotations: what the runtime needs to follow an SLA clock.</summary>
public partial class WorkflowEngineTests
{
    private static readonly string Sla = Bpmn.Process(Bpmn.Chain("S", "Work", "E") + Bpmn.Chain("Breach", "Alert") + $"""
        <bpmn:startEvent id="S" />
        <bpmn:userTask id="Work" />
        <bpmn:endEvent id="E" />
        <bpmn:boundaryEvent id="Breach" attachedToRef="Work" cancelActivity="false" cc:slaPolicy="resolution">{Bpmn.Timer("P10D")}</bpmn:boundaryEvent>
        <bpmn:endEvent id="Alert" />
        """);

    [Fact]
    public void RescheduleTimer_NewDueTime_IsJournaledAndFolds()
    {
        var run = Driver.For(Sla).Start();
        var timer = run.Timer("Breach");
        var later = timer.DueAt.AddDays(2);

        var events = run.Send(new RescheduleTimer(timer.Id, later, "sla-extended") { Actor = "tier2.budi" });

        events.Should().ContainSingle().Which.Should().BeEquivalentTo(new { TimerId = timer.Id, DueAt = (DateTimeOffset?)later, Reason = "sla-extended", Actor = "tier2.budi" });
        run.Timer("Breach").Should().Be(timer with { DueAt = later });
        JournalSerializer.Deserialize(JournalSerializer.Serialize(events[0])).Should().Be(events[0]);
        JournalSerializer.Serialize(events[0]).Should().Contain("\"type\":\"timer-rescheduled@1\"");
    }

    [Fact]
    public void RescheduleTimer_Held_NeverFiresUntilGivenADueTimeAgain()
    {
        var run = Driver.For(Sla).Start();
        var timer = run.Timer("Breach");

        run.Send(new RescheduleTimer(timer.Id, null, "sla-paused"));
        run.Timer("Breach").Held.Should().BeTrue();
        run.State.NextTimer().Should().BeNull("a held timer is not the next to fire");
        run.Send(new FireTimer(timer.Id)).Should().BeEmpty("a stale trigger of a held timer is a no-op");

        var resumedDue = timer.DueAt.AddHours(5);
        run.Send(new RescheduleTimer(timer.Id, resumedDue, "sla-resumed"));
        run.Timer("Breach").Should().Be(timer with { DueAt = resumedDue, Held = false });

        run.Now = resumedDue;
        run.Send(new FireTimer(timer.Id)).OfType<TimerFired>().Should().ContainSingle();
        run.Entered.Should().Contain("Alert");
    }

    [Fact]
    public void FireTimer_AfterAnExtensionButBeforeTheNewDueTime_ChangesNothingAndStaysArmed()
    {
        // The race of a stale scheduler pick: the deadline was extended after the old due time had
        // been picked for firing, and that firing arrives between the old and the new due time.
        var run = Driver.For(Sla).Start();
        var timer = run.Timer("Breach");
        var extended = timer.DueAt.AddDays(2);
        run.Send(new RescheduleTimer(timer.Id, extended, "sla-extended"));

        run.Now = timer.DueAt.AddMinutes(1);
        run.Send(new FireTimer(timer.Id)).Should().BeEmpty("a firing before the current due time is stale");
        run.Timer("Breach").Should().Be(timer with { DueAt = extended }, "the timer stays armed for its real due time");
        run.Entered.Should().NotContain("Alert");

        run.Now = extended.AddTicks(-1);
        run.Send(new FireTimer(timer.Id)).Should().BeEmpty("one tick early is still early");

        run.Now = extended;
        run.Send(new FireTimer(timer.Id)).OfType<TimerFired>().Should().ContainSingle();
        run.Entered.Should().Contain("Alert");
    }

    [Fact]
    public void RescheduleTimer_TimerNotPending_IsRejected()
    {
        var run = Driver.For(Sla).Start();

        run.Reject(new RescheduleTimer(999, Driver.T0, "x")).Reason.Should().Be(RejectionReason.UnknownTimer);
    }

    [Fact]
    public void Annotate_RecordsAFactWithoutMovingTheFlow()
    {
        var run = Driver.For(Sla).Start();
        var positions = run.TokenPositions.ToList();

        var events = run.Send(new Annotate("note", Driver.Vars(("catatan", "Nasabah mengirim bukti transfer"))) { Actor = "tier2.budi" });

        var note = events.Should().ContainSingle().Which.Should().BeOfType<Annotated>().Subject;
        note.Kind.Should().Be("note");
        note.Data["catatan"].Should().Be(Value.From("Nasabah mengirim bukti transfer"));
        note.Actor.Should().Be("tier2.budi");
        run.TokenPositions.Should().Equal(positions);
        run.State.Version.Should().Be(note.Sequence);
    }

    [Fact]
    public void Annotate_WithoutKindOrAfterTheEnd_IsRejected()
    {
        var run = Driver.For(Sla).Start();
        run.Reject(new Annotate(" ")).Reason.Should().Be(RejectionReason.InvalidAnnotation);

        run.Complete("Work");
        run.State.Status.Should().Be(InstanceStatus.Completed);
        run.Reject(new Annotate("note")).Reason.Should().Be(RejectionReason.NotRunning);
    }

    [Fact]
    public void Timer_DeadlineCalculator_SeesTheInstanceVariables()
    {
        var calendar = new VariableAwareCalendar();
        var run = new Driver(new WorkflowEngine(new DefinitionSet([Driver.Parse(Sla)]), calendar)).Start(variables: Driver.Vars(("prioritas", "Tinggi")));

        run.Timer("Breach").DueAt.Should().Be(Driver.T0.AddDays(1), "the calculator chose the due from the variable");
    }

    private sealed class VariableAwareCalendar : IDeadlineCalculator
    {
        public DateTimeOffset DueAt(DateTimeOffset from, TimeSpan duration, string? slaPolicy) => from + duration;

        public DateTimeOffset DueAt(DateTimeOffset from, TimeSpan duration, string? slaPolicy, IReadOnlyDictionary<string, Value> variables) =>
            variables.TryGetValue("prioritas", out var priority) && priority == Value.From("Tinggi") ? from.AddDays(1) : from + duration;
    }
}
