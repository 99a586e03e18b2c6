using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Model;
using ContactCenter.Engine.Parsing;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace ContactCenter.Engine.Tests.Fuzzing;

/// <summary>
/// Every generated input either parses or is refused with a problem naming a line or element;
/// never a crash, a stack overflow, a hang or an unexpected exception. One class, so the targets
/// run one after another within their budgets (see <see cref="Fuzzer"/> and docs/fuzzing.md).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly IVariableSource Variables = new FixedVariables();

    [Fact]
    public void Expression_AnyText_ParsesOrIsASyntaxErrorWithAPosition()
    {
        var inputs = Fuzzer.Run("expression", HostileGen.Expression, text => text, text =>
        {
            Expression expression;
            try
            {
                expression = Expression.Parse(text);
            }
            catch (ExpressionSyntaxException e)
            {
                e.Position.Should().BeInRange(0, text.Length);
                e.Message.Length.Should().BeLessThan(500, "a refusal quotes the text by its start");
                return;
            }

            try
            {
                expression.Evaluate(Variables);
            }
            catch (ExpressionEvaluationException)
            {
                // Refused at run time (e.g. 'a' < 1): the runtime reports it as the instance's incident.
            }
        });

        output.WriteLine($"{inputs} expressions in {Fuzzer.Budget.TotalSeconds} s");
    }

    [Fact]
    public void Assignments_AnyText_ParseOrAreASyntaxErrorWithAPosition()
    {
        var inputs = Fuzzer.Run("assignments", HostileGen.Assignments, text => text, text =>
        {
            try
            {
                foreach (var assignment in Expression.ParseAssignments(text))
                {
                    assignment.Name.Should().NotBeEmpty();
                }
            }
            catch (ExpressionSyntaxException e)
            {
                e.Position.Should().BeInRange(0, text.Length);
            }
        });

        output.WriteLine($"{inputs} assignment lists in {Fuzzer.Budget.TotalSeconds} s");
    }

    [Fact]
    public void Duration_AnyText_IsNullOrASpanWithinTheLimit_AndValidOnesAreExact()
    {
        var inputs = Fuzzer.Run("duration", HostileGen.Duration, d => d.Text, d =>
        {
            var parsed = BpmnParser.ParseDuration(d.Text);
            if (parsed is { } span)
            {
                span.Should().BeGreaterThanOrEqualTo(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromDays(366));
            }

            if (d.Expected is { } expected)
            {
                parsed.Should().Be(expected, d.Text);
            }
        });

        output.WriteLine($"{inputs} durations in {Fuzzer.Budget.TotalSeconds} s");
    }

    [Fact]
    public void Parse_MutatedWorkflows_ParseOrNameWhereTheProblemIs()
    {
        var inputs = Fuzzer.Run("mutated-workflow", HostileGen.MutatedWorkflow, xml => xml, CheckDocument);

        output.WriteLine($"{inputs} mutated workflows in {Fuzzer.Budget.TotalSeconds} s");
    }

    [Fact]
    public void Parse_RandomProcessGraphs_ValidateOrNameWhereTheProblemIs()
    {
        var inputs = Fuzzer.Run("random-process", HostileGen.RandomProcess, xml => xml, CheckDocument);

        output.WriteLine($"{inputs} random processes in {Fuzzer.Budget.TotalSeconds} s");
    }

    /// <summary>Found by the mutated-workflow fuzzer (seed 4280221586368703291): an empty document's problem had no line.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\n")]
    public void Parse_EmptyDocument_IsAProblemOnLineOne(string xml)
    {
        CheckDocument(xml);
        BpmnParser.Parse(xml, "fuzz.bpmn").Problems.Should().ContainSingle().Which.Line.Should().BeGreaterThan(0);
    }

    /// <summary>The parser and validator answer with a definition or with located problems, within the problem cap.</summary>
    private static void CheckDocument(string xml)
    {
        var result = BpmnParser.Parse(xml, "fuzz.bpmn");
        var options = new BpmnParserOptions();
        result.Problems.Count.Should().BeLessThanOrEqualTo(options.MaxProblems + 1);
        if (result.Definition is null)
        {
            result.Problems.Should().NotBeEmpty("a refused document says why");
        }

        foreach (var problem in result.Problems)
        {
            problem.Source.Should().Be("fuzz.bpmn");
            var isTooLarge = problem.Message.StartsWith("the document is larger than", StringComparison.Ordinal);
            (problem.Line > 0 || problem.ElementId is not null || isTooLarge).Should().BeTrue($"every problem names a line or an element: {problem}");
            problem.Message.Length.Should().BeLessThan(2_000, $"a problem quotes the document by excerpts: {problem.Message[..Math.Min(200, problem.Message.Length)]}");
        }

        if (result.Definition is { } definition)
        {
            DefinitionValidator.ValidateSet([definition]).Should().NotBeNull();
        }
    }

    private sealed class FixedVariables : IVariableSource
    {
        public Value Get(string name) => name switch
        {
            "kategori" => Value.From("komplain"),
            "prioritas" => Value.From(3),
            "eskalasi" => Value.True,
            "Kategori" => Value.From(new string('x', 100)),
            _ => Value.Null,
        };
    }
}
