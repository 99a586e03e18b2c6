using ContactCenter.Engine.Tests.Support;
using Xunit;

namespace ContactCenter.Engine.Tests.Validation;

/// <summary>Rule 5 (exclusive gateway flows) and rule 10 (event-based gateway targets).</summary>
public partial class DefinitionValidatorTests
{
    private static string Exclusive(string gatewayAttributes, string flowToA, string flowToB) => Bpmn.Process($"""
        <bpmn:startEvent id="S" />
        {Bpmn.Flow("S", "G")}
        <bpmn:exclusiveGateway id="G" {gatewayAttributes} />
        {flowToA}
        {flowToB}
        <bpmn:endEvent id="A" />
        <bpmn:endEvent id="B" />
        """);

    [Fact]
    public void Rule5_ConditionGateway_FlowWithoutConditionOrDefaultIsReported()
    {
        var xml = Exclusive(string.Empty, Bpmn.Flow("G", "A", condition: "x == 1"), Bpmn.Flow("G", "B"));

        Reported(xml, "G", "flow f_G_B has neither a condition nor is it the default");
    }

    [Fact]
    public void Rule5_ConditionGateway_DefaultWithoutAnyConditionIsReported()
    {
        var xml = Exclusive("default=\"f_G_B\"", Bpmn.Flow("G", "A", name: "Ya"), Bpmn.Flow("G", "B"));

        Reported(xml, "G", "flow f_G_A has neither a condition nor is it the default");
    }

    [Fact]
    public void Rule5_ConditionGateway_EveryFlowConditionedOrDefaultIsValid()
    {
        Valid(Exclusive("default=\"f_G_B\"", Bpmn.Flow("G", "A", condition: "x == 1"), Bpmn.Flow("G", "B")));
        Valid(Exclusive(string.Empty, Bpmn.Flow("G", "A", condition: "x == 1"), Bpmn.Flow("G", "B", condition: "x != 1")));
    }

    [Fact]
    public void Rule5_AgentGateway_UnnamedFlowIsReported()
    {
        var xml = Exclusive(string.Empty, Bpmn.Flow("G", "A", name: "Ya"), Bpmn.Flow("G", "B"));

        Reported(xml, "G", "flow f_G_B has no name; the agent picks an outgoing flow by its name");
    }

    [Fact]
    public void Rule5_AgentGateway_DuplicateNamesAreReported()
    {
        var xml = Exclusive(string.Empty, Bpmn.Flow("G", "A", name: "Ya"), Bpmn.Flow("G", "B", name: "Ya"));

        Reported(xml, "G", "two outgoing flows are both named 'Ya'");
    }

    [Fact]
    public void Rule5_AgentGateway_DistinctNamesAreValid()
    {
        Valid(Exclusive("name=\"Butuh bantuan lain?\"", Bpmn.Flow("G", "A", name: "Ya"), Bpmn.Flow("G", "B", name: "Tidak")));
    }

    [Fact]
    public void Rule5_ConditionOnAFlowNotLeavingAnExclusiveGateway_IsReported()
    {
        var xml = Bpmn.Process($"""
            <bpmn:startEvent id="S" />
            {Bpmn.Flow("S", "E", condition: "true")}
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "S", "flow f_S_E has a condition, but conditions are only evaluated on flows leaving an exclusive gateway");
    }

    [Fact]
    public void Rule10_EventGateway_LeadingToATaskIsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "EG", "W", "E") + Bpmn.Chain("EG", "T", "E") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:eventBasedGateway id="EG" />
            <bpmn:intermediateCatchEvent id="W">{Bpmn.Timer("PT1M")}</bpmn:intermediateCatchEvent>
            <bpmn:userTask id="T" />
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "EG", "flow f_EG_T leads to userTask T; an event-based gateway leads only to timer or message catch events");
    }

    [Fact]
    public void Rule10_EventGateway_CatchWithAnotherIncomingFlowIsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "EG", "W", "E") + Bpmn.Chain("EG", "M", "E") + Bpmn.Chain("T", "W") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:eventBasedGateway id="EG" />
            <bpmn:intermediateCatchEvent id="W">{Bpmn.Timer("PT1M")}</bpmn:intermediateCatchEvent>
            <bpmn:intermediateCatchEvent id="M">{Bpmn.Message()}</bpmn:intermediateCatchEvent>
            <bpmn:userTask id="T" />
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "EG", "flow f_EG_W leads to intermediateCatchEvent W");
    }

    [Fact]
    public void Rule10_EventGateway_WithOneFlowIsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "EG", "W", "E") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:eventBasedGateway id="EG" />
            <bpmn:intermediateCatchEvent id="W">{Bpmn.Timer("PT1M")}</bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "EG", "an event-based gateway needs at least two outgoing flows");
    }

    [Fact]
    public void Rule10_EventGateway_TimerAndMessageIsValid()
    {
        Valid(Bpmn.Process(Bpmn.Chain("S", "EG", "W", "E") + Bpmn.Chain("EG", "M", "E") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:eventBasedGateway id="EG" />
            <bpmn:intermediateCatchEvent id="W">{Bpmn.Timer("PT3M")}</bpmn:intermediateCatchEvent>
            <bpmn:intermediateCatchEvent id="M">{Bpmn.Message()}</bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="E" />
            """));
    }
}
