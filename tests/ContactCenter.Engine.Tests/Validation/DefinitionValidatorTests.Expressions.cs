using ContactCenter.Engine.Tests.Support;
using Xunit;

namespace ContactCenter.Engine.Tests.Validation;

/// <summary>Rule 11: expressions parse at load time; cc:assign is a list of name = expression.</summary>
public partial class DefinitionValidatorTests
{
    private static string WithCondition(string condition) => Bpmn.Process($"""
        <bpmn:startEvent id="S" />
        {Bpmn.Flow("S", "G")}
        <bpmn:exclusiveGateway id="G" default="f_G_B" />
        <bpmn:sequenceFlow id="Flow_Cond" sourceRef="G" targetRef="A"><bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>
        {Bpmn.Flow("G", "B")}
        <bpmn:endEvent id="A" />
        <bpmn:endEvent id="B" />
        """);

    [Fact]
    public void Rule11_ConditionThatDoesNotParse_IsReportedOnTheFlow()
    {
        Reported(WithCondition("kategori == 'komplain' and"), "Flow_Cond", "condition 'kategori == 'komplain' and' does not parse");
    }

    [Fact]
    public void Rule11_ConditionThatParses_IsValid()
    {
        Valid(WithCondition("kategori == 'komplain' and not (prioritas &gt;= 3 or eskalasi)"));
    }

    [Fact]
    public void Rule11_AssignmentList_IsValid()
    {
        Valid(Bpmn.Process(Bpmn.Chain("S", "E") + "<bpmn:startEvent id=\"S\" cc:assign=\"a = 1; b = 'x;y' == 'x'; ; c = a\" />\n<bpmn:endEvent id=\"E\" cc:assign=\"selesai = true\" />"));
    }

    [Fact]
    public void Rule11_AssignmentThatIsNotNameEqualsExpression_IsReported()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "E") + "<bpmn:startEvent id=\"S\" cc:assign=\"a + 1\" />\n<bpmn:endEvent id=\"E\" />");

        Reported(xml, "S", "is not of the form name = expression");
    }
}
