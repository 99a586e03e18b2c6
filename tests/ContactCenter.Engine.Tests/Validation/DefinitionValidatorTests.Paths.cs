using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Validation;

/// <summary>Rule 3 (every path can end), rule 4 (every node reachable) and the connection rules around them.</summary>
public partial class DefinitionValidatorTests
{
    [Fact]
    public void Rule3_LoopWithoutExit_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "A", "B", "A") + """
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="A" />
            <bpmn:userTask id="B" />
            """);

        Reported(xml, "A", "no path from here reaches an end event");
        Reported(xml, "B", "no path from here reaches an end event");
    }

    [Fact]
    public void Rule3_LoopWithGatewayExit_IsValid()
    {
        Valid(Bpmn.Process(Bpmn.Chain("S", "A", "G") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="A" />
            <bpmn:exclusiveGateway id="G" />
            {Bpmn.Flow("G", "A", name: "Ulang")}
            {Bpmn.Flow("G", "E", name: "Selesai")}
            <bpmn:endEvent id="E" />
            """));
    }

    [Fact]
    public void Rule3_EndingOnlyThroughALink_IsValid()
    {
        Valid(Bpmn.Process(Bpmn.Chain("S", "Throw") + Bpmn.Chain("Catch", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:intermediateThrowEvent id="Throw"><bpmn:linkEventDefinition name="jump" /></bpmn:intermediateThrowEvent>
            <bpmn:intermediateCatchEvent id="Catch"><bpmn:linkEventDefinition name="jump" /></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="E" />
            """));
    }

    [Fact]
    public void Rule3_BoundaryPathThatCannotEnd_IsReportedOnTheBoundary()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "T", "E") + Bpmn.Chain("B", "Stuck", "B2") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="T" />
            <bpmn:boundaryEvent id="B" attachedToRef="T">{Bpmn.Timer("PT1M")}</bpmn:boundaryEvent>
            <bpmn:userTask id="Stuck" />
            <bpmn:userTask id="B2" />
            {Bpmn.Flow("B2", "Stuck")}
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "B", "no path from here reaches an end event");
    }

    [Fact]
    public void Rule4_UnreachableNode_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "E") + Bpmn.Chain("Orphan", "Island", "Orphan") + Bpmn.Chain("Island", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="Orphan" />
            <bpmn:exclusiveGateway id="Island" />
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "Orphan", "it cannot be reached from the start event");
        Reported(xml, "Island", "it cannot be reached from the start event");
    }

    [Fact]
    public void Rule4_NodeWithoutIncomingFlow_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "E") + Bpmn.Chain("Lonely", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="Lonely" />
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "Lonely", "no sequence flow leads here");
        Reported(xml, "Lonely", "it cannot be reached from the start event");
    }

    [Fact]
    public void Rule4_LinkCatchWithoutThrow_IsUnreachable()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "E") + Bpmn.Chain("Catch", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:intermediateCatchEvent id="Catch"><bpmn:linkEventDefinition name="nowhere" /></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "Catch", "it cannot be reached from the start event");
    }

    [Fact]
    public void Rule4_BoundaryEventsAndLinkCatches_AreReachableThroughTheirActivityAndThrow()
    {
        Valid(Bpmn.Process(Bpmn.Chain("S", "T", "Throw") + Bpmn.Chain("Catch", "E") + Bpmn.Chain("B", "E") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="T" />
            <bpmn:boundaryEvent id="B" attachedToRef="T">{Bpmn.Message()}</bpmn:boundaryEvent>
            <bpmn:intermediateThrowEvent id="Throw"><bpmn:linkEventDefinition name="next" /></bpmn:intermediateThrowEvent>
            <bpmn:intermediateCatchEvent id="Catch"><bpmn:linkEventDefinition name="next" /></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="E" />
            """));
    }

    [Fact]
    public void Connections_ActivityWithTwoOutgoingFlows_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "T", "E") + Bpmn.Chain("T", "E2") + """
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="T" />
            <bpmn:endEvent id="E" />
            <bpmn:endEvent id="E2" />
            """);

        Reported(xml, "T", "it has 2 outgoing sequence flows; branch with a gateway instead");
    }

    [Fact]
    public void Connections_TaskWithoutOutgoingFlow_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "T") + Bpmn.Chain("S", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="T" />
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "T", "it has no outgoing sequence flow");
    }

    [Fact]
    public void Connections_FlowIntoStartOrOutOfEnd_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "T", "E", "S") + """
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="T" />
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "S", "a startEvent cannot have incoming sequence flows");
        Reported(xml, "E", "an end event cannot have outgoing sequence flows");
    }

    [Fact]
    public void Connections_FlowIntoLinkCatchOrOutOfLinkThrow_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "Throw", "T") + Bpmn.Chain("T", "Catch", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:intermediateThrowEvent id="Throw"><bpmn:linkEventDefinition name="l" /></bpmn:intermediateThrowEvent>
            <bpmn:userTask id="T" />
            <bpmn:intermediateCatchEvent id="Catch"><bpmn:linkEventDefinition name="l" /></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "Throw", "a link throw event cannot have outgoing sequence flows");
        Reported(xml, "Catch", "a link catch event is reached through its link, not by sequence flows");
    }

    [Fact]
    public void BusyLoop_CycleOfNodesThatNeverWait_IsReported()
    {
        var xml = Bpmn.Process($"""
            <bpmn:startEvent id="S" />
            {Bpmn.Chain("S", "G", "Svc", "G")}
            <bpmn:exclusiveGateway id="G" default="f_G_Svc" />
            <bpmn:serviceTask id="Svc" cc:serviceKind="documentation" />
            {Bpmn.Flow("G", "E", condition: "done")}
            <bpmn:endEvent id="E" />
            """);

        var problem = Reported(xml, "G", "on a loop in which nothing waits");
        problem.Message.Should().Contain("go round forever");
    }

    [Fact]
    public void BusyLoop_CycleThroughAUserTask_IsValid()
    {
        Valid(Bpmn.Process($"""
            <bpmn:startEvent id="S" />
            {Bpmn.Chain("S", "G", "T", "G")}
            <bpmn:exclusiveGateway id="G" default="f_G_T" />
            <bpmn:userTask id="T" />
            {Bpmn.Flow("G", "E", condition: "done")}
            <bpmn:endEvent id="E" />
            """));
    }
}
