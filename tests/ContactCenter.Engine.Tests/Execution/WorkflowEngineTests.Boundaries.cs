using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

/// <summary>Boundary events: timer and message, interrupting and not, on tasks and sub-processes.</summary>
public partial class WorkflowEngineTests
{
    private static string WithBoundary(string definition, bool cancelActivity) => Bpmn.Process(Bpmn.Chain("S", "T", "Done") + Bpmn.Chain("B", "Escalate", "Escalated") + $"""
        <bpmn:startEvent id="S" />
        <bpmn:userTask id="T" />
        <bpmn:boundaryEvent id="B" attachedToRef="T" cancelActivity="{(cancelActivity ? "true" : "false")}">{definition}</bpmn:boundaryEvent>
        <bpmn:userTask id="Escalate" />
        <bpmn:endEvent id="Done" />
        <bpmn:endEvent id="Escalated" />
        """);

    [Fact]
    public void InterruptingTimerBoundary_Fired_CancelsTheWorkItemAndTakesTheBoundaryPath()
    {
        var run = Driver.For(WithBoundary(Bpmn.Timer("PT10M"), cancelActivity: true)).Start();
        var item = run.Item("T");

        var events = run.Fire("B");

        events.OfType<WorkItemCancelled>().Should().ContainSingle().Which.WorkItemId.Should().Be(item.Id);
        events.OfType<ElementLeft>().First().Should().Match<ElementLeft>(l => l.ElementId == "T" && l.FlowId == null);
        run.Entered.Should().Equal("B", "Escalate");
        run.State.WorkItems.Should().ContainSingle().Which.ElementId.Should().Be("Escalate");
        run.State.Tokens.Should().ContainSingle();
        run.Reject(new CompleteWorkItem(item.Id)).Reason.Should().Be(RejectionReason.UnknownWorkItem);
    }

    [Fact]
    public void NonInterruptingTimerBoundary_Fired_SpawnsATokenAndTheTaskGoesOn()
    {
        var run = Driver.For(WithBoundary(Bpmn.Timer("PT10M"), cancelActivity: false)).Start();
        var item = run.Item("T");

        var events = run.Fire("B");

        events.OfType<WorkItemCancelled>().Should().BeEmpty();
        run.State.WorkItems.Select(w => w.ElementId).Should().BeEquivalentTo(["T", "Escalate"]);
        run.State.Tokens.Should().HaveCount(2);
        run.State.Timers.Should().BeEmpty("a non-interrupting timer fires once");

        run.Complete("T");
        run.State.Status.Should().Be(InstanceStatus.Running, "the escalation token is still working");
        run.Complete("Escalate");
        run.State.Status.Should().Be(InstanceStatus.Completed);
        item.Id.Should().NotBe(run.Journal.OfType<WorkItemCreated>().Last().WorkItemId);
    }

    [Fact]
    public void TimerBoundary_TaskCompletedFirst_CancelsTheTimer()
    {
        var run = Driver.For(WithBoundary(Bpmn.Timer("PT10M"), cancelActivity: true)).Start();
        var timer = run.Timer("B");

        var events = run.Complete("T");

        events.OfType<TimerCancelled>().Should().ContainSingle().Which.TimerId.Should().Be(timer.Id);
        run.State.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public void InterruptingMessageBoundary_Delivered_CancelsTheTask()
    {
        var run = Driver.For(WithBoundary(Bpmn.Message(), cancelActivity: true)).Start();
        var subscription = run.State.Subscriptions.Should().ContainSingle().Subject;
        subscription.ElementId.Should().Be("B");

        var events = run.Deliver(text: "saya mau komplain");

        events.OfType<MessageReceived>().Single().SubscriptionId.Should().Be(subscription.Id);
        events.OfType<WorkItemCancelled>().Should().ContainSingle();
        run.State.WorkItems.Should().ContainSingle().Which.ElementId.Should().Be("Escalate");
        run.State.Subscriptions.Should().BeEmpty();
    }

    [Fact]
    public void NonInterruptingMessageBoundary_KeepsListeningWhileTheTaskRuns()
    {
        var run = Driver.For(WithBoundary(Bpmn.Message(), cancelActivity: false)).Start();

        run.Deliver();
        run.Deliver();

        run.State.WorkItems.Select(w => w.ElementId).Should().BeEquivalentTo(["T", "Escalate", "Escalate"]);
        run.State.Subscriptions.Should().ContainSingle().Which.ElementId.Should().Be("B");

        var events = run.Complete("T");
        events.OfType<MessageUnsubscribed>().Should().ContainSingle("leaving the task drops its boundary subscription");
        run.State.Subscriptions.Should().BeEmpty();
    }

    [Fact]
    public void TimerBoundaryOnASubProcess_Fired_CancelsTheInnerScope()
    {
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "Sub", "Done") + Bpmn.Chain("B", "Late") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:subProcess id="Sub">
              <bpmn:startEvent id="S2" />
              {Bpmn.Chain("S2", "Inner", "W", "E2")}
              <bpmn:userTask id="Inner" />
              <bpmn:intermediateCatchEvent id="W">{Bpmn.Timer("PT1H")}</bpmn:intermediateCatchEvent>
              <bpmn:endEvent id="E2" />
            </bpmn:subProcess>
            <bpmn:boundaryEvent id="B" attachedToRef="Sub">{Bpmn.Timer("P1D")}</bpmn:boundaryEvent>
            <bpmn:endEvent id="Done" />
            <bpmn:endEvent id="Late" cc:assign="terlambat = true" />
            """)).Start();
        run.Complete("Inner");
        run.State.Scopes.Should().HaveCount(2);
        run.State.Timers.Should().HaveCount(2);

        var events = run.Fire("B");

        events.OfType<TimerCancelled>().Should().ContainSingle("the inner timer goes with its scope");
        events.OfType<ScopeCompleted>().Select(c => c.Cancelled).Should().Equal([true, false], "the sub-process scope is cancelled, then the process completes");
        run.State.Status.Should().Be(InstanceStatus.Completed);
        run.State.Get("terlambat").Should().Be(Value.True);
    }
}
