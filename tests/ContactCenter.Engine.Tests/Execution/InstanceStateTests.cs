using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

public class InstanceStateTests
{
    /// <summary>A process with a work item, a boundary timer and a subscription at once (also the golden snapshot's).</summary>
    internal static readonly string Busy = Bpmn.Process(Bpmn.Chain("S", "Fork") + Bpmn.Chain("Fork", "T", "Join") + Bpmn.Chain("Fork", "R", "Join") + Bpmn.Chain("Join", "E") + $"""
        <bpmn:startEvent id="S" />
        <bpmn:parallelGateway id="Fork" />
        <bpmn:userTask id="T" cc:script="Halo {"{"}nama{"}"}" cc:fields="a" />
        <bpmn:boundaryEvent id="B" attachedToRef="T" cancelActivity="false" cc:slaPolicy="sla">{Bpmn.Timer("PT5M")}</bpmn:boundaryEvent>
        {Bpmn.Flow("B", "E2")}
        <bpmn:receiveTask id="R" messageRef="Msg_customer" />
        <bpmn:parallelGateway id="Join" />
        <bpmn:endEvent id="E" />
        <bpmn:endEvent id="E2" />
        """);

    private static Driver Running()
    {
        var run = Driver.For(Busy).Start(variables: Driver.Vars(("nama", "Sari"), ("n", 1.50m), ("ok", true), ("kosong", Value.Null)));
        run.Deliver("confirmation", messageId: "seen-1");
        return run;
    }

    [Fact]
    public void ToJson_FromJson_RoundTripsEveryPart()
    {
        var state = Running().State;
        state.WorkItems.Should().NotBeEmpty();
        state.Timers.Should().NotBeEmpty();
        state.Subscriptions.Should().NotBeEmpty();

        var json = state.ToJson();
        var back = InstanceState.FromJson(json);

        back.ToJson().Should().Be(json);
        back.Status.Should().Be(InstanceStatus.Running);
        back.Version.Should().Be(state.Version);
        back.NextId.Should().Be(state.NextId);
        back.StartedAt.Should().Be(state.StartedAt);
        back.Get("n").Should().Be(Value.From(1.50m));
        back.Get("ok").Should().Be(Value.True);
        back.Variables.Should().ContainKey("kosong");
        back.Timers.Single().Should().Be(state.Timers.Single());
        back.Subscriptions.Should().Equal(state.Subscriptions);
        back.Tokens.Should().Equal(state.Tokens);
        back.Scopes.Should().Equal(state.Scopes);
        back.WorkItems.Single().Outcomes.Should().BeEmpty();
        back.WorkItems.Single().Fields.Should().Equal("a");
    }

    [Fact]
    public void FromJson_RestoredState_DecidesExactlyLikeTheLiveOne()
    {
        var run = Running();
        var restored = InstanceState.FromJson(run.State.ToJson());

        var live = run.Engine.Decide(run.State, new DeliverMessage("customer-message", MessageId: "seen-1"), run.Now);
        var fromSnapshot = run.Engine.Decide(restored, new DeliverMessage("customer-message", MessageId: "seen-1"), run.Now);
        live.Events.Should().BeEmpty("the message id was seen before the snapshot");
        fromSnapshot.Events.Should().BeEmpty();

        var timer = run.State.Timers.Single();
        var a = run.Engine.Decide(run.State, new FireTimer(timer.Id), timer.DueAt);
        var b = run.Engine.Decide(restored, new FireTimer(timer.Id), timer.DueAt);
        JournalSerializer.ToJsonLines(b.Events).Should().Be(JournalSerializer.ToJsonLines(a.Events));
        b.State.ToJson().Should().Be(a.State.ToJson());
    }

    [Fact]
    public void ToJson_EqualStates_GiveEqualText()
    {
        Running().State.ToJson().Should().Be(Running().State.ToJson());
    }

    [Fact]
    public void FromJson_Empty_IsRefused()
    {
        var act = () => InstanceState.FromJson("null");

        act.Should().Throw<System.Text.Json.JsonException>();
    }

    [Fact]
    public void Replay_AfterEveryCommand_FoldedJournalEqualsLiveState()
    {
        var run = Driver.For(Busy);
        var snapshots = new List<(int Count, string State)>();
        void Record() => snapshots.Add((run.Journal.Count, run.State.ToJson()));

        run.Start(variables: Driver.Vars(("nama", "Sari")));
        Record();
        run.Fire("B");
        Record();
        run.Complete("T", data: Driver.Vars(("a", 1)));
        Record();
        run.Deliver();
        Record();
        run.State.Status.Should().Be(InstanceStatus.Completed);

        foreach (var (count, state) in snapshots)
        {
            WorkflowEngine.Fold(run.Journal.Take(count)).ToJson().Should().Be(state);
        }
    }
}
