using ContactCenter.Engine.Expressions;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.ExpressionLanguage;

/// <summary>Nesting is bounded (issue 16: 10,000 parentheses overflowed the stack); long flat chains are not nesting.</summary>
public partial class ExpressionTests
{
    [Fact]
    public void Parse_TenThousandNestedParentheses_IsRefusedWithTheNestingLimit()
    {
        var text = new string('(', 10_000) + "true" + new string(')', 10_000);

        var act = () => Expression.Parse(text);

        var error = act.Should().Throw<ExpressionSyntaxException>().Which;
        error.Message.Should().Contain($"nests deeper than {Expression.MaxNesting} levels");
        error.Position.Should().Be(Expression.MaxNesting);
    }

    [Fact]
    public void Parse_NestingAtTheLimit_ParsesAndEvaluates()
    {
        var text = new string('(', Expression.MaxNesting) + "prioritas == 3" + new string(')', Expression.MaxNesting);

        Eval(text).Should().Be(Value.True);
        var deeper = () => Expression.Parse("(" + text + ")");
        deeper.Should().Throw<ExpressionSyntaxException>().WithMessage("*nests deeper than*");
    }

    [Fact]
    public void Parse_HundredThousandNots_IsRefusedWithTheNestingLimit()
    {
        var text = string.Concat(Enumerable.Repeat("not ", 100_000)) + "true";

        var act = () => Expression.Parse(text);

        act.Should().Throw<ExpressionSyntaxException>().WithMessage("*nests deeper than 64 levels (parentheses and 'not')*");
    }

    [Fact]
    public void Parse_SiblingParenthesesAndNots_CountOnlyTheirOwnDepth()
    {
        var one = "(not (true))";
        var text = string.Join(" and ", Enumerable.Repeat(one, 1_000));

        Eval(text).Should().Be(Value.False);
    }

    [Fact]
    public void Evaluate_HundredThousandTermAndChain_NeedsNoDeepStack()
    {
        var text = string.Join(" and ", Enumerable.Repeat("eskalasi", 100_000)) + " or " + string.Join(" or ", Enumerable.Repeat("false", 100_000));
        var expression = Expression.Parse(text);

        // Evaluated on a thread with a small stack: a tree as deep as the chain would overflow it.
        Value result = Value.Null;
        var thread = new Thread(() => result = expression.Evaluate(Sample), maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();

        result.Should().Be(Value.True);
    }

    [Fact]
    public void Evaluate_AndChain_StopsAtTheFirstFalseLikeTheNestedForm()
    {
        Eval("eskalasi and false and prioritas").Should().Be(Value.False);
        Eval("false or eskalasi or prioritas").Should().Be(Value.True);
        var act = () => Eval("eskalasi and prioritas and false");
        act.Should().Throw<ExpressionEvaluationException>().WithMessage("'and' needs true or false, not *");
    }

    [Fact]
    public void Parse_HugeTrailingGarbage_IsQuotedShortly()
    {
        var act = () => Expression.Parse("true " + new string('x', 1_000_000));

        act.Should().Throw<ExpressionSyntaxException>().Which.Message.Length.Should().BeLessThan(200);
    }
}
