using ContactCenter.Engine.Model;
using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Validation;

/// <summary>
/// The validator rules of docs/bpmn-subset.md, each with a definition that breaks it and one that
/// keeps it. Rule 1's reference checks run while parsing, so everything goes through
/// <see cref="BpmnParser.Parse(string, string?, BpmnParserOptions?)"/>, the path real files take.
/// </summary>
public partial class DefinitionValidatorTests
{
    private const string Source = "rules.bpmn";

    /// <summary>Asserts a problem naming <paramref name="id"/>, on the line the element is written on, with the message fragment.</summary>
    private static DefinitionProblem Reported(string xml, string? id, string message, string? lineMarker = null)
    {
        var problems = BpmnParser.Parse(xml, Source).Problems;
        var matching = problems.Where(p => p.ElementId == id && p.Message.Contains(message, StringComparison.Ordinal)).ToList();
        matching.Should().NotBeEmpty("a problem naming {0} with '{1}' is expected; got: {2}", id, message, string.Join(" | ", problems));
        var problem = matching[0];
        problem.Line.Should().Be(lineMarker is not null ? Bpmn.LineOf(xml, lineMarker) : Bpmn.LineOfId(xml, id!));
        problem.Source.Should().Be(Source);
        return problem;
    }

    private static void Valid(string xml)
    {
        var result = BpmnParser.Parse(xml, Source);
        result.Problems.Select(p => p.ToString()).Should().BeEmpty();
        result.IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_ReportsEveryProblem_InDocumentOrder()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "A", "B", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:serviceTask id="A" />
            <bpmn:serviceTask id="B" />
            <bpmn:endEvent id="E" />
            """);

        var problems = BpmnParser.Parse(xml, Source).Problems;

        problems.Select(p => p.ElementId).Should().Equal("A", "B");
        problems.Should().OnlyContain(p => p.Message.Contains("cc:serviceKind", StringComparison.Ordinal));
        problems[0].ToString().Should().Be($"{Source}:{Bpmn.LineOfId(xml, "A")}: A: a service task needs cc:serviceKind: what the runtime does (e.g. createTicket)");
    }

    [Fact]
    public void Validate_CalledDirectlyOnAParsedDefinition_GivesTheSameProblems()
    {
        var xml = Bpmn.Process(Bpmn.Chain("S", "A", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:serviceTask id="A" />
            <bpmn:endEvent id="E" />
            """);
        var result = BpmnParser.Parse(xml, Source);

        DefinitionValidator.Validate(result.Definition!).Should().Equal(result.Problems);
    }
}
