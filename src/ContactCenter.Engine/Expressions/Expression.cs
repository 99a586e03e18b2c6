using System.Globalization;
using System.Text;

namespace ContactCenter.Engine.Expressions;

/// <summary>Looks up instance variables for an expression; unknown names are null.</summary>
public interface IVariableSource
{
    Value Get(string name);
}

/// <summary>Raised when an expression's text does not parse; <see cref="Position"/> is 0-based.</summary>
public sealed class ExpressionSyntaxException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>Raised when a well-formed expression meets values it cannot work on (e.g. <c>'a' &lt; 1</c>).</summary>
public sealed class ExpressionEvaluationException(string message) : Exception(message);

/// <summary>
/// A parsed condition or assignment expression of the small language in docs/bpmn-subset.md.
/// Parsed once at load time; evaluation allocates nothing but the values it compares.
/// </summary>
public abstract class Expression
{
    /// <summary>
    /// The deepest nesting accepted: each '(' and each 'not' is one level. Default is 64.
    /// </summary>
    /// <remarks>
    /// Parsing and evaluation recurse once per level, so an unbounded depth let 10,000 nested
    /// parentheses overflow the stack and kill the process (issue 16). Chains of <c>and</c> and
    /// <c>or</c> are flat lists, not nesting, so their length costs no depth.
    /// </remarks>
    public const int MaxNesting = 64;

    private protected Expression()
    {
    }

    /// <summary>The source text, as written in the definition.</summary>
    public string Text { get; private set; } = string.Empty;

    public abstract Value Evaluate(IVariableSource variables);

    /// <summary>Evaluates and insists on a boolean, as sequence-flow conditions must.</summary>
    public bool IsTrue(IVariableSource variables)
    {
        var value = Evaluate(variables);
        return value.Kind == ValueKind.Boolean
            ? value.AsBoolean
            : throw new ExpressionEvaluationException($"condition '{Excerpt.Of(Text)}' gave {value.Describe()}, not true or false");
    }

    public static Expression Parse(string text)
    {
        var parser = new Parser(text);
        var expression = parser.ParseWhole();
        expression.Text = text.Trim();
        return expression;
    }

    /// <summary>Parses <c>name = expr; name2 = expr</c>, the form of <c>cc:assign</c>.</summary>
    public static IReadOnlyList<Assignment> ParseAssignments(string text)
    {
        var result = new List<Assignment>();
        foreach (var (part, offset) in Statements(text))
        {
            if (!string.IsNullOrWhiteSpace(part))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0 || (equals + 1 < part.Length && part[equals + 1] == '='))
                {
                    throw new ExpressionSyntaxException($"'{Excerpt.Of(part.Trim())}' is not of the form name = expression", offset);
                }

                var name = part[..equals].Trim();
                if (!IsIdentifier(name))
                {
                    throw new ExpressionSyntaxException($"'{Excerpt.Of(name)}' is not a variable name", offset);
                }

                Expression value;
                try
                {
                    value = Parse(part[(equals + 1)..]);
                }
                catch (ExpressionSyntaxException e)
                {
                    throw new ExpressionSyntaxException(e.Message, offset + equals + 1 + e.Position);
                }

                result.Add(new Assignment(name, value));
            }
        }

        return result;
    }

    /// <summary>Splits at the semicolons outside string literals, so <c>note = 'a; b'</c> stays one statement.</summary>
    private static List<(string Part, int Offset)> Statements(string text)
    {
        var parts = new List<(string, int)>();
        var start = 0;
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == ';')
            {
                parts.Add((text[start..i], start));
                start = i + 1;
            }
        }

        parts.Add((text[start..], start));
        return parts;
    }

    internal static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return name is not ("and" or "or" or "not" or "true" or "false" or "null");
    }

    private sealed class Literal(Value value) : Expression
    {
        public override Value Evaluate(IVariableSource variables) => value;
    }

    private sealed class Variable(string name) : Expression
    {
        public override Value Evaluate(IVariableSource variables) => variables.Get(name);
    }

    private sealed class Not(Expression operand) : Expression
    {
        public override Value Evaluate(IVariableSource variables) => Value.From(!RequireBoolean(operand.Evaluate(variables), "not"));
    }

    /// <summary><c>a and b and c</c> as one node over a list, so a long chain costs no recursion depth.</summary>
    private sealed class Logical(List<Expression> operands, bool isAnd) : Expression
    {
        public override Value Evaluate(IVariableSource variables)
        {
            var op = isAnd ? "and" : "or";
            foreach (var operand in operands)
            {
                // Short-circuits left to right, as the nested binary form did.
                if (RequireBoolean(operand.Evaluate(variables), op) != isAnd)
                {
                    return Value.From(!isAnd);
                }
            }

            return Value.From(isAnd);
        }
    }

    private sealed class Comparison(Expression left, Expression right, string op) : Expression
    {
        public override Value Evaluate(IVariableSource variables)
        {
            var l = left.Evaluate(variables);
            var r = right.Evaluate(variables);
            switch (op)
            {
                case "==": return Value.From(l.Equals(r));
                case "!=": return Value.From(!l.Equals(r));
            }

            int order;
            if (l.Kind == ValueKind.Number && r.Kind == ValueKind.Number)
            {
                order = l.AsNumber.CompareTo(r.AsNumber);
            }
            else if (l.Kind == ValueKind.String && r.Kind == ValueKind.String)
            {
                order = string.CompareOrdinal(l.AsString, r.AsString);
            }
            else
            {
                throw new ExpressionEvaluationException($"cannot compare {l.Describe()} {op} {r.Describe()}: '{op}' needs two numbers or two strings");
            }

            return Value.From(op switch
            {
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            });
        }
    }

    private static bool RequireBoolean(Value value, string op) => value.Kind == ValueKind.Boolean
        ? value.AsBoolean
        : throw new ExpressionEvaluationException($"'{op}' needs true or false, not {value.Describe()}");

    private ref struct Parser(string text)
    {
        private readonly string _text = text;
        private int _pos;
        private int _depth;

        public Expression ParseWhole()
        {
            SkipSpace();
            if (_pos >= _text.Length)
            {
                throw new ExpressionSyntaxException("the expression is empty", 0);
            }

            var e = ParseOr();
            SkipSpace();
            if (_pos < _text.Length)
            {
                throw new ExpressionSyntaxException($"unexpected '{Excerpt.Of(_text[_pos..], 30)}' at position {_pos + 1}", _pos);
            }

            return e;
        }

        private Expression ParseOr() => ParseChain(isAnd: false);

        private Expression ParseAnd() => ParseChain(isAnd: true);

        /// <summary><c>x or x ...</c> of ands, or <c>x and x ...</c> of nots: one flat <see cref="Logical"/> for two or more.</summary>
        private Expression ParseChain(bool isAnd)
        {
            var keyword = isAnd ? "and" : "or";
            var first = isAnd ? ParseNot() : ParseAnd();
            if (!TryKeyword(keyword))
            {
                return first;
            }

            List<Expression> operands = [first];
            do
            {
                operands.Add(isAnd ? ParseNot() : ParseAnd());
            }
            while (TryKeyword(keyword));
            return new Logical(operands, isAnd);
        }

        /// <summary>Reads the run of <c>not</c>s in a loop: recursing per <c>not</c> would let the text set the stack depth.</summary>
        private Expression ParseNot()
        {
            var nots = 0;
            while (TryKeyword("not"))
            {
                Enter(_pos - "not".Length);
                nots++;
            }

            var operand = ParseComparison();
            for (var i = 0; i < nots; i++)
            {
                operand = new Not(operand);
            }

            _depth -= nots;
            return operand;
        }

        /// <summary>One level deeper; refuses to go past <see cref="MaxNesting"/> before the stack can suffer.</summary>
        private void Enter(int position)
        {
            if (++_depth > MaxNesting)
            {
                throw new ExpressionSyntaxException($"the expression nests deeper than {MaxNesting} levels (parentheses and 'not') at position {position + 1}; split it into simpler conditions", position);
            }
        }

        private Expression ParseComparison()
        {
            var left = ParsePrimary();
            SkipSpace();
            foreach (var op in (ReadOnlySpan<string>)["==", "!=", "<=", ">=", "<", ">"])
            {
                if (string.CompareOrdinal(_text, _pos, op, 0, op.Length) == 0)
                {
                    _pos += op.Length;
                    return new Comparison(left, ParsePrimary(), op);
                }
            }

            return left;
        }

        private Expression ParsePrimary()
        {
            SkipSpace();
            if (_pos >= _text.Length)
            {
                throw new ExpressionSyntaxException("the expression ends where a value was expected", _pos);
            }

            var c = _text[_pos];
            if (c == '(')
            {
                Enter(_pos);
                _pos++;
                var inner = ParseOr();
                SkipSpace();
                if (_pos >= _text.Length || _text[_pos] != ')')
                {
                    throw new ExpressionSyntaxException($"')' expected at position {_pos + 1}", _pos);
                }

                _pos++;
                _depth--;
                return inner;
            }

            if (c is '\'' or '"')
            {
                var start = _pos++;
                var sb = new StringBuilder();
                while (_pos < _text.Length && _text[_pos] != c)
                {
                    sb.Append(_text[_pos++]);
                }

                if (_pos >= _text.Length)
                {
                    throw new ExpressionSyntaxException($"the string starting at position {start + 1} is not closed", start);
                }

                _pos++;
                return new Literal(Value.From(sb.ToString()));
            }

            if (char.IsAsciiDigit(c) || (c == '-' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1])))
            {
                var start = _pos++;
                while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '.'))
                {
                    _pos++;
                }

                return decimal.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                    ? new Literal(Value.From(number))
                    : throw new ExpressionSyntaxException($"'{Excerpt.Of(_text[start.._pos], 30)}' is not a number", start);
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
                {
                    _pos++;
                }

                var word = _text[start.._pos];
                return word switch
                {
                    "true" => new Literal(Value.True),
                    "false" => new Literal(Value.False),
                    "null" => new Literal(Value.Null),
                    "and" or "or" or "not" => throw new ExpressionSyntaxException($"'{word}' at position {start + 1} needs a value before it", start),
                    _ => new Variable(word),
                };
            }

            throw new ExpressionSyntaxException($"unexpected '{c}' at position {_pos + 1}", _pos);
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpace();
            var end = _pos + keyword.Length;
            if (end <= _text.Length
                && string.CompareOrdinal(_text, _pos, keyword, 0, keyword.Length) == 0
                && (end == _text.Length || !(char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_')))
            {
                _pos = end;
                return true;
            }

            return false;
        }

        private void SkipSpace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
            {
                _pos++;
            }
        }
    }
}

/// <summary>One <c>name = expression</c> of a <c>cc:assign</c> attribute.</summary>
public sealed record Assignment(string Name, Expression Value);
