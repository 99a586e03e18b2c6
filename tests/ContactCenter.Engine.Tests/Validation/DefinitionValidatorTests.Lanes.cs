using ContactCenter.Engine.Tests.Support;
using Xunit;

namespace ContactCenter.Engine.Tests.Validation;

/// <summary>Rule 9: tasks and agent-decided gateways sit in a lane; service tasks have cc:serviceKind.</summary>
public partial class DefinitionValidatorTests
{
    [Theory]
    [InlineData("<bpmn:userTask id=\"X\" />")]
    [InlineData("<bpmn:manualTask id=\"X\" />")]
    [InlineData("<bpmn:sendTask id=\"X\" cc:script=\"Halo\" />")]
    [InlineData("<bpmn:serviceTask id=\"X\" cc:serviceKind=\"createTicket\" />")]
    [InlineData("<bpmn:receiveTask id=\"X\" messageRef=\"Msg_customer\" />")]
    public void Rule9_TaskOutsideAnyLane_IsReported(string task)
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "X", "E") + $"<bpmn:startEvent id=\"S\" />\n{task}\n<bpmn:endEvent id=\"E\" />", lanes: false);

        Reported(xml, "X", "it sits in no lane");
    }

    [Fact]
    public void Rule9_AgentGatewayOutsideAnyLane_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "G") + Bpmn.Flow("G", "A", name: "Ya") + Bpmn.Flow("G", "B", name: "Tidak") + """
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" />
            <bpmn:endEvent id="A" />
            <bpmn:endEvent id="B" />
            """, lanes: false);

        Reported(xml, "G", "it sits in no lane");
    }

    [Fact]
    public void Rule9_ConditionGatewayAndEventsOutsideLanes_AreValid()
    {
        Valid(Bpmn.Process(Bpmn.Chain("S", "G") + Bpmn.Flow("G", "A", condition: "ok") + Bpmn.Flow("G", "B") + """
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" default="f_G_B" />
            <bpmn:endEvent id="A" />
            <bpmn:endEvent id="B" />
            """, lanes: false));
    }

    [Fact]
    public void Rule9_TaskInsideASubProcess_TakesTheSubProcessLane()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "Sub", "E") + $"""
            <bpmn:laneSet id="LS"><bpmn:lane id="L" name="Tier 2"><bpmn:flowNodeRef>Sub</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:startEvent id="S" />
            <bpmn:subProcess id="Sub">
              <bpmn:startEvent id="S2" />
              {Bpmn.Chain("S2", "T", "E2")}
              <bpmn:userTask id="T" />
              <bpmn:endEvent id="E2" />
            </bpmn:subProcess>
            <bpmn:endEvent id="E" />
            """, lanes: false);

        Valid(xml);
    }

    [Fact]
    public void Rule9_ServiceTaskWithoutServiceKind_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "X", "E") + "<bpmn:startEvent id=\"S\" />\n<bpmn:serviceTask id=\"X\" cc:serviceKind=\"\" />\n<bpmn:endEvent id=\"E\" />");

        Reported(xml, "X", "a service task needs cc:serviceKind");
    }

    [Fact]
    public void Rule9_ServiceTaskWithServiceKindInALane_IsValid()
    {
        Valid(Bpmn.Process(Bpmn.Chain("S", "X", "E") + "<bpmn:startEvent id=\"S\" />\n<bpmn:serviceTask id=\"X\" cc:serviceKind=\"createTicket\" />\n<bpmn:endEvent id=\"E\" />"));
    }
}
