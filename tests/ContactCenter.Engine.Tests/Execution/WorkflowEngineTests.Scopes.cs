using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

/// <summary>Embedded sub-processes and call activities: scopes, shared variables, terminate inside a scope.</summary>
public partial class WorkflowEngineTests
{
    private const string InnerScript = "Halo {nama}";

    private static readonly string SubProcessFlow = Bpmn.Process(Bpmn.Chain("S", "Fork") + Bpmn.Chain("Fork", "Sub", "Join") + Bpmn.Chain("Fork", "Outer", "Join") + Bpmn.Chain("Join", "E") + $"""
        <bpmn:startEvent id="S" />
        <bpmn:parallelGateway id="Fork" />
        <bpmn:subProcess id="Sub" cc:assign="subSelesai = true">
          <bpmn:startEvent id="S2" />
          {Bpmn.Chain("S2", "SubFork")}
          <bpmn:parallelGateway id="SubFork" />
          {Bpmn.Chain("SubFork", "Inner", "Stop")}
          {Bpmn.Chain("SubFork", "Other", "E2")}
          <bpmn:userTask id="Inner" cc:script="{InnerScript}" />
          <bpmn:userTask id="Other" />
          <bpmn:endEvent id="Stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
          <bpmn:endEvent id="E2" />
        </bpmn:subProcess>
        <bpmn:userTask id="Outer" />
        <bpmn:parallelGateway id="Join" />
        <bpmn:endEvent id="E" />
        """);

    [Fact]
    public void SubProcess_Entered_RunsItsChildrenInItsOwnScope()
    {
        var run = Driver.For(SubProcessFlow).Start(variables: Driver.Vars(("nama", "Sari")));

        var scopes = run.State.Scopes.ToList();
        scopes.Should().HaveCount(2);
        var sub = scopes.Single(s => s.SubProcessId == "Sub");
        sub.ParentScopeId.Should().Be(scopes.Single(s => s.ParentScopeId is null).Id);
        sub.OwnerTokenId.Should().Be(run.State.Tokens.Single(t => t.ElementId == "Sub").Id);
        run.State.Tokens.Where(t => t.ScopeId == sub.Id).Select(t => t.ElementId).Should().BeEquivalentTo(["Inner", "Other"]);
        run.Item("Inner").Script.Should().Be("Halo Sari", "a sub-process reads the instance variables");
        run.Item("Inner").Lane.Should().Be("Agent");
    }

    [Fact]
    public void TerminateEnd_InsideASubProcess_EndsOnlyThatScope()
    {
        var run = Driver.For(SubProcessFlow).Start();
        var other = run.Item("Other");

        var events = run.Complete("Inner");

        events.OfType<WorkItemCancelled>().Should().ContainSingle().Which.WorkItemId.Should().Be(other.Id);
        events.OfType<ScopeCompleted>().Should().ContainSingle().Which.Cancelled.Should().BeFalse();
        run.State.Get("subSelesai").Should().Be(Value.True, "the sub-process's cc:assign runs when it is left");
        run.State.Status.Should().Be(InstanceStatus.Running);
        run.TokenPositions.Should().BeEquivalentTo(["Outer", "Join"]);
        run.State.Scopes.Should().ContainSingle();

        run.Complete("Outer");
        run.State.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public void SubProcess_CompletesWhenItsLastTokenEnds()
    {
        var run = Driver.For(SubProcessFlow).Start();

        run.Complete("Other");
        run.State.Scopes.Should().HaveCount(2, "Inner is still open");

        run.Complete("Inner");
        run.State.Scopes.Should().ContainSingle();
    }

    private static readonly string Caller = Bpmn.Process(Bpmn.Chain("S", "Fork") + Bpmn.Chain("Fork", "Call", "Join") + Bpmn.Chain("Fork", "Outer", "Join") + Bpmn.Chain("Join", "After", "E") + """
        <bpmn:startEvent id="S" />
        <bpmn:parallelGateway id="Fork" />
        <bpmn:callActivity id="Call" calledElement="still-connected" cc:assign="hasil = terhubung" />
        <bpmn:userTask id="Outer" />
        <bpmn:parallelGateway id="Join" />
        <bpmn:sendTask id="After" cc:script="terhubung={terhubung}, hasil={hasil}" />
        <bpmn:endEvent id="E" />
        """, key: "caller");

    private const string AskScript = "{sapaan}, masih terhubung?";

    private static readonly string Callee = Bpmn.Process(Bpmn.Chain("S", "Ask", "EG") + Bpmn.Chain("EG", "Reply", "Yes") + Bpmn.Chain("EG", "Silence", "No") + $"""
        <bpmn:startEvent id="S" />
        <bpmn:sendTask id="Ask" cc:script="{AskScript}" />
        <bpmn:eventBasedGateway id="EG" />
        <bpmn:intermediateCatchEvent id="Reply">{Bpmn.Message()}</bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="Silence">{Bpmn.Timer("PT3M")}</bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="Yes" cc:assign="terhubung = true" />
        <bpmn:endEvent id="No" cc:assign="terhubung = false"><bpmn:terminateEventDefinition /></bpmn:endEvent>
        """, key: "still-connected");

    [Fact]
    public void CallActivity_RunsTheCalledDefinitionInItsOwnScopeWithSharedVariables()
    {
        var run = Driver.For(Caller, Callee).Start("caller", Driver.Vars(("sapaan", "Bapak")));

        var called = run.State.Scopes.Should().ContainSingle(s => s.DefinitionKey == "still-connected").Subject;
        called.SubProcessId.Should().BeNull();
        called.ParentScopeId.Should().NotBeNull();
        called.OwnerTokenId.Should().Be(run.State.Tokens.Single(t => t.ElementId == "Call").Id);
        run.Last.OfType<PromptSent>().Single().Text.Should().Be("Bapak, masih terhubung?", "the called flow reads the caller's variables");
        run.Engine.NodeOf(run.State, run.State.Tokens.Single(t => t.ElementId == "EG").Id)!.Kind.Should().Be(Model.NodeKind.EventBasedGateway);

        run.Deliver();

        run.State.Scopes.Should().ContainSingle();
        run.State.Get("hasil").Should().Be(Value.True, "the call activity's cc:assign sees what the called flow set");
        run.Complete("Outer");
        run.Last.OfType<PromptSent>().Single().Text.Should().Be("terhubung=true, hasil=true");
        run.State.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public void TerminateEnd_InsideACalledFlow_EndsOnlyThatScope()
    {
        var run = Driver.For(Caller, Callee).Start("caller");

        run.Fire("Silence");

        run.State.Status.Should().Be(InstanceStatus.Running);
        run.State.Get("hasil").Should().Be(Value.False);
        run.TokenPositions.Should().BeEquivalentTo(["Outer", "Join"]);
        run.State.Scopes.Should().ContainSingle().Which.DefinitionKey.Should().Be("caller");
    }

    [Fact]
    public void CallActivity_CalledDefinitionNotLoaded_FaultsTheInstance()
    {
        var run = Driver.For(Caller).Start("caller");

        var fault = run.Last.OfType<InstanceFaulted>().Should().ContainSingle().Subject;
        fault.ElementId.Should().Be("Call");
        fault.Reason.Should().Contain("called definition 'still-connected' is not available");
        run.State.Status.Should().Be(InstanceStatus.Faulted);
    }
}
