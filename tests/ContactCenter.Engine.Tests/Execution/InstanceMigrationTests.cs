using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

/// <summary>Moving a running instance between versions: the derived mapping, the refusals, the move itself, and exact replay across it.</summary>
public class InstanceMigrationTests
{
    private static readonly DateTimeOffset T0 = Driver.T0;

    // Version 1: a task with a 10-minute reminder on its boundary.
    private static readonly WorkflowDefinition V1 = Driver.Parse(Bpmn.Process(Bpmn.Chain("S", "Work", "Done") + Bpmn.Chain("Remind", "Reminded") + """
        <bpmn:startEvent id="S" />
        <bpmn:userTask id="Work" name="Kerjakan" cc:purpose="work" />
        <bpmn:boundaryEvent id="Remind" attachedToRef="Work" cancelActivity="true" cc:purpose="reminder"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:endEvent id="Done" />
        <bpmn:endEvent id="Reminded" />
        """));

    // Version 2: every id redrawn as a designer names them, a step added after the reminder, a new
    // script on the task; the purposes stay. The reminder is now 30 minutes (a kept timer keeps its clock).
    private static readonly WorkflowDefinition V2 = Driver.Parse(Bpmn.Process(Bpmn.Chain("Event_1", "Activity_0x9k2m1", "Event_2") + Bpmn.Chain("Event_3", "Activity_Follow", "Event_4") + """
        <bpmn:startEvent id="Event_1" />
        <bpmn:userTask id="Activity_0x9k2m1" name="Kerjakan sekarang" cc:purpose="work" cc:script="Silakan kerjakan." />
        <bpmn:boundaryEvent id="Event_3" attachedToRef="Activity_0x9k2m1" cancelActivity="true" cc:purpose="reminder"><bpmn:timerEventDefinition><bpmn:timeDuration>PT30M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:userTask id="Activity_Follow" name="Tindak lanjut" />
        <bpmn:endEvent id="Event_2" />
        <bpmn:endEvent id="Event_4" />
        """));

    private static DefinitionSet Before() => new DefinitionSet().Add(V1, 1);

    private static DefinitionSet After() => new DefinitionSet().Add(V2, 2).AddVersion(V1, 1);

    private static (InstanceState State, List<WorkflowEvent> Journal) Started()
    {
        var decision = new WorkflowEngine(Before()).Decide(InstanceState.Empty, new StartInstance("p"), T0);
        return (decision.State, [.. decision.Events]);
    }

    [Fact]
    public void Derive_MatchesByIdThenByPurpose_AndListsTheRest()
    {
        var derived = InstanceMigration.Derive(V1, V2);

        derived.Mapping["Work"].Should().Be("Activity_0x9k2m1");
        derived.MatchedBy["Work"].Should().Be("purpose:work");
        derived.Mapping["Remind"].Should().Be("Event_3");
        derived.Unmapped.Should().BeEquivalentTo(["S", "Done", "Reminded"], "start and end events declare no purpose and changed id");
    }

    [Fact]
    public void Migrate_TokenAndTimerMoveByTheMapping_TimerKeepsItsDueTime_AndFiresOnTheNewVersion()
    {
        var (state, journal) = Started();
        var timer = state.Timers.Should().ContainSingle().Subject;
        var mapping = InstanceMigration.Derive(V1, V2).Mapping;

        var moved = new WorkflowEngine(After()).Decide(state, new MigrateInstance("p", 1, mapping) { Actor = "owner" }, T0.AddMinutes(5));

        var migrated = moved.Events[0].Should().BeOfType<InstanceMigrated>().Subject;
        migrated.ToVersion.Should().Be(2);
        migrated.Mapping.Should().HaveCount(mapping.Count, "the event carries the whole mapping");
        moved.State.DefinitionVersion.Should().Be(2);
        moved.State.Tokens.Should().ContainSingle().Which.ElementId.Should().Be("Activity_0x9k2m1");
        moved.State.Timers.Should().ContainSingle().Which.Should().Be(timer with { ElementId = "Event_3" }, "a kept timer keeps its id and due time, not the new 30 minutes");
        moved.Events.OfType<WorkItemCreated>().Should().ContainSingle("the task's name and script changed, so the agent's item is reissued from the new step")
            .Which.Script.Should().Be("Silakan kerjakan.");
        journal.AddRange(moved.Events);

        var fired = new WorkflowEngine(After().WithPinned(new Dictionary<string, int> { ["p"] = 2 })).Decide(moved.State, new FireTimer(timer.Id), timer.DueAt);
        fired.Events.OfType<ElementEntered>().Select(e => e.ElementId).Should().Equal("Event_3", "Activity_Follow");
        journal.AddRange(fired.Events);

        var replay = JournalReplay.Verify(new DefinitionSet().Add(V1, 1).AddVersion(V2, 2), journal);
        replay.Divergence.Should().BeNull();
        replay.EventsChecked.Should().Be(journal.Count);
        JournalSerializer.FromJsonLines(JournalSerializer.ToJsonLines(journal)).Select(JournalSerializer.Serialize)
            .Should().Equal(journal.Select(JournalSerializer.Serialize), "instance-migrated@1 reads back byte for byte");
        JournalReplay.VersionsOf(journal).Should().Equal(("p", 1), ("p", 2));
    }

    [Fact]
    public void Migrate_TokenOnUnmappedElement_IsRefusedNamingIt_AndNothingMoves()
    {
        var (state, _) = Started();
        var mapping = new Dictionary<string, string>(InstanceMigration.Derive(V1, V2).Mapping);
        mapping.Remove("Work");

        var problems = InstanceMigration.Check(After(), state, new MigrateInstance("p", 1, mapping));

        problems.Should().Contain(p => p.ElementId == "Work" && p.Message.Contains("not mapped"));
        var refused = () => new WorkflowEngine(After()).Decide(state, new MigrateInstance("p", 1, mapping), T0);
        refused.Should().Throw<WorkflowCommandRejectedException>().Which.Reason.Should().Be(RejectionReason.MigrationRefused);
    }

    [Fact]
    public void Migrate_TimerMappedToANonTimer_ToAMissingElement_OrToAnotherKind_IsRefusedNamingEach()
    {
        var (state, _) = Started();
        var mapping = new Dictionary<string, string>(InstanceMigration.Derive(V1, V2).Mapping) { ["Remind"] = "Event_4", ["S"] = "Nowhere", ["Done"] = "Activity_Follow" };

        var problems = InstanceMigration.Check(After(), state, new MigrateInstance("p", 1, mapping));

        problems.Select(p => p.ElementId).Should().Contain(["Remind", "S", "Done"]);
        problems.Should().Contain(p => p.ElementId == "Remind" && p.Message.Contains("another kind"));
        problems.Should().Contain(p => p.ElementId == "Remind" && p.Message.Contains("not a timer"));
        problems.Should().Contain(p => p.ElementId == "S" && p.Message.Contains("'Nowhere', which is not an element of the new version"));
        problems.Should().Contain(p => p.ElementId == "Done" && p.Message.Contains("endEvent to userTask"));
    }

    [Fact]
    public void Migrate_NewVersionCallsAFlowThatIsNotAvailable_IsRefused()
    {
        var calling = Driver.Parse(Bpmn.Process(Bpmn.Chain("S", "Work", "Call", "Done") + """
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="Work" />
            <bpmn:callActivity id="Call" calledElement="elsewhere" />
            <bpmn:endEvent id="Done" />
            """));
        var (state, _) = Started();

        var problems = InstanceMigration.Check(new DefinitionSet().Add(calling, 3).AddVersion(V1, 1), state, new MigrateInstance("p", 1, new Dictionary<string, string> { ["Work"] = "Work", ["Remind"] = "Work" }));

        problems.Should().Contain(p => p.ElementId == "Call" && p.Message.Contains("'elsewhere'"));
    }

    [Fact]
    public void Migrate_FinishedInstance_IsRefused()
    {
        var (state, _) = Started();
        var done = new WorkflowEngine(Before()).Decide(state, new CancelInstance("selesai"), T0).State;

        InstanceMigration.Check(After(), done, new MigrateInstance("p", 1, InstanceMigration.Derive(V1, V2).Mapping))
            .Should().ContainSingle().Which.Message.Should().Contain("cancelled, not running");
    }
}
