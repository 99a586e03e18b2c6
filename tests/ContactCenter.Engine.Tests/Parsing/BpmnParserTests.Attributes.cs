using ContactCenter.Engine.Model;
using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Parsing;

/// <summary>Our cc: attributes, durations and expressions as the parser reads (or refuses) them.</summary>
public partial class BpmnParserTests
{
    private static string WithTask(string task) => Bpmn.Process(Bpmn.Chain("S", "T", "E") + $"""
        <bpmn:startEvent id="S" />
        {task}
        <bpmn:endEvent id="E" />
        """);

    [Fact]
    public void Parse_KnownExtensionAttributes_AreReadIntoTheModel()
    {
        var xml = WithTask("""<bpmn:userTask id="T" name="Salam" cc:step="14a" cc:script="Selamat {waktu}" cc:fields=" kategori ,prioritas,, deskripsi " cc:assign="a = 1; b = 'x'"><bpmn:documentation> Ucapkan salam. </bpmn:documentation></bpmn:userTask>""");

        var node = BpmnParser.Parse(xml).Definition!.Nodes["T"];

        node.Kind.Should().Be(NodeKind.UserTask);
        node.Name.Should().Be("Salam");
        node.Step.Should().Be("14a");
        node.Script.Should().Be("Selamat {waktu}");
        node.Fields.Should().Equal("kategori", "prioritas", "deskripsi");
        node.Assignments.Select(a => a.Name).Should().Equal("a", "b");
        node.Documentation.Should().Be("Ucapkan salam.");
        node.Lane.Should().Be("Agent");
        node.Line.Should().Be(Bpmn.LineOfId(xml, "T"));
        node.ToString().Should().Be("userTask 'Salam' (T)");
    }

    [Fact]
    public void Parse_ServiceKindAndSlaPolicy_AreReadWhereTheyBelong()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "T", "W", "E") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:serviceTask id="T" cc:serviceKind="createTicket" cc:fields="kategori" />
            <bpmn:intermediateCatchEvent id="W" cc:slaPolicy="ticket-sla">{Bpmn.Timer("P10D")}</bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="E" />
            """);

        var definition = BpmnParser.Parse(xml).Definition!;

        ((TaskNode)definition.Nodes["T"]).ServiceKind.Should().Be("createTicket");
        var timer = (CatchEvent)definition.Nodes["W"];
        timer.SlaPolicy.Should().Be("ticket-sla");
        timer.TimerDuration.Should().Be(TimeSpan.FromDays(10));
    }

    [Theory]
    [InlineData("""<bpmn:userTask id="T" cc:colour="red" />""", "cc:colour is not one of our extension attributes")]
    [InlineData("""<bpmn:userTask id="T" cc:serviceKind="createTicket" />""", "cc:serviceKind belongs on a service task")]
    [InlineData("""<bpmn:userTask id="T" cc:slaPolicy="x" />""", "cc:slaPolicy does not belong on userTask")]
    [InlineData("""<bpmn:serviceTask id="T" cc:serviceKind="k" cc:slaPolicy="x" />""", "cc:slaPolicy does not belong on serviceTask")]
    public void Parse_ExtensionAttributeNotAllowed_IsReportedWithIdAndLine(string task, string message)
    {
        var xml = WithTask(task);

        var result = BpmnParser.Parse(xml);

        result.Definition.Should().BeNull();
        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.ElementId.Should().Be("T");
        problem.Line.Should().Be(Bpmn.LineOfId(xml, "T"));
        problem.Message.Should().Contain(message);
    }

    [Fact]
    public void Parse_UnknownExtensionAttributeOnFlowOrProcess_IsReported()
    {
        var xml = Minimal
            .Replace("<bpmn:sequenceFlow id=\"f_S_E\"", "<bpmn:sequenceFlow cc:weight=\"2\" id=\"f_S_E\"", StringComparison.Ordinal)
            .Replace("isExecutable=\"true\"", "isExecutable=\"true\" cc:owner=\"x\"", StringComparison.Ordinal);

        var result = BpmnParser.Parse(xml);

        result.Problems.Select(p => (p.ElementId, p.Message[..p.Message.IndexOf(' ', StringComparison.Ordinal)])).Should().BeEquivalentTo([("f_S_E", "cc:weight"), ("p", "cc:owner")]);
    }

    [Fact]
    public void Parse_ForeignNamespaceAttributes_AreIgnored()
    {
        var xml = WithTask("""<bpmn:userTask id="T" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" camunda:assignee="x" />""");

        BpmnParser.Parse(xml).Problems.Should().BeEmpty();
    }

    [Theory]
    [InlineData("PT1M", 0, 0, 1, 0)]
    [InlineData("PT90S", 0, 0, 0, 90)]
    [InlineData("PT1H30M", 0, 1, 30, 0)]
    [InlineData("P1D", 1, 0, 0, 0)]
    [InlineData("P10D", 10, 0, 0, 0)]
    [InlineData("P2W", 14, 0, 0, 0)]
    [InlineData("P1DT2H3M4S", 1, 2, 3, 4)]
    [InlineData(" PT3M ", 0, 0, 3, 0)]
    [InlineData("P366D", 366, 0, 0, 0)]
    [InlineData("PT8784H", 366, 0, 0, 0)]
    [InlineData("P52W", 364, 0, 0, 0)]
    public void ParseDuration_ValidIso8601_GivesTheSpan(string text, int days, int hours, int minutes, int seconds)
    {
        BpmnParser.ParseDuration(text).Should().Be(new TimeSpan(days, hours, minutes, seconds));
    }

    [Fact]
    public void ParseDuration_FractionalSeconds_AreKept()
    {
        BpmnParser.ParseDuration("PT0.5S").Should().Be(TimeSpan.FromMilliseconds(500));
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("1M")]
    [InlineData("PT1m")]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("PT-1M")]
    [InlineData("P1W2D")]
    [InlineData("R3/PT1M")]
    [InlineData("one minute")]
    [InlineData("P367D")]
    [InlineData("P99999999DT99999999H")]
    [InlineData("PT9999999999999S")]
    [InlineData("PT\u0661M")]
    [InlineData("PT1.5M")]
    [InlineData("P1.5D")]
    [InlineData("PT1S1M")]
    [InlineData("P1D1D")]
    [InlineData("P1WT1H")]
    [InlineData("PT1.S")]
    public void ParseDuration_Invalid_IsNull(string text)
    {
        BpmnParser.ParseDuration(text).Should().BeNull();
    }

    [Theory]
    [InlineData("PT0S", "is not a positive ISO 8601 duration")]
    [InlineData("P1M", "is not a positive ISO 8601 duration")]
    [InlineData("soon", "'soon' is not a positive")]
    [InlineData("P99999999DT99999999H", "'P99999999DT99999999H' is longer than the limit of 366 days")]
    [InlineData("P367D", "is longer than the limit of 366 days")]
    [InlineData("PT99999999999999S", "has a number longer than 12 digits")]
    [InlineData("PT\u0661M", "is not a positive ISO 8601 duration")]
    public void Parse_TimerWithBadDuration_IsReportedOnTheDurationLine(string duration, string message)
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "W", "E") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:intermediateCatchEvent id="W"><bpmn:timerEventDefinition>
              <bpmn:timeDuration>{duration}</bpmn:timeDuration>
            </bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="E" />
            """);

        var result = BpmnParser.Parse(xml);

        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.ElementId.Should().Be("W");
        problem.Line.Should().Be(Bpmn.LineOf(xml, "<bpmn:timeDuration>"));
        problem.Message.Should().Contain(message);
    }

    [Fact]
    public void Parse_TimerWithoutDuration_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "W", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:intermediateCatchEvent id="W"><bpmn:timerEventDefinition /></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="E" />
            """);

        BpmnParser.Parse(xml).Problems.Should().ContainSingle(p => p.ElementId == "W")
            .Which.Message.Should().Contain("has no timeDuration");
    }

    [Theory]
    [InlineData("status ==", "does not parse")]
    [InlineData("(a == 1", "')' expected")]
    [InlineData("a = 1", "unexpected '= 1'")]
    [InlineData("'open", "is not closed")]
    [InlineData("", "the expression is empty")]
    public void Parse_BadCondition_IsReportedOnTheFlowWithLine(string condition, string message)
    {
        var xml = Bpmn.Process($"""
            <bpmn:startEvent id="S" />
            {Bpmn.Flow("S", "G")}
            <bpmn:exclusiveGateway id="G" default="f_G_E2" />
            <bpmn:sequenceFlow id="Flow_Bad" sourceRef="G" targetRef="E1">
              <bpmn:conditionExpression>{condition}</bpmn:conditionExpression>
            </bpmn:sequenceFlow>
            {Bpmn.Flow("G", "E2")}
            <bpmn:endEvent id="E1" />
            <bpmn:endEvent id="E2" />
            """);

        var result = BpmnParser.Parse(xml);

        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.ElementId.Should().Be("Flow_Bad");
        problem.Line.Should().Be(Bpmn.LineOf(xml, "<bpmn:conditionExpression>"));
        problem.Message.Should().Contain(message);
    }

    [Theory]
    [InlineData("x", "is not of the form name = expression")]
    [InlineData("x == 1", "is not of the form name = expression")]
    [InlineData("1x = 2", "'1x' is not a variable name")]
    [InlineData("and = 2", "'and' is not a variable name")]
    [InlineData("a = 1; b = (2", "')' expected")]
    [InlineData("a = ", "the expression is empty")]
    public void Parse_BadAssignment_IsReportedOnTheNode(string assign, string message)
    {
        var xml = WithTask($"""<bpmn:userTask id="T" cc:assign="{assign}" />""");

        var result = BpmnParser.Parse(xml);

        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.ElementId.Should().Be("T");
        problem.Line.Should().Be(Bpmn.LineOfId(xml, "T"));
        problem.Message.Should().StartWith($"cc:assign '{assign}' does not parse").And.Contain(message);
    }

    [Fact]
    public void Parse_ConditionWithExplicitLanguage_IsAccepted()
    {
        var xml = Bpmn.Process($"""
            <bpmn:startEvent id="S" />
            {Bpmn.Flow("S", "G")}
            <bpmn:exclusiveGateway id="G" default="f_G_E2" />
            <bpmn:sequenceFlow id="f_G_E1" sourceRef="G" targetRef="E1"><bpmn:conditionExpression xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="bpmn:tFormalExpression" language="cc-expr">a &gt; 1</bpmn:conditionExpression></bpmn:sequenceFlow>
            {Bpmn.Flow("G", "E2")}
            <bpmn:endEvent id="E1" />
            <bpmn:endEvent id="E2" />
            """);

        var result = BpmnParser.Parse(xml);

        result.Problems.Should().BeEmpty();
        result.Definition!.Flows["f_G_E1"].Condition!.Text.Should().Be("a > 1");
    }

    [Fact]
    public void Parse_Model_WiresFlowsLanesMessagesAndScopes()
    {
        var xml = Bpmn.Process($"""
            <bpmn:startEvent id="S" />
            {Bpmn.Chain("S", "R", "Sub", "E")}
            <bpmn:receiveTask id="R" messageRef="Msg_confirm" />
            <bpmn:subProcess id="Sub">
              <bpmn:startEvent id="S2" />
              {Bpmn.Chain("S2", "T2", "E2")}
              <bpmn:userTask id="T2" />
              <bpmn:endEvent id="E2" />
            </bpmn:subProcess>
            <bpmn:endEvent id="E" />
            """, lanes: false).Replace("<bpmn:startEvent id=\"S\" />", "<bpmn:laneSet id=\"LS\"><bpmn:lane id=\"L1\" name=\"Tier 2\"><bpmn:flowNodeRef>R</bpmn:flowNodeRef><bpmn:flowNodeRef>Sub</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>\n<bpmn:startEvent id=\"S\" />", StringComparison.Ordinal);

        var result = BpmnParser.Parse(xml);

        result.Problems.Should().BeEmpty();
        var definition = result.Definition!;
        definition.Name.Should().Be("Test p");
        definition.Lanes.Should().ContainSingle().Which.NodeIds.Should().Equal("R", "Sub");
        definition.Messages.Should().Contain("Msg_confirm", "confirmation");
        ((TaskNode)definition.Nodes["R"]).MessageName.Should().Be("confirmation");
        definition.Nodes["T2"].Lane.Should().Be("Tier 2", "a node inside a sub-process takes the sub-process's lane");
        definition.Nodes["T2"].Container.SubProcessId.Should().Be("Sub");
        definition.Process.Nodes.Select(n => n.Id).Should().Equal("S", "R", "Sub", "E");
        ((SubProcess)definition.Nodes["Sub"]).Body.Start!.Id.Should().Be("S2");
        definition.Nodes["R"].Incoming.Should().ContainSingle().Which.Source.Id.Should().Be("S");
        definition.Nodes["R"].Outgoing.Should().ContainSingle().Which.Target.Id.Should().Be("Sub");
    }
}
