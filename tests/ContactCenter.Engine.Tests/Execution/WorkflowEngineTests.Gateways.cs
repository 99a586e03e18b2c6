using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

/// <summary>Exclusive (agent- and condition-decided) and parallel gateways.</summary>
public partial class WorkflowEngineTests
{
    private static readonly string AgentGateway = Bpmn.Process(Bpmn.Chain("S", "G") + $"""
        <bpmn:startEvent id="S" />
        <bpmn:exclusiveGateway id="G" name="Butuh bantuan lain?" cc:step="16" />
        {Bpmn.Flow("G", "Again", name: "Ya")}
        {Bpmn.Flow("G", "Bye", name: " Tidak ")}
        <bpmn:userTask id="Again" />
        <bpmn:sendTask id="Bye" cc:script="Terima kasih" />
        {Bpmn.Chain("Again", "E1")}
        {Bpmn.Chain("Bye", "E2")}
        <bpmn:endEvent id="E1" />
        <bpmn:endEvent id="E2" />
        """);

    [Fact]
    public void AgentGateway_Entered_CreatesAWorkItemWhoseOutcomesAreTheFlowNames()
    {
        var run = Driver.For(AgentGateway).Start();

        var item = run.Item("G");
        item.Outcomes.Should().Equal("Ya", "Tidak");
        item.Script.Should().Be("Butuh bantuan lain?", "without cc:script the gateway's name is the question");
        item.Step.Should().Be("16");
        item.Lane.Should().Be("Agent");
    }

    [Theory]
    [InlineData("tidak")]
    [InlineData("TIDAK")]
    [InlineData("  Tidak ")]
    public void AgentGateway_Outcome_IsMatchedCaseInsensitively(string outcome)
    {
        var run = Driver.For(AgentGateway).Start();

        var events = run.Complete("G", outcome);

        events.OfType<WorkItemCompleted>().Single().Outcome.Should().Be("Tidak");
        events.OfType<ElementLeft>().First().FlowId.Should().Be("f_G_Bye");
        events.OfType<PromptSent>().Should().ContainSingle();
        run.State.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public void AgentGateway_OtherOutcome_TakesItsFlow()
    {
        var run = Driver.For(AgentGateway).Start();

        run.Complete("G", "Ya");

        run.Item("Again");
        run.Last.OfType<PromptSent>().Should().BeEmpty();
    }

    [Fact]
    public void AgentGateway_NoOutcome_IsRejectedWithOutcomeRequired()
    {
        var run = Driver.For(AgentGateway).Start();

        var rejected = run.Reject(new CompleteWorkItem(run.Item("G").Id));

        rejected.Reason.Should().Be(RejectionReason.OutcomeRequired);
        rejected.Message.Should().Contain("Ya / Tidak");
    }

    [Fact]
    public void AgentGateway_UnknownOutcome_IsRejectedWithOutcomeNotAllowed()
    {
        var run = Driver.For(AgentGateway).Start();

        var rejected = run.Reject(new CompleteWorkItem(run.Item("G").Id, "Mungkin"));

        rejected.Reason.Should().Be(RejectionReason.OutcomeNotAllowed);
        rejected.Message.Should().Contain("'Mungkin'").And.Contain("Ya / Tidak");
    }

    private static string ConditionGateway(bool withDefault) => Bpmn.Process(Bpmn.Chain("S", "G") + $"""
        <bpmn:startEvent id="S" />
        <bpmn:exclusiveGateway id="G" {(withDefault ? "default=\"f_G_Other\"" : string.Empty)} />
        {Bpmn.Flow("G", "Complaint", condition: "kategori == 'komplain'")}
        {Bpmn.Flow("G", "Urgent", condition: "prioritas &gt;= 3")}
        {(withDefault ? Bpmn.Flow("G", "Other") : string.Empty)}
        <bpmn:userTask id="Complaint" />
        <bpmn:userTask id="Urgent" />
        <bpmn:userTask id="Other" />
        {Bpmn.Chain("Complaint", "E")}{Bpmn.Chain("Urgent", "E")}{Bpmn.Chain("Other", "E")}
        <bpmn:endEvent id="E" />
        """);

    [Theory]
    [InlineData("komplain", 5, "Complaint")]
    [InlineData("info", 5, "Urgent")]
    [InlineData("info", 1, "Other")]
    public void ConditionGateway_TakesTheFirstTrueFlowInDocumentOrderElseTheDefault(string kategori, int prioritas, string expected)
    {
        var run = Driver.For(ConditionGateway(withDefault: true));

        run.Start(variables: Driver.Vars(("kategori", kategori), ("prioritas", prioritas)));

        run.State.WorkItems.Should().ContainSingle().Which.ElementId.Should().Be(expected);
        run.State.Tokens.Should().ContainSingle();
    }

    [Fact]
    public void ConditionGateway_NoTrueConditionAndNoDefault_FaultsTheInstance()
    {
        var run = Driver.ForUnvalidated(ConditionGateway(withDefault: false));
        run.Send(new StartInstance("p", Driver.Vars(("kategori", "info"), ("prioritas", 1))));

        var fault = run.Last.OfType<InstanceFaulted>().Should().ContainSingle().Subject;
        fault.ElementId.Should().Be("G");
        fault.Reason.Should().Contain("no outgoing condition is true and the gateway has no default flow");
        run.State.Status.Should().Be(InstanceStatus.Faulted);
        run.State.FaultElementId.Should().Be("G");
        run.State.EndReason.Should().Be(fault.Reason);
    }

    [Fact]
    public void ConditionGateway_ConditionThatCannotBeEvaluated_FaultsNamingTheFlow()
    {
        var run = Driver.For(ConditionGateway(withDefault: true));

        run.Start(variables: Driver.Vars(("kategori", "info"), ("prioritas", "tinggi")));

        var fault = run.Last.OfType<InstanceFaulted>().Should().ContainSingle().Subject;
        fault.ElementId.Should().Be("G");
        fault.Reason.Should().Contain("flow f_G_Urgent").And.Contain("cannot compare 'tinggi' >= 3");
        run.State.Status.Should().Be(InstanceStatus.Faulted);
    }

    [Fact]
    public void ConditionGateway_NonBooleanCondition_Faults()
    {
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "G") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" default="f_G_B" />
            {Bpmn.Flow("G", "A", condition: "prioritas")}
            {Bpmn.Flow("G", "B")}
            <bpmn:endEvent id="A" />
            <bpmn:endEvent id="B" />
            """)).Start(variables: Driver.Vars(("prioritas", 3)));

        run.Last.OfType<InstanceFaulted>().Should().ContainSingle().Which.Reason.Should().Contain("gave 3, not true or false");
    }

    [Fact]
    public void ExclusiveGateway_WithOneOutgoingFlow_IsAMergeThatPassesThrough()
    {
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "M", "T", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="M" />
            <bpmn:userTask id="T" />
            <bpmn:endEvent id="E" />
            """)).Start();

        run.Entered.Should().Equal("S", "M", "T");
        run.State.WorkItems.Should().ContainSingle().Which.ElementId.Should().Be("T");
    }

    private static readonly string Parallel = Bpmn.Process(Bpmn.Chain("S", "Fork") + Bpmn.Chain("Fork", "A", "Join") + Bpmn.Chain("Fork", "B", "Join") + Bpmn.Chain("Join", "After", "E") + """
        <bpmn:startEvent id="S" />
        <bpmn:parallelGateway id="Fork" />
        <bpmn:userTask id="A" />
        <bpmn:userTask id="B" />
        <bpmn:parallelGateway id="Join" />
        <bpmn:userTask id="After" />
        <bpmn:endEvent id="E" />
        """);

    [Fact]
    public void ParallelFork_CreatesOneTokenPerOutgoingFlow()
    {
        var run = Driver.For(Parallel).Start();

        run.State.WorkItems.Select(w => w.ElementId).Should().Equal("A", "B");
        run.State.Tokens.Should().HaveCount(2);
    }

    [Fact]
    public void ParallelJoin_WaitsForEveryIncomingFlowThenContinuesWithOneToken()
    {
        var run = Driver.For(Parallel).Start();

        run.Complete("B");
        run.TokenPositions.Should().BeEquivalentTo(["A", "Join"]);
        run.State.WorkItems.Select(w => w.ElementId).Should().Equal("A");

        var events = run.Complete("A");

        events.OfType<TokenEnded>().Should().ContainSingle().Which.Cancelled.Should().BeFalse();
        run.State.Tokens.Should().ContainSingle().Which.ElementId.Should().Be("After");
        run.Complete("After");
        run.State.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public void ParallelJoin_BranchWithALoop_JoinsWhenBothBranchesArrive()
    {
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "Fork") + Bpmn.Chain("Fork", "A", "G") + Bpmn.Chain("Fork", "B", "Join") + Bpmn.Chain("Join", "E") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:parallelGateway id="Fork" />
            <bpmn:userTask id="A" />
            <bpmn:exclusiveGateway id="G" />
            {Bpmn.Flow("G", "Join", name: "Lanjut")}
            {Bpmn.Flow("G", "A", name: "Ulang")}
            <bpmn:userTask id="B" />
            <bpmn:parallelGateway id="Join" />
            <bpmn:endEvent id="E" />
            """)).Start();

        run.Complete("A");
        run.Complete("G", "Lanjut");
        run.TokenPositions.Should().BeEquivalentTo(["Join", "B"]);

        run.Complete("B");

        run.State.Status.Should().Be(InstanceStatus.Completed);
    }
}
