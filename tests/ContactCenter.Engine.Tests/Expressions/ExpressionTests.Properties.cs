using System.Globalization;
using ContactCenter.Engine.Expressions;
using FsCheck.Xunit;

// Not ...Tests.Expressions: that namespace would hide ContactCenter.Engine.Expressions from partially qualified names in other test folders.
namespace ContactCenter.Engine.Tests.ExpressionLanguage;

/// <summary>Properties over generated values: comparisons agree with .NET, boolean algebra holds.</summary>
public partial class ExpressionTests
{
    [Property]
    public bool Comparison_OfNumberLiterals_AgreesWithDecimal(int a, int b, byte scale)
    {
        var x = a / (decimal)(1 + (scale % 5));
        var l = x.ToString(CultureInfo.InvariantCulture);
        var r = b.ToString(CultureInfo.InvariantCulture);
        return Eval($"{l} < {r}") == Value.From(x < b)
            && Eval($"{l} <= {r}") == Value.From(x <= b)
            && Eval($"{l} > {r}") == Value.From(x > b)
            && Eval($"{l} >= {r}") == Value.From(x >= b)
            && Eval($"{l} == {r}") == Value.From(x == b)
            && Eval($"{l} != {r}") == Value.From(x != b);
    }

    [Property]
    public bool Comparison_OfStringVariables_IsOrdinal(string? a, string? b)
    {
        a ??= string.Empty;
        b ??= string.Empty;
        var vars = new Vars(("a", a), ("b", b));
        return Eval("a < b", vars) == Value.From(string.CompareOrdinal(a, b) < 0)
            && Eval("a == b", vars) == Value.From(string.Equals(a, b, StringComparison.Ordinal));
    }

    [Property]
    public bool Logic_DeMorganAndPrecedence_Hold(bool p, bool q, bool r)
    {
        var vars = new Vars(("p", p), ("q", q), ("r", r));
        return Eval("not (p and q) == (not p or not q)", vars) == Value.True
            && Eval("p or q and r", vars) == Value.From(p || (q && r))
            && Eval("not p and q", vars) == Value.From(!p && q);
    }
}
