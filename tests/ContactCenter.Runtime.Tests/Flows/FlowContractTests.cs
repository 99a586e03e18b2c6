using ContactCenter.Engine.Parsing;
using ContactCenter.Modules.Flows;
using ContactCenter.Runtime.Tests.Calendar;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Runtime.Tests.Flows;

/// <summary>What each kind of flow must declare in cc:purpose, and the message naming the purpose and what depends on it.</summary>
public sealed class FlowContractTests
{
    private static string Workflow(string name) => File.ReadAllText(Path.Combine(RuntimeData.Workflows, name));

    private static List<Engine.Model.DefinitionProblem> Check(string bpmn, string source)
    {
        var parsed = BpmnParser.Parse(bpmn, source);
        parsed.Problems.Should().BeEmpty("the change under test must leave a flow the engine accepts");
        return [.. FlowContracts.Check(parsed.Definition!)];
    }

    private static string Without(string text, string fragment)
    {
        text.Should().Contain(fragment);
        return text.Replace(fragment, string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("email.bpmn", "conversation")]
    [InlineData("inbound-call.bpmn", "conversation")]
    [InlineData("live-chat.bpmn", "conversation")]
    [InlineData("outlet-reservation.bpmn", "conversation")]
    [InlineData("social-media.bpmn", "conversation")]
    [InlineData("whatsapp.bpmn", "conversation")]
    [InlineData("ticket-escalation.bpmn", "ticket")]
    [InlineData("still-connected.bpmn", "still-connected")]
    public void ShippedFlows_DeclareTheirKind_AndKeepTheirContract(string file, string kind)
    {
        var definition = BpmnParser.Parse(Workflow(file), file).Definition!;

        definition.FlowKind.Should().Be(kind);
        FlowContracts.Check(definition).Should().BeEmpty();
    }

    [Fact]
    public void TicketFlow_WithoutItsDecision_IsRefused_NamingThePurposeAndTheTicketDesk()
    {
        var bpmn = Without(Workflow("ticket-escalation.bpmn"), " cc:purpose=\"tier2-decision\"");

        var problems = Check(bpmn, "ticket-escalation.bpmn");

        var problem = problems.Should().ContainSingle().Subject;
        problem.ElementId.Should().Be("ticket-escalation");
        problem.Line.Should().BeGreaterThan(1);
        problem.Message.Should().Be("no step has cc:purpose tier2-decision, which a ticket flow must have: the ticket desk's dispatch and close needs it");
    }

    [Fact]
    public void StillConnected_WithAPromptPurposeTwice_IsRefusedOnTheSecond()
    {
        var bpmn = Workflow("still-connected.bpmn").Replace("cc:purpose=\"still-connected-prompt-2\"", "cc:purpose=\"still-connected-prompt-1\"", StringComparison.Ordinal);

        var problems = Check(bpmn, "still-connected.bpmn");

        problems.Should().HaveCount(2);
        problems.Should().Contain(p => p.ElementId == "Task_Ask2b" && p.Message.StartsWith("cc:purpose still-connected-prompt-1 is on 2 steps (Task_Ask2a, Task_Ask2b); a still-connected flow has it once", StringComparison.Ordinal));
        problems.Should().Contain(p => p.ElementId == "still-connected" && p.Message.Contains("no step has cc:purpose still-connected-prompt-2", StringComparison.Ordinal));
    }

    [Fact]
    public void Purpose_OnTheWrongKindOfElement_IsRefused()
    {
        // The dashboard counts silence closes by the end event entered: the close on the agent's question would never count.
        var bpmn = Workflow("still-connected.bpmn")
            .Replace(" cc:purpose=\"still-connected-close\"", string.Empty, StringComparison.Ordinal)
            .Replace("cc:purpose=\"still-connected-prompt-2\"", "cc:purpose=\"still-connected-prompt-2, still-connected-close\"", StringComparison.Ordinal);

        var problem = Check(bpmn, "still-connected.bpmn").Should().ContainSingle().Subject;

        problem.ElementId.Should().Be("Task_Ask2b");
        problem.Message.Should().StartWith("cc:purpose still-connected-close belongs on endEvent, not userTask");
    }

    [Fact]
    public void TicketDecision_WithoutAnOutcomeToTheDispatch_IsRefused()
    {
        var bpmn = Without(Workflow("ticket-escalation.bpmn"), " cc:purpose=\"dispatch\"");

        var problems = Check(bpmn, "ticket-escalation.bpmn");

        problems.Select(p => p.ElementId).Should().BeEquivalentTo(["ticket-escalation", "Gateway_PerluEskalasi"]);
        problems.Should().Contain(p => p.Message.StartsWith("cc:purpose tier2-decision needs one outcome leading straight to the dispatch step", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownPurposeOrKind_IsRefused_ListingTheKnownOnes()
    {
        var conversation = Workflow("whatsapp.bpmn").Replace("cc:purpose=\"documentation\"", "cc:purpose=\"dokumentasi\"", StringComparison.Ordinal);
        var problems = Check(conversation, "whatsapp.bpmn");
        problems.Should().Contain(p => p.ElementId == "Task_Dokumentasi" && p.Message.StartsWith("cc:purpose 'dokumentasi' is not a purpose the product knows (", StringComparison.Ordinal) && p.Message.Contains("documentation", StringComparison.Ordinal));
        problems.Should().Contain(p => p.ElementId == "whatsapp" && p.Message.Contains("no step has cc:purpose documentation", StringComparison.Ordinal));

        var kind = Workflow("whatsapp.bpmn").Replace("cc:flowKind=\"conversation\"", "cc:flowKind=\"chat\"", StringComparison.Ordinal);
        Check(kind, "whatsapp.bpmn").Should().ContainSingle().Which.Message.Should().Be("cc:flowKind 'chat' is not a kind of flow the product knows (conversation, ticket, still-connected)");
    }

    [Fact]
    public void FlowWithoutAKind_SignsNoContract()
    {
        var bpmn = Without(Without(Workflow("ticket-escalation.bpmn"), " cc:flowKind=\"ticket\""), " cc:purpose=\"tier2-decision\"");

        Check(bpmn, "ticket-escalation.bpmn").Should().BeEmpty();
    }
}
