using Microsoft.Extensions.Logging;

namespace ContactCenter.Runtime.Diagnostics;

/// <summary>
/// A figure read from the database at most once per period, by whichever observable-instrument
/// callback asks first; a failed read is logged and the last value is reported again.
/// </summary>
/// <remarks>
/// Observable callbacks are synchronous, so the read is waited on; it runs at most once per period,
/// and a failure waits a period too: a scrape must not hammer a failing database.
/// </remarks>
public sealed class CachedFigure<T>(TimeProvider clock, ILogger logger, string what, Func<TimeSpan> maxAge, Func<Task<T>> read)
    where T : class
{
    private readonly Lock _lock = new();
    private T? _value;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public T? Get()
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (_value is null || now - _readAt >= maxAge())
            {
                try
                {
                    _value = read().GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    logger.LogWarning(e, "Reading the {What} figures for the metrics failed; the last ones are reported", what);
                }

                _readAt = now;
            }

            return _value;
        }
    }
}
