using ContactCenter.Engine.Model;
using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Validation;

/// <summary>Rule 1 (subset, unique ids, references resolve) and rule 2 (one none start event per scope).</summary>
public partial class DefinitionValidatorTests
{
    private static string Linear(string middle, params string[] chain) => Bpmn.Process(Bpmn.Chain(chain) + $"""
        <bpmn:startEvent id="S" />
        {middle}
        <bpmn:endEvent id="E" />
        """);

    [Fact]
    public void Rule1_UniqueIds_DuplicateIsReported()
    {
        var xml = Linear("<bpmn:userTask id=\"T\" />\n<bpmn:manualTask id=\"T\" name=\"second\" />", "S", "T", "E");

        Reported(xml, "T", "the id is used twice", lineMarker: "name=\"second\"");
    }

    [Fact]
    public void Rule1_UniqueIds_DistinctIdsAreValid() => Valid(Linear("<bpmn:userTask id=\"T\" />", "S", "T", "E"));

    [Fact]
    public void Rule1_MissingId_IsReportedOnItsLine()
    {
        var xml = Linear("<bpmn:userTask id=\"T\" />\n<bpmn:userTask name=\"anonymous\" />", "S", "T", "E");

        Reported(xml, null, "<userTask> has no id", lineMarker: "anonymous");
    }

    [Theory]
    [InlineData("sourceRef", "sourceRef 'Nope' is not a flow node of this process")]
    [InlineData("targetRef", "targetRef 'Nope' is not a flow node of this process")]
    public void Rule1_FlowReferences_UnresolvedIsReportedOnTheFlow(string attribute, string message)
    {
        var flow = attribute == "sourceRef"
            ? "<bpmn:sequenceFlow id=\"Flow_X\" sourceRef=\"Nope\" targetRef=\"E\" />"
            : "<bpmn:sequenceFlow id=\"Flow_X\" sourceRef=\"S\" targetRef=\"Nope\" />";

        Reported(Linear(flow, "S", "E"), "Flow_X", message);
    }

    [Fact]
    public void Rule1_FlowWithoutSourceOrTarget_IsReported()
    {
        Reported(Linear("<bpmn:sequenceFlow id=\"Flow_X\" sourceRef=\"S\" />", "S", "E"), "Flow_X", "needs sourceRef and targetRef");
    }

    [Fact]
    public void Rule1_FlowCrossingSubProcessBoundary_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "Sub", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:subProcess id="Sub">
              <bpmn:startEvent id="S2" />
              <bpmn:sequenceFlow id="Flow_Out" sourceRef="S2" targetRef="E" />
            </bpmn:subProcess>
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "Flow_Out", "cannot cross a sub-process boundary");
    }

    [Fact]
    public void Rule1_DefaultFlow_NotAnOutgoingFlowIsReported()
    {
        var xml = Bpmn.Process($"""
            <bpmn:startEvent id="S" />
            {Bpmn.Flow("S", "G")}
            <bpmn:exclusiveGateway id="G" default="f_S_G" />
            {Bpmn.Flow("G", "E", condition: "a")}
            {Bpmn.Flow("G", "E2", condition: "b")}
            <bpmn:endEvent id="E" />
            <bpmn:endEvent id="E2" />
            """);

        Reported(xml, "G", "default flow 'f_S_G' is not an outgoing flow of this gateway");
    }

    [Fact]
    public void Rule1_DefaultFlow_OutgoingFlowIsValid()
    {
        Valid(Bpmn.Process($"""
            <bpmn:startEvent id="S" />
            {Bpmn.Flow("S", "G")}
            <bpmn:exclusiveGateway id="G" default="f_G_E2" />
            {Bpmn.Flow("G", "E", condition: "a")}
            {Bpmn.Flow("G", "E2")}
            <bpmn:endEvent id="E" />
            <bpmn:endEvent id="E2" />
            """));
    }

    [Theory]
    [InlineData("Missing", "attachedToRef 'Missing' is not a task, call activity or sub-process")]
    [InlineData("S", "attachedToRef 'S' is not a task, call activity or sub-process")]
    public void Rule1_AttachedToRef_UnresolvedOrNotAnActivityIsReported(string attachedTo, string message)
    {
        var xml = Linear($"<bpmn:userTask id=\"T\" />\n<bpmn:boundaryEvent id=\"B\" attachedToRef=\"{attachedTo}\">{Bpmn.Timer("PT1M")}</bpmn:boundaryEvent>\n{Bpmn.Flow("B", "E")}", "S", "T", "E");

        Reported(xml, "B", message);
    }

    [Fact]
    public void Rule1_AttachedToRef_TaskIsValid()
    {
        Valid(Linear($"<bpmn:userTask id=\"T\" />\n<bpmn:boundaryEvent id=\"B\" attachedToRef=\"T\">{Bpmn.Timer("PT1M")}</bpmn:boundaryEvent>\n{Bpmn.Flow("B", "E")}", "S", "T", "E"));
    }

    [Theory]
    [InlineData("<bpmn:receiveTask id=\"X\" messageRef=\"Msg_nope\" />")]
    [InlineData("<bpmn:intermediateCatchEvent id=\"X\"><bpmn:messageEventDefinition messageRef=\"Msg_nope\" /></bpmn:intermediateCatchEvent>")]
    public void Rule1_MessageRef_UndeclaredIsReported(string node)
    {
        Reported(Linear(node, "S", "X", "E"), "X", "messageRef 'Msg_nope' is not a declared <message>");
    }

    [Fact]
    public void Rule1_MessageRef_MissingOnReceiveTaskIsReported()
    {
        Reported(Linear("<bpmn:receiveTask id=\"X\" />", "S", "X", "E"), "X", "a receive task needs a messageRef");
    }

    [Theory]
    [InlineData("<bpmn:receiveTask id=\"X\" messageRef=\"Msg_confirm\" />")]
    [InlineData("<bpmn:intermediateCatchEvent id=\"X\"><bpmn:messageEventDefinition messageRef=\"Msg_confirm\" /></bpmn:intermediateCatchEvent>")]
    public void Rule1_MessageRef_DeclaredIsValid(string node) => Valid(Linear(node, "S", "X", "E"));

    [Fact]
    public void Rule1_LaneFlowNodeRef_UnknownNodeIsReportedOnTheLane()
    {
        var xml = Linear("<bpmn:userTask id=\"T\" />", "S", "T", "E")
            .Replace("<bpmn:flowNodeRef>T</bpmn:flowNodeRef>", "<bpmn:flowNodeRef>T</bpmn:flowNodeRef><bpmn:flowNodeRef>Ghost</bpmn:flowNodeRef>", StringComparison.Ordinal);

        Reported(xml, "Lane_Agent", "flowNodeRef 'Ghost' is not a flow node of this process");
    }

    [Fact]
    public void Rule1_LaneFlowNodeRef_NodeInTwoLanesIsReported()
    {
        var xml = Linear("<bpmn:userTask id=\"T\" />", "S", "T", "E")
            .Replace("</bpmn:laneSet>", "<bpmn:lane id=\"Lane_Tier2\" name=\"Tier 2\"><bpmn:flowNodeRef>T</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>", StringComparison.Ordinal);

        Reported(xml, "Lane_Tier2", "userTask T is in two lanes", lineMarker: "Lane_Tier2");
    }

    [Fact]
    public void Rule1_LaneWithoutName_IsReported()
    {
        var xml = Linear("<bpmn:userTask id=\"T\" />", "S", "T", "E").Replace("name=\"Agent\"", string.Empty, StringComparison.Ordinal);

        Reported(xml, "Lane_Agent", "a lane needs a name");
    }

    [Theory]
    [InlineData("Live_Chat")]
    [InlineData("9chat")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Rule1_DefinitionKey_NotLowerCaseDashesIsReported(string key)
    {
        // The API's rule is the same one: a key the parser publishes is one the API accepts.
        DefinitionKeys.IsValid(key).Should().BeFalse();
        DefinitionKeys.IsValid(new string('a', DefinitionKeys.MaxLength)).Should().BeTrue();
        var xml = Bpmn.Process(Bpmn.Chain("S", "E") + "<bpmn:startEvent id=\"S\" />\n<bpmn:endEvent id=\"E\" />", key: key);

        Reported(xml, key, "the process id is the definition key", lineMarker: "isExecutable");
    }

    [Fact]
    public void Rule1_DefinitionKey_LowerCaseWithDashesIsValid()
    {
        Valid(Bpmn.Process(Bpmn.Chain("S", "E") + "<bpmn:startEvent id=\"S\" />\n<bpmn:endEvent id=\"E\" />", key: "live-chat-2"));
    }

    [Fact]
    public void Rule1_ProcessNotExecutable_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "E") + "<bpmn:startEvent id=\"S\" />\n<bpmn:endEvent id=\"E\" />").Replace("isExecutable=\"true\"", "isExecutable=\"false\"", StringComparison.Ordinal);

        Reported(xml, "p", "isExecutable=\"true\"", lineMarker: "isExecutable");
    }

    [Fact]
    public void Rule2_ProcessWithoutStartEvent_IsReported()
    {
        var xml = Bpmn.Process("<bpmn:endEvent id=\"E\" />");

        var problem = Reported(xml, "p", "the process has 0 start events; it needs exactly one none start event", lineMarker: "<bpmn:process ");

        problem.Message.Should().Be("the process has 0 start events; it needs exactly one none start event");
    }

    [Fact]
    public void Rule2_ProcessWithTwoStartEvents_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "E") + Bpmn.Chain("S2", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:startEvent id="S2" />
            <bpmn:endEvent id="E" />
            """);

        Parse(xml).Should().Contain(p => p.Message.Contains("the process has 2 start events", StringComparison.Ordinal));
    }

    [Fact]
    public void Rule2_SubProcessWithoutStartEvent_IsReportedOnTheSubProcess()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "Sub", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:subProcess id="Sub">
              <bpmn:endEvent id="E2" />
            </bpmn:subProcess>
            <bpmn:endEvent id="E" />
            """);

        Reported(xml, "Sub", "sub-process Sub has 0 start events; it needs exactly one none start event");
    }

    [Fact]
    public void Rule2_SubProcessWithOneStartEvent_IsValid()
    {
        Valid(Bpmn.Process(Bpmn.Chain("S", "Sub", "E") + $"""
            <bpmn:startEvent id="S" />
            <bpmn:subProcess id="Sub">
              <bpmn:startEvent id="S2" />
              {Bpmn.Flow("S2", "E2")}
              <bpmn:endEvent id="E2" />
            </bpmn:subProcess>
            <bpmn:endEvent id="E" />
            """));
    }

    private static IReadOnlyList<Model.DefinitionProblem> Parse(string xml) => BpmnParser.Parse(xml, Source).Problems;
}
