using System.Diagnostics;
using System.Globalization;
using ContactCenter.Runtime.Storage;
using ContactCenter.Scheduling;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Benchmarks;

/// <summary>
/// Timer lateness on the real scheduler: arms N one-minute timers in a fresh SQLite Quartz store,
/// records for every firing how late it came (fire time - due time), prints the distribution.
/// <c>dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --timers [count] [--spread seconds]</c>
/// (and, to try settings, <c>--lead seconds</c>, <c>--threads n</c>, <c>--batch n</c>).
/// </summary>
/// <remarks>
/// Timer i is due at <c>start + 60 s + i * spread / count</c>: one minute (the chat ladder's first
/// step) after arming began, spread evenly over <c>--spread</c> seconds (default 10). That is the
/// shape of a burst: 10,000 conversations going quiet within ten seconds asks for 1,000 firings a
/// second, far above the steady load, where the firing rate is the rate conversations go quiet.
/// <c>--spread 0</c> puts every timer on the same instant, the worst case, where lateness measures
/// only how fast the store drains a backlog.
/// </remarks>
internal static class TimerLateness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = LoadArgs.Int(args, "--timers", 10_000);
        var spread = TimeSpan.FromSeconds(LoadArgs.Double(args, "--spread", 10));
        var lead = TimeSpan.FromSeconds(LoadArgs.Double(args, "--lead", 60));

        var folder = Directory.CreateTempSubdirectory("cc-timer-lateness-").FullName;
        var sink = new LatenessSink(count);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<ITimerSink>(sink);
        builder.Services.AddContactCenterScheduling(o =>
        {
            o.DatabasePath = Path.Combine(folder, "quartz.db");
            o.MaxConcurrency = LoadArgs.Int(args, "--threads", o.MaxConcurrency);
            o.MaxBatchSize = LoadArgs.Int(args, "--batch", o.MaxBatchSize);
        });
        try
        {
            using var host = builder.Build();
            await host.StartAsync();
            var timers = host.Services.GetRequiredService<ITimerScheduler>();
            var settings = host.Services.GetRequiredService<TimerSchedulingOptions>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count:N0} timers due {lead.TotalSeconds:N0} s after arming starts, spread over {spread.TotalSeconds:N1} s; threads {settings.MaxConcurrency}, batch {(settings.MaxBatchSize == 0 ? "auto" : settings.MaxBatchSize)}, fire-ahead {settings.BatchFireAheadWindow.TotalMilliseconds:N0} ms, misfire threshold {settings.MisfireThreshold.TotalSeconds:N0} s"));

            var start = TimeProvider.System.GetUtcNow();
            var instanceId = Guid.NewGuid();
            var arming = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var due = start + lead + (count > 1 ? spread * i / (count - 1) : TimeSpan.Zero);
                sink.Due[i] = due;
                await timers.ScheduleAsync(new TimerRecord(instanceId, i, "Timer_Silence", due));
            }

            arming.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"armed {count:N0} in {arming.Elapsed.TotalSeconds:N2} s: {count / arming.Elapsed.TotalSeconds:N0} timers/s"));

            var last = start + lead + spread;
            var deadline = Stopwatch.StartNew();
            while (sink.Fired < count && deadline.Elapsed < lead + spread + TimeSpan.FromMinutes(3))
            {
                await Task.Delay(200);
            }

            // A moment more, to catch a duplicate firing.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var drained = sink.LastFiredAt - last;
            await host.StopAsync();

            var lateness = sink.Lateness().Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fired {lateness.Length:N0} of {count:N0} (duplicates {sink.Duplicates}); last firing {drained.TotalMilliseconds:N0} ms after the last due time"));
            if (lateness.Length > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"lateness ms: min {lateness[0]:N1}  p50 {Percentile(lateness, 0.50):N1}  p95 {Percentile(lateness, 0.95):N1}  p99 {Percentile(lateness, 0.99):N1}  max {lateness[^1]:N1}"));
                var p99 = Percentile(lateness, 0.99);
                Console.WriteLine(p99 < 1000 ? "bar (p99 < 1 s): met" : "bar (p99 < 1 s): MISSED");
            }

            return lateness.Length == count && sink.Duplicates == 0 ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Records each timer's first firing time; later firings of the same timer count as duplicates.</summary>
    private sealed class LatenessSink(int count) : ITimerSink
    {
        private readonly long[] firedAtTicks = new long[count];
        private int fired;
        private int duplicates;
        private long lastFiredTicks;

        public DateTimeOffset[] Due { get; } = new DateTimeOffset[count];

        public int Fired => Volatile.Read(ref fired);

        public int Duplicates => Volatile.Read(ref duplicates);

        public DateTimeOffset LastFiredAt => new(Interlocked.Read(ref lastFiredTicks), TimeSpan.Zero);

        public Task FireAsync(Guid instanceId, long timerId, CancellationToken cancellationToken = default)
        {
            var now = TimeProvider.System.GetUtcNow().UtcTicks;
            if (Interlocked.CompareExchange(ref firedAtTicks[timerId], now, 0) == 0)
            {
                Interlocked.Increment(ref fired);
            }
            else
            {
                Interlocked.Increment(ref duplicates);
            }

            long seen;
            while ((seen = Interlocked.Read(ref lastFiredTicks)) < now && Interlocked.CompareExchange(ref lastFiredTicks, now, seen) != seen)
            {
            }

            return Task.CompletedTask;
        }

        public IEnumerable<double> Lateness()
        {
            for (var i = 0; i < firedAtTicks.Length; i++)
            {
                if (firedAtTicks[i] != 0)
                {
                    yield return (new DateTimeOffset(firedAtTicks[i], TimeSpan.Zero) - Due[i]).TotalMilliseconds;
                }
            }
        }
    }
}
