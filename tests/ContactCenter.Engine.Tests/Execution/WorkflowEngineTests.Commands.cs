using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

/// <summary>Cancel, commands on ended instances, livelock protection, purity and determinism.</summary>
public partial class WorkflowEngineTests
{
    [Fact]
    public void CancelInstance_EndsEveryTokenWorkItemTimerAndScope()
    {
        var run = Driver.For(Caller, Callee).Start("caller");
        run.State.Timers.Should().ContainSingle();
        run.State.WorkItems.Should().ContainSingle();

        var events = run.Send(new CancelInstance("nasabah menutup chat") { Actor = "supervisor" });

        events.OfType<WorkItemCancelled>().Should().ContainSingle();
        events.OfType<TimerCancelled>().Should().ContainSingle();
        events.OfType<MessageUnsubscribed>().Should().ContainSingle();
        events.OfType<ScopeCompleted>().Should().HaveCount(2).And.OnlyContain(s => s.Cancelled);
        events.OfType<TokenEnded>().Should().OnlyContain(t => t.Cancelled);
        events[events.Count - 1].Should().BeOfType<InstanceCancelled>().Which.Reason.Should().Be("nasabah menutup chat");
        events.Should().OnlyContain(e => e.Actor == "supervisor");
        run.State.Status.Should().Be(InstanceStatus.Cancelled);
        run.State.EndReason.Should().Be("nasabah menutup chat");
        run.State.Tokens.Should().BeEmpty();
        run.State.Scopes.Should().BeEmpty();
        run.State.Timers.Should().BeEmpty();
        run.State.Subscriptions.Should().BeEmpty();
    }

    [Fact]
    public void CancelInstance_BlankReason_IsRecordedAsCancelled()
    {
        var run = Driver.For(TaskFlow).Start();

        run.Send(new CancelInstance("  ")).OfType<InstanceCancelled>().Single().Reason.Should().Be("cancelled");
    }

    public static TheoryData<WorkflowCommand> CommandsOnAnEndedInstance => new()
    {
        new CompleteWorkItem(1),
        new DeliverMessage("customer-message"),
        new CancelInstance("again"),
    };

    [Theory]
    [MemberData(nameof(CommandsOnAnEndedInstance))]
    public void Command_OnACompletedInstance_IsRejectedAsNotRunning(WorkflowCommand command)
    {
        var run = Driver.For(AgentGateway).Start();
        run.Complete("G", "Tidak");
        run.State.Status.Should().Be(InstanceStatus.Completed);

        run.Reject(command).Reason.Should().Be(RejectionReason.NotRunning);
        run.Reject(new StartInstance("p")).Reason.Should().Be(RejectionReason.AlreadyStarted);
    }

    [Theory]
    [MemberData(nameof(CommandsOnAnEndedInstance))]
    public void Command_OnAnInstanceNotStarted_IsRejectedAsNotRunning(WorkflowCommand command)
    {
        Driver.For(AgentGateway).Reject(command).Reason.Should().Be(RejectionReason.NotRunning);
    }

    [Fact]
    public void Command_OnACancelledInstance_IsRejectedButFireTimerIsANoOp()
    {
        var run = Driver.For(Race).Start();
        var timer = run.Timer("Silence");
        run.Send(new CancelInstance("x"));

        run.Reject(new DeliverMessage("customer-message")).Reason.Should().Be(RejectionReason.NotRunning);
        run.Send(new FireTimer(timer.Id)).Should().BeEmpty();
    }

    [Fact]
    public void Livelock_MoreTransitionsThanTheLimit_FaultsTheInstance()
    {
        var chain = Enumerable.Range(1, 10).Select(i => $"Svc{i}").ToArray();
        var xml = Bpmn.Process(Bpmn.Chain(["S", .. chain, "E"]) + "<bpmn:startEvent id=\"S\" />\n"
            + string.Concat(chain.Select(id => $"<bpmn:serviceTask id=\"{id}\" cc:serviceKind=\"documentation\" />\n")) + "<bpmn:endEvent id=\"E\" />");
        var run = Driver.ForUnvalidated(xml, maxTransitions: 5);

        run.Start();

        var fault = run.Last.OfType<InstanceFaulted>().Should().ContainSingle().Subject;
        fault.Reason.Should().Contain("more than 5 transitions in one command");
        run.Last.OfType<ElementEntered>().Should().HaveCount(5);
        run.State.Status.Should().Be(InstanceStatus.Faulted);

        Driver.ForUnvalidated(xml, maxTransitions: 12).Start().State.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public void Livelock_BusyLoopTheValidatorRefuses_FaultsInsteadOfSpinning()
    {
        var xml = Bpmn.Process($"""
            <bpmn:startEvent id="S" />
            {Bpmn.Chain("S", "G", "Svc", "G")}
            <bpmn:exclusiveGateway id="G" default="f_G_Svc" />
            <bpmn:serviceTask id="Svc" cc:serviceKind="documentation" />
            {Bpmn.Flow("G", "E", condition: "selesai == true")}
            <bpmn:endEvent id="E" />
            """);
        var run = Driver.ForUnvalidated(xml);
        var timer = Driver.ForUnvalidated(xml);

        run.Start();

        run.Last.OfType<InstanceFaulted>().Should().ContainSingle().Which.Reason.Should().Contain("more than 10000 transitions");
        run.Last.OfType<ServiceInvoked>().Count().Should().BeGreaterThan(4000);
        timer.State.Status.Should().Be(InstanceStatus.NotStarted);
    }

    [Fact]
    public void Fault_CancelsPendingTimers()
    {
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "Fork") + Bpmn.Chain("Fork", "W", "E") + Bpmn.Chain("Fork", "T", "G") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:parallelGateway id="Fork" />
            <bpmn:intermediateCatchEvent id="W">{Bpmn.Timer("PT1M")}</bpmn:intermediateCatchEvent>
            <bpmn:userTask id="T" />
            <bpmn:exclusiveGateway id="G" default="f_G_E" />
            {Bpmn.Flow("G", "E2", condition: "x &lt; 1")}
            {Bpmn.Flow("G", "E")}
            <bpmn:endEvent id="E" />
            <bpmn:endEvent id="E2" />
            """)).Start();

        run.Complete("T", data: null);

        run.Last.OfType<TimerCancelled>().Should().ContainSingle();
        run.Last[run.Last.Count - 1].Should().BeOfType<InstanceFaulted>().Which.Reason.Should().Contain("cannot compare null < 1");
        run.State.Timers.Should().BeEmpty("a faulted instance leaves no timer for the scheduler");
    }

    [Fact]
    public void Decide_NeverChangesTheStateItIsGiven()
    {
        var engine = new WorkflowEngine(new DefinitionSet([Driver.Parse(Parallel)]));
        var empty = InstanceState.Empty;
        var started = engine.Decide(empty, new StartInstance("p"), Driver.T0).State;
        var snapshot = started.ToJson();
        var item = started.WorkItems.Single(w => w.ElementId == "A");

        var next = engine.Decide(started, new CompleteWorkItem(item.Id), Driver.T0.AddMinutes(1));
        Action rejected = () => engine.Decide(started, new CompleteWorkItem(item.Id, "x"), Driver.T0);

        rejected.Should().Throw<WorkflowCommandRejectedException>();
        started.ToJson().Should().Be(snapshot);
        started.WorkItems.Should().HaveCount(2);
        empty.Status.Should().Be(InstanceStatus.NotStarted);
        next.State.Should().NotBeSameAs(started);
        next.State.WorkItems.Should().ContainSingle();
    }

    [Fact]
    public void Decide_SameInputs_GiveTheSameEvents()
    {
        string RunOnce()
        {
            var run = Driver.For(Caller, Callee).Start("caller", Driver.Vars(("sapaan", "Ibu")));
            run.Deliver(messageId: "m1");
            run.Complete("Outer");
            return JournalSerializer.ToJsonArray(run.Journal);
        }

        RunOnce().Should().Be(RunOnce());
    }

    [Fact]
    public void Evolve_AppliesOneEventToACopy()
    {
        var run = Driver.For(TaskFlow).Start();
        var state = InstanceState.Empty;

        foreach (var e in run.Journal)
        {
            var before = state.ToJson();
            var next = WorkflowEngine.Evolve(state, e);
            state.ToJson().Should().Be(before);
            state = next;
        }

        state.ToJson().Should().Be(run.State.ToJson());
    }
}
