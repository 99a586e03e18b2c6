using System.Diagnostics;

namespace ContactCenter.Benchmarks;

/// <summary>Runs <c>total</c> actions spread at <c>rate</c> per second over a few workers: action n not before n / rate seconds.</summary>
internal static class Paced
{
    /// <summary>Runs them all and returns how long it took (longer than total / rate when the actions cannot keep up).</summary>
    public static async Task<TimeSpan> RunAsync(int total, int rate, int workers, Func<int, Task> action)
    {
        var clock = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var n = Interlocked.Increment(ref next) - 1;
                if (n >= total)
                {
                    return;
                }

                var at = TimeSpan.FromSeconds((double)n / rate);
                if (at > clock.Elapsed)
                {
                    await Task.Delay(at - clock.Elapsed);
                }

                await action(n);
            }
        })));
        return clock.Elapsed;
    }
}
