using ContactCenter.Engine.Model;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Validation;

/// <summary>Rule 8: call activities name a loaded definition (checked over the whole folder); keys are unique.</summary>
public partial class DefinitionValidatorTests
{
    private static readonly string Caller = Bpmn.Process(Bpmn.Chain("S", "Call", "E") + """
        <bpmn:startEvent id="S" />
        <bpmn:callActivity id="Call" calledElement="callee" />
        <bpmn:endEvent id="E" />
        """, key: "caller");

    private static readonly string Callee = Bpmn.Process(Bpmn.Chain("S", "E") + """
        <bpmn:startEvent id="S" />
        <bpmn:endEvent id="E" />
        """, key: "callee");

    [Fact]
    public void Rule8_CallActivityToAnUnloadedDefinition_IsReported()
    {
        var caller = Driver.Parse(Caller);

        var problem = DefinitionValidator.ValidateSet([caller]).Should().ContainSingle().Subject;

        problem.ElementId.Should().Be("Call");
        problem.Line.Should().Be(Bpmn.LineOfId(Caller, "Call"));
        problem.Message.Should().Be("calledElement 'callee' is not a loaded definition");
        problem.Source.Should().Be("test.bpmn");
    }

    [Fact]
    public void Rule8_CallActivityToALoadedDefinition_IsValid()
    {
        DefinitionValidator.ValidateSet([Driver.Parse(Caller), Driver.Parse(Callee)]).Should().BeEmpty();
    }

    [Fact]
    public void Rule8_SingleDefinitionValidation_LeavesCallActivitiesToTheSetCheck()
    {
        Valid(Caller);
    }

    [Fact]
    public void Rule8_CallActivityWithoutCalledElement_IsReported()
    {
        var xml = Caller.Replace(" calledElement=\"callee\"", string.Empty, StringComparison.Ordinal);

        Reported(xml, "Call", "a call activity needs calledElement");
    }

    [Fact]
    public void ValidateSet_TwoDefinitionsWithTheSameKey_IsReported()
    {
        var first = Driver.Parse(Callee);
        var second = Driver.Parse(Callee);

        DefinitionValidator.ValidateSet([first, second]).Should().ContainSingle()
            .Which.Message.Should().Be("definition key 'callee' is also used by test.bpmn");
    }
}
