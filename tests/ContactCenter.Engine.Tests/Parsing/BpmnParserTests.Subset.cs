using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Parsing;

/// <summary>Elements outside the documented subset are errors with the element id and line, never skipped.</summary>
public partial class BpmnParserTests
{
    /// <summary>Snippet, the id the problem must name, a text on the line it must name, and a message fragment.</summary>
    public static TheoryData<string, string, string, string> OutsideSubset => new()
    {
        { "<bpmn:inclusiveGateway id=\"X\" />", "X", "<bpmn:inclusiveGateway", "<inclusiveGateway> is outside the supported BPMN subset" },
        { "<bpmn:complexGateway id=\"X\" />", "X", "<bpmn:complexGateway", "<complexGateway> is outside" },
        { "<bpmn:task id=\"X\" />", "X", "<bpmn:task", "<task> is outside" },
        { "<bpmn:scriptTask id=\"X\" />", "X", "<bpmn:scriptTask", "<scriptTask> is outside" },
        { "<bpmn:businessRuleTask id=\"X\" />", "X", "<bpmn:businessRuleTask", "<businessRuleTask> is outside" },
        { "<bpmn:transaction id=\"X\" />", "X", "<bpmn:transaction", "<transaction> is outside" },
        { "<bpmn:dataObjectReference id=\"X\" />", "X", "<bpmn:dataObjectReference", "<dataObjectReference> is outside" },
        { "<bpmn:intermediateCatchEvent id=\"X\">\n<bpmn:timerEventDefinition>\n<bpmn:timeCycle>R3/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>", "X", "<bpmn:timeCycle", "<timeCycle> timers are outside the subset" },
        { "<bpmn:intermediateCatchEvent id=\"X\">\n<bpmn:timerEventDefinition>\n<bpmn:timeDate>2026-01-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>", "X", "<bpmn:timeDate", "<timeDate> timers are outside the subset" },
        { "<bpmn:intermediateCatchEvent id=\"X\"><bpmn:signalEventDefinition /></bpmn:intermediateCatchEvent>", "X", "id=\"X\"", "signalEventDefinition is outside the subset" },
        { "<bpmn:intermediateCatchEvent id=\"X\"><bpmn:conditionalEventDefinition /></bpmn:intermediateCatchEvent>", "X", "id=\"X\"", "conditionalEventDefinition is outside the subset" },
        { "<bpmn:intermediateCatchEvent id=\"X\" />", "X", "id=\"X\"", "needs a timer, message or link definition" },
        { "<bpmn:intermediateThrowEvent id=\"X\"><bpmn:signalEventDefinition /></bpmn:intermediateThrowEvent>", "X", "id=\"X\"", "signalEventDefinition is outside the subset" },
        { "<bpmn:intermediateThrowEvent id=\"X\"><bpmn:escalationEventDefinition /></bpmn:intermediateThrowEvent>", "X", "id=\"X\"", "escalationEventDefinition is outside the subset" },
        { "<bpmn:startEvent id=\"X\"><bpmn:messageEventDefinition messageRef=\"Msg_customer\" /></bpmn:startEvent>", "X", "id=\"X\"", "use a none start event" },
        { "<bpmn:endEvent id=\"X\"><bpmn:errorEventDefinition /></bpmn:endEvent>", "X", "id=\"X\"", "errorEventDefinition is outside the subset" },
        { "<bpmn:endEvent id=\"X\"><bpmn:signalEventDefinition /></bpmn:endEvent>", "X", "id=\"X\"", "signalEventDefinition is outside the subset" },
        { "<bpmn:endEvent id=\"X\"><bpmn:terminateEventDefinition /><bpmn:errorEventDefinition /></bpmn:endEvent>", "X", "id=\"X\"", "more than one event definition" },
        { "<bpmn:userTask id=\"T\" />\n<bpmn:boundaryEvent id=\"X\" attachedToRef=\"T\"><bpmn:signalEventDefinition /></bpmn:boundaryEvent>", "X", "id=\"X\"", "signalEventDefinition is outside the subset" },
        { "<bpmn:userTask id=\"T\" />\n<bpmn:boundaryEvent id=\"X\" attachedToRef=\"T\"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>", "X", "id=\"X\"", "compensateEventDefinition is outside the subset" },
        { "<bpmn:userTask id=\"T\" />\n<bpmn:boundaryEvent id=\"X\" attachedToRef=\"T\" />", "X", "id=\"X\"", "no event definition is outside the subset" },
        { "<bpmn:subProcess id=\"X\" triggeredByEvent=\"true\" />", "X", "id=\"X\"", "event sub-processes are outside the supported subset" },
        { "<bpmn:userTask id=\"X\">\n<bpmn:multiInstanceLoopCharacteristics /></bpmn:userTask>", "X", "<bpmn:multiInstanceLoopCharacteristics", "<multiInstanceLoopCharacteristics> inside userTask is outside" },
        { "<bpmn:userTask id=\"X\">\n<bpmn:standardLoopCharacteristics /></bpmn:userTask>", "X", "<bpmn:standardLoopCharacteristics", "<standardLoopCharacteristics> inside userTask is outside" },
        { "<bpmn:subProcess id=\"X\">\n<bpmn:multiInstanceLoopCharacteristics isSequential=\"true\" /></bpmn:subProcess>", "X", "<bpmn:multiInstanceLoopCharacteristics", "multiInstanceLoopCharacteristics" },
        { "<bpmn:callActivity id=\"X\" calledElement=\"q\">\n<bpmn:multiInstanceLoopCharacteristics /></bpmn:callActivity>", "X", "<bpmn:multiInstanceLoopCharacteristics", "<multiInstanceLoopCharacteristics> inside callActivity is outside" },
        { "<bpmn:serviceTask id=\"X\" cc:serviceKind=\"k\">\n<bpmn:extensionElements><camunda:x xmlns:camunda=\"http://camunda.org/schema/1.0/bpmn\" /></bpmn:extensionElements></bpmn:serviceTask>", "X", "<bpmn:extensionElements>", "<extensionElements> (camunda:x) inside serviceTask: tool-specific extension data is outside the subset" },
        { "<bpmn:eventBasedGateway id=\"X\" eventGatewayType=\"Parallel\" />", "X", "id=\"X\"", "only exclusive, non-instantiating event-based gateways" },
        { "<bpmn:eventBasedGateway id=\"X\" instantiate=\"true\" />", "X", "id=\"X\"", "only exclusive, non-instantiating event-based gateways" },
        { "<foo:thing xmlns:foo=\"urn:foo\" id=\"X\" />", "X", "<foo:thing", "is not BPMN" },
        { "<bpmn:laneSet id=\"LS2\"><bpmn:lane id=\"X\" name=\"A\">\n<bpmn:childLaneSet id=\"CLS\" /></bpmn:lane></bpmn:laneSet>", "X", "<bpmn:childLaneSet", "nested lanes are outside the subset" },
        { "<bpmn:sequenceFlow id=\"X\" sourceRef=\"S\" targetRef=\"E\">\n<bpmn:conditionExpression language=\"javascript\">true</bpmn:conditionExpression></bpmn:sequenceFlow>", "X", "<bpmn:conditionExpression", "condition language 'javascript' is not supported" },
    };

    [Theory]
    [MemberData(nameof(OutsideSubset))]
    public void Parse_ElementOutsideSubset_IsReportedWithIdAndLine(string snippet, string id, string lineMarker, string message)
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "E") + "<bpmn:startEvent id=\"S\" />\n<bpmn:endEvent id=\"E\" />\n" + snippet, lanes: false);

        var result = BpmnParser.Parse(xml, "subset.bpmn");

        result.IsValid.Should().BeFalse();
        result.Problems.Should().Contain(p => p.ElementId == id && p.Message.Contains(message, StringComparison.Ordinal),
            "the problem must name {0}; got {1}", id, string.Join(" | ", result.Problems));
        result.Problems.First(p => p.ElementId == id && p.Message.Contains(message, StringComparison.Ordinal))
            .Line.Should().Be(Bpmn.LineOf(xml, lineMarker));
    }

    [Fact]
    public void Parse_TwoProcesses_SecondIsReported()
    {
        var xml = Minimal.Replace("</bpmn:definitions>", "<bpmn:process id=\"q\" isExecutable=\"true\" />\n</bpmn:definitions>", StringComparison.Ordinal);

        var result = BpmnParser.Parse(xml);

        result.Problems.Should().ContainSingle(p => p.ElementId == "q").Which.Message.Should().Contain("exactly one process");
    }

    [Fact]
    public void Parse_UnknownTopLevelElement_IsReported()
    {
        var xml = Minimal.Replace("</bpmn:definitions>", "<bpmn:signal id=\"Sig\" name=\"s\" />\n</bpmn:definitions>", StringComparison.Ordinal);

        var result = BpmnParser.Parse(xml);

        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.ElementId.Should().Be("Sig");
        problem.Message.Should().Contain("<signal> is outside");
        problem.Line.Should().Be(Bpmn.LineOf(xml, "<bpmn:signal"));
    }

    [Fact]
    public void Parse_CollaborationWithOneParticipantAndDiagram_IsAccepted()
    {
        var xml = Minimal
            .Replace("<bpmn:message id=\"Msg_customer\"", "<bpmn:collaboration id=\"C\"><bpmn:participant id=\"Pool\" name=\"Pool\" processRef=\"p\" /></bpmn:collaboration>\n<bpmn:message id=\"Msg_customer\"", StringComparison.Ordinal)
            .Replace("</bpmn:definitions>", "<bpmndi:BPMNDiagram xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\" id=\"Dia\"><bpmndi:BPMNPlane id=\"Plane\" bpmnElement=\"C\" /></bpmndi:BPMNDiagram>\n</bpmn:definitions>", StringComparison.Ordinal);

        BpmnParser.Parse(xml).Problems.Should().BeEmpty();
    }

    [Fact]
    public void Parse_CollaborationWithMessageFlow_IsReported()
    {
        var xml = Minimal.Replace("<bpmn:message id=\"Msg_customer\"", "<bpmn:collaboration id=\"C\"><bpmn:participant id=\"Pool\" processRef=\"p\" />\n<bpmn:messageFlow id=\"MF\" sourceRef=\"Pool\" targetRef=\"S\" /></bpmn:collaboration>\n<bpmn:message id=\"Msg_customer\"", StringComparison.Ordinal);

        var result = BpmnParser.Parse(xml);

        result.Problems.Should().ContainSingle().Which.Should().Match<Model.DefinitionProblem>(p => p.ElementId == "MF" && p.Message.Contains("<messageFlow> is outside") && p.Line == Bpmn.LineOf(xml, "<bpmn:messageFlow"));
    }

    [Fact]
    public void Parse_EveryProblemIsReported_NotOnlyTheFirst()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:endEvent id="E" />
            <bpmn:inclusiveGateway id="A" />
            <bpmn:complexGateway id="B" />
            <bpmn:userTask id="C" cc:colour="red" />
            """, lanes: false);

        var result = BpmnParser.Parse(xml);

        result.Problems.Select(p => p.ElementId).Should().Contain(["A", "B", "C"]);
    }
}
