using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Parsing;

/// <summary>cc:performer on lanes and cc:startableBy on the process: who works a lane's tasks and who starts the flow by hand.</summary>
public partial class BpmnParserTests
{
    private static string WithRoles(string laneAttributes, string processAttributes = "") =>
        Bpmn.Process(Bpmn.Chain("S", "T", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="T" />
            <bpmn:endEvent id="E" />
            """)
        .Replace("""name="Agent">""", $"""name="Agent" {laneAttributes}>""", StringComparison.Ordinal)
        .Replace("""isExecutable="true">""", $"""isExecutable="true" {processAttributes}>""", StringComparison.Ordinal);

    [Fact]
    public void Parse_PerformerAndStartableBy_AreReadIntoTheModel()
    {
        var definition = BpmnParser.Parse(WithRoles("""cc:performer="Tier2" """, """cc:startableBy="Agent, TeamLeader" """)).Definition!;

        definition.Lanes.Single().Performer.Should().Be("Tier2");
        definition.Nodes["T"].Performer.Should().Be("Tier2");
        definition.StartableBy.Should().Equal("Agent", "TeamLeader");
    }

    [Fact]
    public void Parse_WithoutRoles_NobodyStartsByHandAndNoPerformerIsDeclared()
    {
        var definition = BpmnParser.Parse(WithRoles(string.Empty)).Definition!;

        definition.StartableBy.Should().BeEmpty();
        definition.Nodes["T"].Performer.Should().BeNull();
    }

    [Fact]
    public void Parse_NodeInASubProcess_TakesTheSubProcessPerformer()
    {
        var workflows = Path.Combine(RepoPaths.Workflows, "ticket-escalation.bpmn");

        var definition = BpmnParser.Parse(File.ReadAllText(workflows), "ticket-escalation.bpmn").Definition!;

        definition.Nodes["Task_TerimaTiket"].Performer.Should().Be("Tier2", "it sits in the Tier 2 sub-process and no lane lists it otherwise");
        definition.Nodes["Task_TindakLanjut"].Performer.Should().Be("RelatedTeam");
        definition.StartableBy.Should().BeEmpty("tickets are opened by the complaint, not by hand");
    }

    [Theory]
    [InlineData("""cc:performer="Tier 2" """, "", "cc:performer 'Tier 2' is not a comma-separated list of role names")]
    [InlineData("""cc:performer="Agent,Tier2" """, "", "cc:performer names one role, not 2")]
    [InlineData("", """cc:startableBy="Agent;Tier2" """, "cc:startableBy 'Agent;Tier2' is not a comma-separated list of role names")]
    [InlineData("", """cc:performer="Agent" """, "cc:performer does not belong on process")]
    [InlineData("""cc:startableBy="Agent" """, "", "cc:startableBy does not belong on lane")]
    public void Parse_BadRoleAttribute_IsReportedWithLine(string laneAttributes, string processAttributes, string message)
    {
        var result = BpmnParser.Parse(WithRoles(laneAttributes, processAttributes));

        result.IsValid.Should().BeFalse();
        result.Problems.Should().ContainSingle().Which.Message.Should().Contain(message);
        result.Problems[0].Line.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Parse_PerformerOnATask_IsRefused()
    {
        var result = BpmnParser.Parse(WithTask("""<bpmn:userTask id="T" cc:performer="Agent" />"""));

        result.Problems.Should().ContainSingle().Which.Message.Should().Contain("cc:performer does not belong on userTask");
    }
}
