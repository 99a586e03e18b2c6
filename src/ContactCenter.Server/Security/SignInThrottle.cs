namespace ContactCenter.Server.Security;

/// <summary>
/// Growing delays after failed sign-ins, per user name and client address: after
/// <see cref="FreeFailures"/> failures in a row, the next attempt from that address for that name
/// must wait 1 s, then 2 s, 4 s, … up to <see cref="MaxDelay"/>. A success clears the count.
/// </summary>
/// <remarks>
/// This replaces Identity's account lockout, which let anyone lock any named account (admin
/// included) by typing ten wrong passwords: a delay keyed by the client address slows a guesser
/// without shutting the real user out from their own desk. Spraying many names from one address
/// is the per-address rate limiter's job (<see cref="SecurityServiceCollectionExtensions"/>).
/// The table is bounded (<see cref="MaxEntries"/>, the stalest dropped first) so a flood of
/// made-up names cannot grow it without end.
/// </remarks>
public sealed class SignInThrottle(TimeProvider clock)
{
    /// <summary>Failures allowed before a delay starts. Default is 3.</summary>
    public const int FreeFailures = 3;

    /// <summary>The longest delay. Default is 15 minutes.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>Entries kept at most. Default is 10,000.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>How long an entry without a new failure is kept. Default is one hour.</summary>
    public static readonly TimeSpan Forget = TimeSpan.FromHours(1);

    private readonly Dictionary<(string User, string Address), Entry> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>How long the caller must still wait before trying <paramref name="userName"/> from <paramref name="address"/>; zero when it may try now.</summary>
    public TimeSpan WaitBefore(string userName, string address)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.TryGetValue(Key(userName, address), out var entry) || entry.Failures < FreeFailures)
            {
                return TimeSpan.Zero;
            }

            var wait = entry.LastFailure + DelayAfter(entry.Failures) - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
    }

    public void Failed(string userName, string address)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var key = Key(userName, address);
            var failures = _entries.TryGetValue(key, out var entry) && now - entry.LastFailure < Forget ? entry.Failures : 0;
            _entries[key] = new Entry(failures + 1, now);
            if (_entries.Count > MaxEntries)
            {
                Prune(now);
            }
        }
    }

    public void Succeeded(string userName, string address)
    {
        lock (_lock)
        {
            _entries.Remove(Key(userName, address));
        }
    }

    /// <summary>The delay after <paramref name="failures"/> failures in a row: 1 s after the first over <see cref="FreeFailures"/>, doubling, capped.</summary>
    public static TimeSpan DelayAfter(int failures)
    {
        if (failures < FreeFailures)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(failures - FreeFailures, 20);
        var seconds = Math.Min(1L << exponent, (long)MaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var key in _entries.Where(e => now - e.Value.LastFailure >= Forget).Select(e => e.Key).ToList())
        {
            _entries.Remove(key);
        }

        if (_entries.Count > MaxEntries)
        {
            foreach (var key in _entries.OrderBy(e => e.Value.LastFailure).Take(_entries.Count - MaxEntries).Select(e => e.Key).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    private static (string, string) Key(string userName, string address) => (userName.Trim().ToUpperInvariant(), address);

    private readonly record struct Entry(int Failures, DateTimeOffset LastFailure);
}
