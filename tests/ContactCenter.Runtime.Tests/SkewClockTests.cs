using FluentAssertions;

namespace ContactCenter.Runtime.Tests;

/// <summary>The test clock's midnight guard, in a zone made so that it is 23:55 (or noon) there now.</summary>
public class SkewClockTests
{
    [Fact]
    public void KeepOffLocalMidnight_FiveMinutesBeforeMidnight_MovesToJustAfterIt()
    {
        var clock = new SkewClock();
        var zone = ZoneWhereItIsNow(clock.GetUtcNow(), new TimeSpan(23, 55, 0));

        clock.KeepOffLocalMidnight(zone, TimeSpan.FromMinutes(15));

        TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).TimeOfDay.Should().BeLessThan(TimeSpan.FromMinutes(1), "the clock moved on to just after midnight");
        clock.Offset.Should().BeGreaterThan(TimeSpan.FromMinutes(4));
    }

    [Fact]
    public void KeepOffLocalMidnight_AtNoon_LeavesTheClockAlone()
    {
        var clock = new SkewClock();
        var zone = ZoneWhereItIsNow(clock.GetUtcNow(), new TimeSpan(12, 0, 0));

        clock.KeepOffLocalMidnight(zone, TimeSpan.FromMinutes(15));

        clock.Offset.Should().Be(TimeSpan.Zero);
    }

    /// <summary>A fixed-offset zone (whole minutes, within -12 h … +14 h) where the local time is about <paramref name="localTime"/> at <paramref name="utcNow"/>.</summary>
    private static TimeZoneInfo ZoneWhereItIsNow(DateTimeOffset utcNow, TimeSpan localTime)
    {
        var offset = TimeSpan.FromMinutes(Math.Round((localTime - utcNow.TimeOfDay).TotalMinutes));
        while (offset > TimeSpan.FromHours(14))
        {
            offset -= TimeSpan.FromDays(1);
        }

        while (offset < TimeSpan.FromHours(-12))
        {
            offset += TimeSpan.FromDays(1);
        }

        return TimeZoneInfo.CreateCustomTimeZone("test", offset, "test", "test");
    }
}
