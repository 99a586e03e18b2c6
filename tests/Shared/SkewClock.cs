namespace ContactCenter.Tests;

/// <summary>
/// The real clock, moved forward on demand: a whole server keeps running in real time (Kestrel,
/// Quartz, browsers) while a test jumps it past a timer's due time, since a timer never fires
/// before it is due. It only moves forward.
/// </summary>
public sealed class SkewClock : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;

    /// <summary>Moves the clock forward by <paramref name="by"/>.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref offsetTicks, by.Ticks);
    }

    /// <summary>Moves the clock forward to <paramref name="instant"/> if it is not there yet.</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        var behind = instant - GetUtcNow();
        if (behind > TimeSpan.Zero)
        {
            Advance(behind);
        }
    }

    /// <summary>
    /// A test that reads a day's figures before and after its work must not straddle local
    /// midnight, or its work lands on the next day (a full run at 23:59 in Jakarta failed so):
    /// when <paramref name="zone"/>'s midnight is less than <paramref name="margin"/> away, the
    /// clock moves on to just after it (forward, as a day passes).
    /// </summary>
    public void KeepOffLocalMidnight(TimeZoneInfo zone, TimeSpan margin)
    {
        var local = TimeZoneInfo.ConvertTime(GetUtcNow(), zone);
        var midnight = new DateTimeOffset(local.Date.AddDays(1), local.Offset);
        if (midnight - local < margin)
        {
            AdvanceTo(midnight.AddSeconds(1));
        }
    }
}
