using System.Globalization;
using Quartz;

namespace ContactCenter.Scheduling;

/// <summary>The Quartz keys of timers: one durable job, one trigger per (instance, timer).</summary>
public static class TimerKeys
{
    /// <summary>The group of every timer trigger and of the job they fire.</summary>
    public const string Group = "timers";

    /// <summary>The one durable job every timer trigger fires.</summary>
    public static JobKey Job { get; } = new("fire-timer", Group);

    /// <summary>The trigger of a timer: group <c>timers</c>, name <c>{instanceId:N}-{timerId}</c>.</summary>
    public static TriggerKey Trigger(Guid instanceId, long timerId) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{instanceId:N}-{timerId}"), Group);

    /// <summary>Reads the instance and timer back from a trigger key; false for a key that is not a timer's.</summary>
    public static bool TryParse(TriggerKey key, out Guid instanceId, out long timerId)
    {
        ArgumentNullException.ThrowIfNull(key);
        instanceId = Guid.Empty;
        timerId = 0;
        var name = key.Name.AsSpan();
        return string.Equals(key.Group, Group, StringComparison.Ordinal)
            && name.Length > 33
            && name[32] == '-'
            && Guid.TryParseExact(name[..32], "N", out instanceId)
            && long.TryParse(name[33..], NumberStyles.None, CultureInfo.InvariantCulture, out timerId);
    }
}
