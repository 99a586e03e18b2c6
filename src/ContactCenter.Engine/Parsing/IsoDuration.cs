namespace ContactCenter.Engine.Parsing;

/// <summary>
/// Reads the ISO 8601 durations a timer may use: <c>PnW</c>, or <c>PnDTnHnMnS</c> with any of
/// the parts left out (seconds may have a fraction). Years and months are refused: their length varies.
/// </summary>
/// <remarks>
/// Written by hand rather than a regex plus <c>double.Parse</c> and <c>TimeSpan.FromDays</c>:
/// <c>P99999999DT99999999H</c> overflowed <c>TimeSpan</c> and answered validation with a 500, and
/// .NET's <c>\d</c> matches non-ASCII digits that <c>double.Parse</c> then refuses with an
/// exception (issue 16). Here only ASCII digits count, every number is bounded before it is
/// multiplied, and the total must lie within <see cref="Max"/>.
/// </remarks>
internal static class IsoDuration
{
    /// <summary>The longest timer accepted: 366 days, a year of SLA calendar at most.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(366);

    /// <summary>More digits than this in one number is refused before any arithmetic.</summary>
    private const int MaxDigits = 12;

    /// <summary>
    /// The duration, or null. <paramref name="error"/> then says why when the text is a duration
    /// but a refused one (too long, a number too large); it stays null when the text is no duration at all.
    /// </summary>
    public static TimeSpan? Parse(string text, out string? error)
    {
        var span = text.AsSpan().Trim();
        var total = ReadTotalSeconds(span, out error);
        if (total is null)
        {
            return null;
        }

        if (total.Value > (decimal)Max.TotalSeconds)
        {
            error = $"is longer than the limit of {Max.TotalDays:0} days";
            return null;
        }

        return TimeSpan.FromTicks((long)decimal.Round(total.Value * TimeSpan.TicksPerSecond, MidpointRounding.ToZero));
    }

    private static decimal? ReadTotalSeconds(ReadOnlySpan<char> s, out string? error)
    {
        error = null;
        if (s.Length < 3 || s[0] != 'P')
        {
            return null;
        }

        var pos = 1;
        decimal total = 0;
        var parts = 0;
        var inTime = false;
        var lastUnit = -1; // index into the unit order below: each unit at most once, in order
        const string DateUnits = "WD";
        const string TimeUnits = "HMS";
        while (pos < s.Length)
        {
            if (s[pos] == 'T')
            {
                if (inTime || pos + 1 >= s.Length)
                {
                    return null;
                }

                inTime = true;
                pos++;
                continue;
            }

            var start = pos;
            while (pos < s.Length && char.IsAsciiDigit(s[pos]))
            {
                pos++;
            }

            var digits = pos - start;
            if (digits == 0)
            {
                return null;
            }

            decimal number = 0;
            if (digits > MaxDigits)
            {
                error = $"has a number longer than {MaxDigits} digits";
                return null;
            }

            foreach (var c in s[start..pos])
            {
                number = (number * 10) + (c - '0');
            }

            if (pos < s.Length && s[pos] == '.')
            {
                // Only seconds may have a fraction; digits past a tick's precision are dropped.
                var fractionStart = ++pos;
                while (pos < s.Length && char.IsAsciiDigit(s[pos]))
                {
                    pos++;
                }

                if (pos == fractionStart || pos >= s.Length || s[pos] != 'S' || !inTime)
                {
                    return null;
                }

                var scale = 0.1m;
                foreach (var c in s[fractionStart..Math.Min(pos, fractionStart + 7)])
                {
                    number += (c - '0') * scale;
                    scale /= 10;
                }
            }

            if (pos >= s.Length)
            {
                return null;
            }

            var unit = (inTime ? TimeUnits : DateUnits).IndexOf(s[pos]);
            var order = unit < 0 ? -1 : unit + (inTime ? DateUnits.Length : 0);
            if (unit < 0 || order <= lastUnit || (s[pos] == 'W' && pos + 1 < s.Length) || (lastUnit == 0 && order > 0))
            {
                return null;
            }

            lastUnit = order;
            total += number * (inTime ? s[pos] switch { 'H' => 3600, 'M' => 60, _ => 1 } : s[pos] == 'W' ? 7 * 86400 : 86400);
            parts++;
            pos++;
        }

        return parts == 0 ? null : total;
    }
}
