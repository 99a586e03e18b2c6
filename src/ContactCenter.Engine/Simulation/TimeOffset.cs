using System.Globalization;

namespace ContactCenter.Engine.Simulation;

/// <summary>
/// Offsets from a script's start time, written <c>+m:ss</c> (<c>+1:30</c>, <c>+00:05</c>) or
/// <c>+h:mm:ss</c> (<c>+2:00:00</c>, hours unbounded: <c>+180:00:00</c>). Whole seconds only.
/// </summary>
public static class TimeOffset
{
    /// <summary>Reads an offset; the leading <c>+</c> is optional. Returns false for anything else.</summary>
    public static bool TryParse(string? text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s.StartsWith('+'))
        {
            s = s[1..];
        }

        var parts = s.Split(':');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)) || parts[^1].Length != 2)
        {
            return false;
        }

        if (parts.Length == 3 && parts[1].Length != 2)
        {
            return false;
        }

        if (!parts.All(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return false;
        }

        var numbers = parts.Select(p => long.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        long hours = 0, minutes, seconds;
        if (numbers.Length == 3)
        {
            (hours, minutes, seconds) = (numbers[0], numbers[1], numbers[2]);
            if (minutes > 59)
            {
                return false;
            }
        }
        else
        {
            (minutes, seconds) = (numbers[0], numbers[1]);
        }

        if (seconds > 59 || hours > 100_000 || minutes > 6_000_000)
        {
            return false;
        }

        offset = TimeSpan.FromSeconds((hours * 3600) + (minutes * 60) + seconds);
        return true;
    }

    /// <summary><c>+mm:ss</c> under an hour, <c>+h:mm:ss</c> from an hour on; fractions of a second are shown as <c>.fff</c>.</summary>
    public static string Format(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        var hours = (long)abs.TotalHours;
        var text = hours == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Minutes:00}:{abs.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{hours}:{abs.Minutes:00}:{abs.Seconds:00}");
        return abs.Milliseconds == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"{text}.{abs.Milliseconds:000}");
    }
}
