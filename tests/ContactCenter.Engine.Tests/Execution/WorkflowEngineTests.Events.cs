using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

/// <summary>Event-based gateway, intermediate catch and throw events, end events, timers and messages.</summary>
public partial class WorkflowEngineTests
{
    private static readonly string Race = Bpmn.Process(Bpmn.Chain("S", "EG") + Bpmn.Chain("EG", "Reply", "Replied") + Bpmn.Chain("EG", "Silence", "Prompt", "TimedOut") + $"""
        <bpmn:startEvent id="S" />
        <bpmn:eventBasedGateway id="EG" />
        <bpmn:intermediateCatchEvent id="Reply">{Bpmn.Message()}</bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="Silence" cc:slaPolicy="chat">{Bpmn.Timer("PT1M")}</bpmn:intermediateCatchEvent>
        <bpmn:sendTask id="Prompt" cc:script="Apakah masih terhubung?" />
        <bpmn:endEvent id="Replied" cc:assign="terhubung = true" />
        <bpmn:endEvent id="TimedOut" cc:assign="terhubung = false" />
        """);

    [Fact]
    public void EventGateway_Entered_ArmsEveryCatchEvent()
    {
        var run = Driver.For(Race).Start();

        var timer = run.Timer("Silence");
        timer.DueAt.Should().Be(Driver.T0.AddMinutes(1));
        timer.SlaPolicy.Should().Be("chat");
        run.State.Subscriptions.Should().ContainSingle().Which.ElementId.Should().Be("Reply");
        run.TokenPositions.Should().Equal("EG");
        run.State.NextTimer().Should().Be(timer);
    }

    [Fact]
    public void EventGateway_MessageFirst_TakesTheMessagePathAndCancelsTheTimer()
    {
        var run = Driver.For(Race).Start();
        var timer = run.Timer("Silence");
        run.Now = Driver.T0.AddSeconds(30);

        var events = run.Deliver(text: "masih");

        events.OfType<TimerCancelled>().Should().ContainSingle().Which.TimerId.Should().Be(timer.Id);
        run.Entered.Should().Equal("Reply", "Replied");
        events.OfType<ElementLeft>().First().Should().Match<ElementLeft>(l => l.ElementId == "EG" && l.FlowId == "f_EG_Reply");
        run.State.Get("terhubung").Should().Be(Value.True);
        run.State.Timers.Should().BeEmpty();
        run.State.Status.Should().Be(InstanceStatus.Completed);

        run.Send(new FireTimer(timer.Id)).Should().BeEmpty("the losing timer is no longer pending");
    }

    [Fact]
    public void EventGateway_TimerFirst_TakesTheTimerPathAndDropsTheSubscription()
    {
        var run = Driver.For(Race).Start();
        var subscription = run.State.Subscriptions.Single();

        var events = run.Fire("Silence");

        events[0].Should().BeOfType<TimerFired>();
        events[0].Actor.Should().BeNull("timers have no actor");
        events.OfType<MessageUnsubscribed>().Should().ContainSingle().Which.SubscriptionId.Should().Be(subscription.Id);
        events.OfType<PromptSent>().Should().ContainSingle().Which.Text.Should().Be("Apakah masih terhubung?");
        run.State.Get("terhubung").Should().Be(Value.False);

        var late = run.Reject(new DeliverMessage("customer-message"));
        late.Reason.Should().Be(RejectionReason.NotRunning);
    }

    private sealed class SlaCalendar : IDeadlineCalculator
    {
        public List<(DateTimeOffset From, TimeSpan Duration, string? Policy)> Calls { get; } = [];

        public DateTimeOffset DueAt(DateTimeOffset from, TimeSpan duration, string? slaPolicy)
        {
            Calls.Add((from, duration, slaPolicy));
            return from.AddDays(3);
        }
    }

    [Fact]
    public void Timer_WithDeadlineCalculator_UsesItsDueTimeAndPolicy()
    {
        var calendar = new SlaCalendar();
        var run = new Driver(new WorkflowEngine(new DefinitionSet([Driver.Parse(Race)]), calendar)).Start();

        calendar.Calls.Should().Equal((Driver.T0, TimeSpan.FromMinutes(1), "chat"));
        run.Timer("Silence").DueAt.Should().Be(Driver.T0.AddDays(3));
        run.Last.OfType<TimerScheduled>().Single().SlaPolicy.Should().Be("chat");
    }

    [Fact]
    public void FireTimer_UnknownTimer_IsANoOp()
    {
        var run = Driver.For(Race).Start();

        run.Send(new FireTimer(12345)).Should().BeEmpty();
        run.TokenPositions.Should().Equal("EG");
    }

    [Fact]
    public void FireTimer_Twice_SecondIsANoOp()
    {
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "W", "T", "E") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:intermediateCatchEvent id="W">{Bpmn.Timer("PT2H")}</bpmn:intermediateCatchEvent>
            <bpmn:userTask id="T" />
            <bpmn:endEvent id="E" />
            """)).Start();
        var timer = run.Timer("W");
        timer.DueAt.Should().Be(Driver.T0.AddHours(2));

        run.Fire("W").OfType<TimerFired>().Should().ContainSingle();
        run.Item("T");

        run.Send(new FireTimer(timer.Id)).Should().BeEmpty();
    }

    [Fact]
    public void MessageCatch_WaitsForItsMessage()
    {
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "M", "E") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:intermediateCatchEvent id="M">{Bpmn.Message("Msg_confirm")}</bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="E" />
            """)).Start();

        run.Deliver("customer-message");
        run.State.Status.Should().Be(InstanceStatus.Running);

        run.Deliver("confirmation");
        run.State.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public void DeliverMessage_NothingWaiting_IsJournaledWithoutSubscription()
    {
        var run = Driver.For(TaskFlow).Start();

        var events = run.Deliver(text: "halo?", messageId: "wa-1");

        var received = events.Should().ContainSingle().Which.Should().BeOfType<MessageReceived>().Subject;
        received.SubscriptionId.Should().BeNull();
        received.Text.Should().Be("halo?");
        received.MessageId.Should().Be("wa-1");
    }

    [Fact]
    public void DeliverMessage_RepeatedMessageId_IsANoOp()
    {
        var run = Driver.For(TaskFlow).Start();
        run.Deliver(messageId: "wa-1").Should().NotBeEmpty();
        var afterFirst = run.State.ToJson();

        run.Deliver(messageId: "wa-1").Should().BeEmpty();

        run.State.ToJson().Should().Be(afterFirst);
    }

    [Fact]
    public void DeliverMessage_RepeatedMessageIdWhileWaiting_DoesNotTriggerTwice()
    {
        var run = Driver.For(ReceiveFlow).Start();
        run.Deliver("customer-message", messageId: "dup");

        run.Deliver("confirmation", messageId: "dup").Should().BeEmpty("the id was already seen, whatever the message name");

        run.TokenPositions.Should().Equal("R");
    }

    [Fact]
    public void LinkThrow_JumpsToTheCatchOfTheSameName()
    {
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "Milestone", "Throw") + Bpmn.Chain("Catch", "T", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:intermediateThrowEvent id="Milestone" name="Salam selesai" cc:assign="tahap = 'salam'" />
            <bpmn:intermediateThrowEvent id="Throw" cc:assign="lompat = true"><bpmn:linkEventDefinition name="ke-penutup" /></bpmn:intermediateThrowEvent>
            <bpmn:intermediateCatchEvent id="Catch"><bpmn:linkEventDefinition name="ke-penutup" /></bpmn:intermediateCatchEvent>
            <bpmn:userTask id="T" />
            <bpmn:endEvent id="E" />
            """)).Start();

        run.Entered.Should().Equal("S", "Milestone", "Throw", "Catch", "T");
        run.Last.OfType<ElementLeft>().Single(l => l.ElementId == "Throw").FlowId.Should().BeNull("a link jump is not a sequence flow");
        run.State.Get("tahap").Should().Be(Value.From("salam"));
        run.State.Get("lompat").Should().Be(Value.True);
        run.State.Tokens.Should().ContainSingle("the same token jumps");
    }

    [Fact]
    public void TerminateEnd_InTheProcess_EndsEveryOtherToken()
    {
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "Fork") + Bpmn.Chain("Fork", "A", "E") + Bpmn.Chain("Fork", "B", "Stop") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:parallelGateway id="Fork" />
            <bpmn:userTask id="A" />
            <bpmn:boundaryEvent id="Late" attachedToRef="A">{Bpmn.Timer("PT5M")}</bpmn:boundaryEvent>
            {Bpmn.Flow("Late", "E")}
            <bpmn:userTask id="B" />
            <bpmn:endEvent id="E" />
            <bpmn:endEvent id="Stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
            """)).Start();
        var a = run.Item("A");

        var events = run.Complete("B");

        events.OfType<WorkItemCancelled>().Should().ContainSingle().Which.WorkItemId.Should().Be(a.Id);
        events.OfType<TimerCancelled>().Should().ContainSingle();
        events.OfType<TokenEnded>().Select(t => (t.ElementId, t.Cancelled)).Should().Equal(("A", true), ("Stop", false));
        run.State.Status.Should().Be(InstanceStatus.Completed);
        run.State.WorkItems.Should().BeEmpty();
        run.State.Timers.Should().BeEmpty();
    }

    [Fact]
    public void TerminateEnd_ReachedBeforeAForkedTokenHasEntered_StillEndsTheScope()
    {
        // The fork's first branch ends at once; the second branch's token is created in the same command.
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "Fork") + Bpmn.Chain("Fork", "Stop") + Bpmn.Chain("Fork", "B", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:parallelGateway id="Fork" />
            <bpmn:endEvent id="Stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
            <bpmn:userTask id="B" />
            <bpmn:endEvent id="E" />
            """)).Start();

        run.State.Status.Should().Be(InstanceStatus.Completed);
        run.State.WorkItems.Should().BeEmpty();
        run.Entered.Should().NotContain("B");
    }
}
