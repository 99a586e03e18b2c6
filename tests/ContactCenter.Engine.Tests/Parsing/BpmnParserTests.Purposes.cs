using ContactCenter.Engine.Parsing;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Parsing;

/// <summary>cc:purpose on flow nodes and cc:flowKind on the process: opaque names the engine reads and checks only for shape.</summary>
public partial class BpmnParserTests
{
    [Fact]
    public void Parse_PurposesAndFlowKind_AreReadIntoTheModel()
    {
        var definition = BpmnParser.Parse(WithTask("""<bpmn:userTask id="T" cc:purpose="need-identification, solution" />""").Replace("""isExecutable="true">""", """isExecutable="true" cc:flowKind="conversation">""", StringComparison.Ordinal)).Definition!;

        definition.FlowKind.Should().Be("conversation");
        definition.Nodes["T"].Purposes.Should().Equal("need-identification", "solution");
        definition.Nodes["T"].HasPurpose("solution").Should().BeTrue();
        definition.NodesWithPurpose("solution").Select(n => n.Id).Should().Equal("T");
        definition.Nodes["S"].Purposes.Should().BeEmpty();
    }

    [Fact]
    public void Parse_WithoutPurposes_NoFlowKindAndNoPurposes()
    {
        var definition = BpmnParser.Parse(WithTask("""<bpmn:userTask id="T" />""")).Definition!;

        definition.FlowKind.Should().BeNull();
        definition.NodesWithPurpose("solution").Should().BeEmpty();
    }

    [Theory]
    [InlineData("""<bpmn:userTask id="T" cc:purpose="Opening Greeting" />""", "", "cc:purpose 'Opening Greeting' is not a comma-separated list of purpose names")]
    [InlineData("""<bpmn:userTask id="T" cc:purpose="solution;verification" />""", "", "cc:purpose 'solution;verification' is not a comma-separated list")]
    [InlineData("""<bpmn:userTask id="T" cc:flowKind="ticket" />""", "", "cc:flowKind does not belong on userTask")]
    [InlineData("""<bpmn:userTask id="T" />""", """cc:purpose="solution" """, "cc:purpose does not belong on process")]
    [InlineData("""<bpmn:userTask id="T" />""", """cc:flowKind="Ticket Flow" """, "cc:flowKind 'Ticket Flow' is not a name")]
    public void Parse_BadPurposeOrFlowKind_IsReportedWithLine(string task, string processAttributes, string message)
    {
        var result = BpmnParser.Parse(WithTask(task).Replace("""isExecutable="true">""", $"""isExecutable="true" {processAttributes}>""", StringComparison.Ordinal));

        result.IsValid.Should().BeFalse();
        result.Problems.Should().ContainSingle().Which.Message.Should().Contain(message);
        result.Problems[0].Line.Should().BeGreaterThan(0);
    }
}
