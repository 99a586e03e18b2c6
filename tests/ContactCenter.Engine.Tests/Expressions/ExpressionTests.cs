using ContactCenter.Engine.Expressions;
using FluentAssertions;
using Xunit;

// Not ...Tests.Expressions: that namespace would hide ContactCenter.Engine.Expressions from partially qualified names in other test folders.
namespace ContactCenter.Engine.Tests.ExpressionLanguage;

/// <summary>The condition and assignment language: grammar, precedence, values, comparisons and errors.</summary>
public partial class ExpressionTests
{
    /// <summary>A plain variable source for expressions.</summary>
    private sealed class Vars(params (string Name, Value Value)[] values) : IVariableSource
    {
        private readonly Dictionary<string, Value> _values = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

        public Value Get(string name) => _values.TryGetValue(name, out var v) ? v : Value.Null;
    }

    private static readonly Vars Sample = new(
        ("kategori", "komplain"),
        ("prioritas", 3),
        ("eskalasi", true),
        ("kosong", Value.Null),
        ("Kategori", "info"));

    private static Value Eval(string text, IVariableSource? variables = null) => Expression.Parse(text).Evaluate(variables ?? Sample);

    [Theory]
    [InlineData("true or false and false", true)]
    [InlineData("(true or false) and false", false)]
    [InlineData("false and false or true", true)]
    [InlineData("not false and false", false)]
    [InlineData("not (false and false)", true)]
    [InlineData("not not true", true)]
    [InlineData("not prioritas == 3", false)]
    [InlineData("not prioritas == 4 and eskalasi", true)]
    [InlineData("kategori == 'komplain' and prioritas >= 3 or false", true)]
    [InlineData("false or prioritas < 3 and eskalasi", false)]
    public void Evaluate_Precedence_NotBindsTighterThanAndThanOr(string text, bool expected)
    {
        Eval(text).Should().Be(Value.From(expected));
    }

    [Theory]
    [InlineData("2 < 10", true)]
    [InlineData("'2' < '10'", false)]
    [InlineData("'abc' < 'abd'", true)]
    [InlineData("'B' < 'a'", true)]
    [InlineData("-1 < 0", true)]
    [InlineData("1.5 >= 1.50", true)]
    [InlineData("1 == 1.0", true)]
    [InlineData("3 <= 3", true)]
    [InlineData("3 > 3", false)]
    [InlineData("prioritas != 3", false)]
    [InlineData("'a' == \"a\"", true)]
    [InlineData("1 == '1'", false)]
    [InlineData("true == 'true'", false)]
    [InlineData("0 == false", false)]
    [InlineData("null == null", true)]
    [InlineData("kosong == null", true)]
    [InlineData("tidakAda == null", true)]
    [InlineData("null != 0", true)]
    [InlineData("null == ''", false)]
    [InlineData("kategori == 'Komplain'", false)]
    [InlineData("Kategori == 'info'", true)]
    [InlineData("eskalasi == true", true)]
    public void Evaluate_Comparisons_FollowTheTypeRules(string text, bool expected)
    {
        Eval(text).Should().Be(Value.From(expected));
    }

    [Theory]
    [InlineData("42", ValueKind.Number, "42")]
    [InlineData("-0.25", ValueKind.Number, "-0.25")]
    [InlineData("'tiket baru'", ValueKind.String, "tiket baru")]
    [InlineData("\"it's\"", ValueKind.String, "it's")]
    [InlineData("''", ValueKind.String, "")]
    [InlineData("true", ValueKind.Boolean, "true")]
    [InlineData("null", ValueKind.Null, "")]
    [InlineData("kategori", ValueKind.String, "komplain")]
    [InlineData("( ( prioritas ) )", ValueKind.Number, "3")]
    [InlineData("truely", ValueKind.Null, "")]
    public void Evaluate_Primaries_GiveTheirValue(string text, ValueKind kind, string shown)
    {
        var value = Eval(text);

        value.Kind.Should().Be(kind);
        value.ToString().Should().Be(shown);
    }

    [Fact]
    public void Parse_KeepsTheTrimmedText()
    {
        Expression.Parse("  a == 1 \n").Text.Should().Be("a == 1");
    }

    [Theory]
    [InlineData("a == == b", 5, "unexpected '=' at position 6")]
    [InlineData("1 + 2", 2, "unexpected '+ 2' at position 3")]
    [InlineData("a b", 2, "unexpected 'b' at position 3")]
    [InlineData("(a == 1", 7, "')' expected at position 8")]
    [InlineData("x == 'open", 5, "the string starting at position 6 is not closed")]
    [InlineData("a ==", 4, "the expression ends where a value was expected")]
    [InlineData("and", 0, "'and' at position 1 needs a value before it")]
    [InlineData("a == 1 or", 9, "the expression ends where a value was expected")]
    [InlineData("1.2.3", 0, "'1.2.3' is not a number")]
    [InlineData("   ", 0, "the expression is empty")]
    [InlineData("a # b", 2, "unexpected '# b' at position 3")]
    [InlineData("a < b < c", 6, "unexpected '< c' at position 7")]
    [InlineData("a = 1", 2, "unexpected '= 1' at position 3")]
    [InlineData("!a", 0, "unexpected '!' at position 1")]
    public void Parse_SyntaxError_ReportsPositionAndMessage(string text, int position, string message)
    {
        var act = () => Expression.Parse(text);

        var error = act.Should().Throw<ExpressionSyntaxException>().Which;
        error.Position.Should().Be(position);
        error.Message.Should().Be(message);
    }

    [Theory]
    [InlineData("'a' < 1", "cannot compare 'a' < 1: '<' needs two numbers or two strings")]
    [InlineData("null >= 1", "cannot compare null >= 1")]
    [InlineData("true > false", "cannot compare true > false")]
    [InlineData("kosong < 'x'", "cannot compare null < 'x'")]
    [InlineData("1 and true", "'and' needs true or false, not 1")]
    [InlineData("true and 'ya'", "'and' needs true or false, not 'ya'")]
    [InlineData("false or null", "'or' needs true or false, not null")]
    [InlineData("not kategori", "'not' needs true or false, not 'komplain'")]
    public void Evaluate_TypeError_ThrowsEvaluationException(string text, string message)
    {
        var expression = Expression.Parse(text);

        var act = () => expression.Evaluate(Sample);

        act.Should().Throw<ExpressionEvaluationException>().WithMessage(message + "*");
    }

    [Theory]
    [InlineData("false and ('a' < 1)", false)]
    [InlineData("true or ('a' < 1)", true)]
    public void Evaluate_AndOr_ShortCircuit(string text, bool expected)
    {
        Eval(text).Should().Be(Value.From(expected));
    }

    [Fact]
    public void IsTrue_NonBooleanCondition_IsAnEvaluationError()
    {
        var act = () => Expression.Parse("prioritas").IsTrue(Sample);

        act.Should().Throw<ExpressionEvaluationException>().WithMessage("condition 'prioritas' gave 3, not true or false");
    }

    [Fact]
    public void IsTrue_BooleanCondition_GivesIt()
    {
        Expression.Parse("eskalasi and prioritas > 2").IsTrue(Sample).Should().BeTrue();
        Expression.Parse("kategori != 'komplain'").IsTrue(Sample).Should().BeFalse();
    }

    [Fact]
    public void ParseAssignments_List_GivesNamesAndExpressionsInOrder()
    {
        var assignments = Expression.ParseAssignments(" a = 1 ; b_2 = kategori == 'komplain';; catatan = 'x; y = z' ;");

        assignments.Select(a => a.Name).Should().Equal("a", "b_2", "catatan");
        assignments.Select(a => a.Value.Evaluate(Sample)).Should().Equal(Value.From(1), Value.True, Value.From("x; y = z"));
    }

    [Theory]
    [InlineData("a", 0, "'a' is not of the form name = expression")]
    [InlineData("a = 1; b == 2", 6, "'b == 2' is not of the form name = expression")]
    [InlineData("a = 1; 2b = 2", 6, "'2b' is not a variable name")]
    [InlineData("a = 1; b = (", 12, "the expression ends where a value was expected")]
    [InlineData("true = 1", 0, "'true' is not a variable name")]
    public void ParseAssignments_Malformed_ReportsPositionInTheWholeText(string text, int position, string message)
    {
        var act = () => Expression.ParseAssignments(text);

        var error = act.Should().Throw<ExpressionSyntaxException>().Which;
        error.Message.Should().Be(message);
        error.Position.Should().Be(position);
    }

    [Fact]
    public void ParseAssignments_Empty_GivesNoAssignments()
    {
        Expression.ParseAssignments(" ; ").Should().BeEmpty();
    }
}
