using System.Text;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Model;
using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Parsing;

/// <summary>Issue 16: hostile documents that are well-formed XML but once crashed, overflowed or took minutes.</summary>
public partial class BpmnParserTests
{
    /// <summary>S → E with the given lane set in place of the generated one.</summary>
    private static string WithLaneSet(string laneSet) =>
        Bpmn.Process(laneSet + "\n" + Bpmn.Chain("S", "E") + "<bpmn:startEvent id=\"S\" />\n<bpmn:endEvent id=\"E\" />", lanes: false);

    [Fact]
    public void Parse_ConditionWithTenThousandNestedParentheses_IsAProblemOnTheFlowNotACrash()
    {
        var condition = new string('(', 10_000) + "true" + new string(')', 10_000);
        var xml = Bpmn.Process(Bpmn.Flow("S", "G") + Bpmn.Flow("G", "E", condition: condition) + Bpmn.Flow("G", "E2", id: "f_default") + """
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" default="f_default" />
            <bpmn:endEvent id="E" />
            <bpmn:endEvent id="E2" />
            """);

        var result = BpmnParser.Parse(xml, "deep.bpmn");

        result.Definition.Should().BeNull();
        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.ElementId.Should().Be("f_G_E");
        problem.Line.Should().Be(Bpmn.LineOf(xml, "<bpmn:conditionExpression>"));
        problem.Message.Should().Contain($"nests deeper than {Expression.MaxNesting} levels");
        problem.Message.Length.Should().BeLessThan(400, "the condition is quoted by its start, not whole");
    }

    [Fact]
    public void Parse_AssignmentWithDeepNesting_IsAProblemOnTheNode()
    {
        var xml = WithTask($"""<bpmn:userTask id="T" cc:assign="a = {new string('(', 5_000)}1{new string(')', 5_000)}" />""");

        var problem = BpmnParser.Parse(xml).Problems.Should().ContainSingle().Subject;

        problem.ElementId.Should().Be("T");
        problem.Message.Should().Contain("nests deeper than");
        problem.Message.Length.Should().BeLessThan(400);
    }

    [Fact]
    public void Parse_LongChainOfServiceTasks_ValidatesWithoutDeepRecursion()
    {
        const int Tasks = 20_000;
        var body = new StringBuilder("<bpmn:startEvent id=\"S\" />\n<bpmn:endEvent id=\"E\" />\n");
        var ids = new List<string> { "S" };
        for (var i = 0; i < Tasks; i++)
        {
            body.Append($"<bpmn:serviceTask id=\"T{i}\" cc:serviceKind=\"log\" />\n");
            ids.Add($"T{i}");
        }

        ids.Add("E");
        var xml = Bpmn.Process(body + Bpmn.Chain([.. ids]));
        ParseResult? result = null;

        // A thread with a small stack: the busy-loop check once recursed once per node.
        var thread = new Thread(() => result = BpmnParser.Parse(xml), maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();

        result!.Problems.Should().BeEmpty();
        result.Definition!.Nodes.Should().HaveCount(Tasks + 2);
    }

    [Fact]
    public void Parse_ThousandsOfProblems_ListsTheFirstHundredAndCountsTheRest()
    {
        var body = new StringBuilder(Bpmn.Chain("S", "E") + "<bpmn:startEvent id=\"S\" />\n<bpmn:endEvent id=\"E\" />\n");
        for (var i = 0; i < 1_000; i++)
        {
            body.Append($"<bpmn:task id=\"X{i}\" />\n");
        }

        var xml = Bpmn.Process(body.ToString());

        var result = BpmnParser.Parse(xml, "many.bpmn");

        result.Problems.Should().HaveCount(101);
        result.Problems.Take(100).Should().OnlyContain(p => p.Message.Contains("<task> is outside the supported BPMN subset"));
        result.Problems[99].ElementId.Should().Be("X99");
        var last = result.Problems[100];
        last.Message.Should().Be("900 more problem(s) from this line on are not listed; fix the ones above first");
        last.Line.Should().Be(Bpmn.LineOfId(xml, "X100"));
    }

    [Fact]
    public void Parse_ProblemLimit_IsAnOption()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "E") + "<bpmn:startEvent id=\"S\" /><bpmn:endEvent id=\"E\" /><bpmn:task id=\"X1\" /><bpmn:task id=\"X2\" /><bpmn:task id=\"X3\" />");

        var result = BpmnParser.Parse(xml, options: new BpmnParserOptions { MaxProblems = 2 });

        result.Problems.Select(p => p.ElementId).Should().Equal("X1", "X2", null);
        result.Problems[2].Message.Should().StartWith("1 more problem(s)");
    }

    [Fact]
    public void Parse_ElementWithTooManyAttributes_IsRefusedOnItsLine()
    {
        var attributes = string.Concat(Enumerable.Range(0, 100).Select(i => $" a{i}=\"x\""));
        var xml = WithTask($"<bpmn:userTask id=\"T\"{attributes} />");

        var result = BpmnParser.Parse(xml);

        result.Definition.Should().BeNull();
        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.Message.Should().Be("<userTask> has 101 attributes, more than the limit of 64");
        problem.Line.Should().Be(Bpmn.LineOfId(xml, "T"));
    }

    [Fact]
    public void Parse_LaneWithToolExtensionData_NamesTheExtensionNotNestedLanes()
    {
        // The shape of MIWG reference A.4.1, exported by Signavio.
        var xml = WithLaneSet("""
            <bpmn:laneSet id="LS"><bpmn:lane id="Lane_1" name="Agent">
              <bpmn:extensionElements xmlns:signavio="http://www.signavio.com"><signavio:signavioMetaData metaKey="bgcolor" metaValue="" /></bpmn:extensionElements>
              <bpmn:flowNodeRef>S</bpmn:flowNodeRef>
            </bpmn:lane></bpmn:laneSet>
            """);

        var problem = BpmnParser.Parse(xml).Problems.Should().ContainSingle().Subject;

        problem.ElementId.Should().Be("Lane_1");
        problem.Line.Should().Be(Bpmn.LineOf(xml, "<bpmn:extensionElements"));
        problem.Message.Should().Be("<extensionElements> (signavio:signavioMetaData) inside a lane: tool-specific extension data is outside the subset and is not read (our data goes in cc: attributes); remove it");
    }

    [Theory]
    [InlineData("participant", "Pool_1", "a participant")]
    [InlineData("process", "p", "the process")]
    [InlineData("sequenceFlow", "f_S_E", "sequenceFlow")]
    public void Parse_ToolExtensionDataElsewhere_NamesTheToolsElementsAndWhere(string element, string id, string where)
    {
        const string Signavio = """<bpmn:extensionElements xmlns:signavio="http://www.signavio.com"><signavio:signavioMetaData metaKey="bgcolor" /></bpmn:extensionElements>""";
        var xml = Minimal.Replace("<bpmn:process id=\"p\"", "<bpmn:collaboration id=\"C\"><bpmn:participant id=\"Pool_1\" processRef=\"p\" /></bpmn:collaboration>\n<bpmn:process id=\"p\"", StringComparison.Ordinal);
        xml = element switch
        {
            "participant" => xml.Replace("processRef=\"p\" />", $"processRef=\"p\">{Signavio}</bpmn:participant>", StringComparison.Ordinal),
            "process" => xml.Replace("isExecutable=\"true\">", $"isExecutable=\"true\">{Signavio}", StringComparison.Ordinal),
            _ => xml.Replace("targetRef=\"E\" />", $"targetRef=\"E\">{Signavio}</bpmn:sequenceFlow>", StringComparison.Ordinal),
        };

        var problem = BpmnParser.Parse(xml).Problems.Should().ContainSingle().Subject;

        problem.ElementId.Should().Be(id);
        problem.Message.Should().Be($"<extensionElements> (signavio:signavioMetaData) inside {where}: tool-specific extension data is outside the subset and is not read (our data goes in cc: attributes); remove it");
    }

    [Fact]
    public void Parse_ChildLaneSet_IsReportedAsNestedLanes()
    {
        var xml = WithLaneSet("""<bpmn:laneSet id="LS"><bpmn:lane id="Lane_1" name="Agent"><bpmn:childLaneSet id="CLS" /></bpmn:lane></bpmn:laneSet>""");

        var problem = BpmnParser.Parse(xml).Problems.Should().ContainSingle().Subject;

        problem.Message.Should().StartWith("nested lanes are outside the subset (<childLaneSet>)");
    }
}
