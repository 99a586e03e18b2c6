using ContactCenter.Engine.Tests.Support;
using Xunit;

namespace ContactCenter.Engine.Tests.Validation;

/// <summary>Rule 6 (timer durations) and rule 7 (link pairs).</summary>
public partial class DefinitionValidatorTests
{
    private static string WithBoundaryTimer(string duration) => Bpmn.Process(Bpmn.Chain("S", "T", "E") + Bpmn.Chain("B", "E") + $"""
        <bpmn:startEvent id="S" />
        <bpmn:userTask id="T" />
        <bpmn:boundaryEvent id="B" attachedToRef="T" cc:slaPolicy="sla">{Bpmn.Timer(duration)}</bpmn:boundaryEvent>
        <bpmn:endEvent id="E" />
        """);

    [Theory]
    [InlineData("PT0S")]
    [InlineData("P0D")]
    [InlineData("-PT1M")]
    [InlineData("PT1M30")]
    public void Rule6_TimerWithInvalidOrZeroDuration_IsReported(string duration)
    {
        Reported(WithBoundaryTimer(duration), "B", "is not a positive ISO 8601 duration", lineMarker: "<bpmn:timeDuration>");
    }

    [Theory]
    [InlineData("PT1M")]
    [InlineData("P10D")]
    [InlineData("PT0.5S")]
    public void Rule6_TimerWithPositiveDuration_IsValid(string duration) => Valid(WithBoundaryTimer(duration));

    private static string WithLink(string throwName, string catchName, bool catchInSubProcess = false)
    {
        var catchXml = $"<bpmn:intermediateCatchEvent id=\"Catch\"><bpmn:linkEventDefinition name=\"{catchName}\" /></bpmn:intermediateCatchEvent>\n{Bpmn.Flow("Catch", "E2")}\n<bpmn:endEvent id=\"E2\" />";
        var sub = catchInSubProcess
            ? $"<bpmn:subProcess id=\"Sub\"><bpmn:startEvent id=\"S2\" />{Bpmn.Flow("S2", "E3")}<bpmn:endEvent id=\"E3\" />\n{catchXml}</bpmn:subProcess>"
            : catchXml;
        return Bpmn.Process(Bpmn.Chain("S", "G")
            + Bpmn.Flow("G", "Throw", name: "Ya") + Bpmn.Flow("G", catchInSubProcess ? "Sub" : "E", name: "Tidak") + (catchInSubProcess ? Bpmn.Flow("Sub", "E") : string.Empty) + $"""
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" />
            <bpmn:intermediateThrowEvent id="Throw"><bpmn:linkEventDefinition name="{throwName}" /></bpmn:intermediateThrowEvent>
            {sub}
            <bpmn:endEvent id="E" />
            """);
    }

    [Fact]
    public void Rule7_LinkThrowWithoutCatchOfTheSameName_IsReported()
    {
        Reported(WithLink("ke-penutup", "ke-salam"), "Throw", "link 'ke-penutup' has no catch event of the same name in this scope");
    }

    [Fact]
    public void Rule7_LinkCatchInAnotherScope_DoesNotCount()
    {
        Reported(WithLink("ke-penutup", "ke-penutup", catchInSubProcess: true), "Throw", "link 'ke-penutup' has no catch event of the same name in this scope");
    }

    [Fact]
    public void Rule7_TwoCatchesOfTheSameName_IsReported()
    {
        var xml = WithLink("ke-penutup", "ke-penutup").Replace(
            "<bpmn:endEvent id=\"E\" />",
            $"<bpmn:endEvent id=\"E\" />\n<bpmn:intermediateCatchEvent id=\"Catch2\"><bpmn:linkEventDefinition name=\"ke-penutup\" /></bpmn:intermediateCatchEvent>\n{Bpmn.Flow("Catch2", "E")}",
            StringComparison.Ordinal);

        Reported(xml, "Catch2", "link 'ke-penutup' has more than one catch event in this scope");
    }

    [Fact]
    public void Rule7_LinkWithoutName_IsReported()
    {
        var xml = WithLink("x", "x").Replace("<bpmn:linkEventDefinition name=\"x\" /></bpmn:intermediateThrowEvent>", "<bpmn:linkEventDefinition /></bpmn:intermediateThrowEvent>", StringComparison.Ordinal);

        Reported(xml, "Throw", "a link event needs a name");
    }

    [Fact]
    public void Rule7_LinkPair_IsValid() => Valid(WithLink("ke-penutup", "ke-penutup"));
}
