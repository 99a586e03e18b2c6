using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Hosting;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Benchmarks;

/// <summary>
/// Timer lateness through the whole runtime: timer rows in the instance database, drained by the
/// Quartz shard jobs, each firing a full runtime command (load, decide, commit).
/// <c>dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --timers [--armed 1000000] [--rate 1000] [--seconds 60]</c>
/// and the SLA-boundary burst: <c>-- --timers --burst 10000</c>.
/// </summary>
/// <remarks>
/// Steady mode: <c>--armed</c> timer rows due tomorrow are written first (bulk, with their instance
/// rows), so the drains work against a table of that size; then conversations start at
/// <c>--rate</c> per second for <c>--seconds</c>, each arming a one-minute timer, so the same rate
/// falls due a minute later. Burst mode: <c>--burst</c> instances are started on a held clock, so
/// all their timers fall due at one instant; the clock is then let go. Lateness is the firing
/// command's time minus the timer's due time, as the journal records it.
/// </remarks>
internal static class TimerLateness
{
    private static readonly TimeSpan Lead = TimeSpan.FromMinutes(1);

    public static async Task<int> RunAsync(string[] args)
    {
        var burst = LoadArgs.Int(args, "--burst", 0);
        var armed = LoadArgs.Int(args, "--armed", burst > 0 ? 0 : 1_000_000);
        var rate = LoadArgs.Int(args, "--rate", 1000);
        var seconds = LoadArgs.Int(args, "--seconds", 60);
        var root = Directory.CreateTempSubdirectory("cc-timer-lateness-").FullName;
        var workflows = Directory.CreateDirectory(Path.Combine(root, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(workflows, "wait.bpmn"), WaitFlow.Bpmn);
        var clock = new HeldClock();
        var observer = new FiringObserver();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IInstanceObserver>(observer);
        builder.Services.AddContactCenter(o =>
        {
            o.DataFolder = Path.Combine(root, "data");
            o.WorkflowsFolder = workflows;
            o.RunOutbox = false;
        });
        try
        {
            using var host = builder.Build();
            await host.StartAsync();
            var runtime = host.Services.GetRequiredService<InstanceRuntime>();
            var options = host.Services.GetRequiredService<ContactCenterOptions>();
            if (armed > 0)
            {
                var bulk = Stopwatch.StartNew();
                BulkArm(Path.Combine(options.DataFolder, "contactcenter.db"), armed, options.Timers.Shards);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"armed {armed:N0} timer rows due tomorrow in {bulk.Elapsed.TotalSeconds:N1} s (bulk insert, with their instance rows)"));
            }

            int expected;
            TimeSpan window;
            if (burst > 0)
            {
                clock.Hold();
                var starting = Stopwatch.StartNew();
                await Parallel.ForEachAsync(Enumerable.Range(0, burst), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                    observer.Armed(await runtime.StartAsync(new StartRequest { DefinitionKey = "wait", Channel = "test" }, ct)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{burst:N0} timers armed for one instant in {starting.Elapsed.TotalSeconds:N1} s; clock let go {Lead.TotalSeconds:N0} s before it"));
                clock.Release();
                expected = burst;
                window = Lead;
            }
            else
            {
                var total = rate * seconds;
                var took = await Paced.RunAsync(total, rate, 16, async _ =>
                    observer.Armed(await runtime.StartAsync(new StartRequest { DefinitionKey = "wait", Channel = "test" })));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total:N0} conversations started in {took.TotalSeconds:N1} s ({total / took.TotalSeconds:N0}/s), each arming a one-minute timer"));
                expected = total;
                window = Lead;
            }

            var waiting = Stopwatch.StartNew();
            while (observer.Fired < expected && waiting.Elapsed < window + TimeSpan.FromMinutes(3))
            {
                await Task.Delay(200);
            }

            // A moment more, to catch a duplicate firing.
            await Task.Delay(TimeSpan.FromSeconds(2));
            await host.StopAsync();

            var lateness = observer.Lateness().Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fired {lateness.Length:N0} of {expected:N0} (duplicates {observer.Duplicates}); pending rows at the end: {armed:N0} expected tomorrow"));
            if (lateness.Length == 0)
            {
                Console.WriteLine("bar (timers fired): MISSED");
                return 1;
            }

            var p99 = Percentile(lateness, 0.99);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"lateness ms: min {lateness[0]:N1}  p50 {Percentile(lateness, 0.50):N1}  p95 {Percentile(lateness, 0.95):N1}  p99 {p99:N1}  max {lateness[^1]:N1}"));
            var whole = lateness.Length == expected && observer.Duplicates == 0;
            var met = burst > 0 ? whole && lateness[^1] < 10_000 : whole && p99 < 1000;
            var what = burst > 0
                ? $"{burst:N0} due at one instant all fired within 10 s, none lost, none twice"
                : $"{rate:N0} due/s for {seconds} s with {armed:N0} armed: p99 lateness < 1 s, none lost, none twice";
            Console.WriteLine($"bar ({what}): {(met ? "MET" : "MISSED")}");
            return met ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Writes <paramref name="count"/> waiting instances, each with one timer row due in a day, in one transaction.</summary>
    internal static void BulkArm(string databasePath, int count, int shards)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var instance = connection.CreateCommand();
        instance.CommandText = """
            INSERT INTO instances (id, definition_key, definition_version, channel, status, version, snapshot, pinned_versions, started_at, updated_at)
            VALUES ($id, 'wait', 1, 'test', 'Running', 1, '{}', '{"wait":1}', $now, $now)
            """;
        using var timer = connection.CreateCommand();
        timer.CommandText = "INSERT INTO pending_timers (instance_id, timer_id, element_id, due_at, shard, attempts) VALUES ($id, 1, 'T', $due, $shard, 0)";
        var id = instance.Parameters.Add("$id", SqliteType.Text);
        var now = instance.Parameters.Add("$now", SqliteType.Integer);
        var timerId = timer.Parameters.Add("$id", SqliteType.Text);
        var due = timer.Parameters.Add("$due", SqliteType.Integer);
        var shard = timer.Parameters.Add("$shard", SqliteType.Integer);
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var guid = Guid.CreateVersion7();
            id.Value = timerId.Value = guid.ToString().ToUpperInvariant();
            now.Value = start.UtcTicks;
            due.Value = start.AddDays(1).AddMilliseconds(i).UtcTicks;
            shard.Value = Runtime.Timers.TimerShards.Of(guid, shards);
            instance.ExecuteNonQuery();
            timer.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>The real clock, which can be held still (every timer armed meanwhile is due at one instant) and let go again.</summary>
    private sealed class HeldClock : TimeProvider
    {
        private long heldTicks;
        private long offsetTicks;

        public override DateTimeOffset GetUtcNow()
        {
            var held = Interlocked.Read(ref heldTicks);
            return held != 0 ? new DateTimeOffset(held, TimeSpan.Zero) : System.GetUtcNow() - TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
        }

        public void Hold() => Interlocked.Exchange(ref heldTicks, System.GetUtcNow().UtcTicks);

        /// <summary>Runs again from the instant it was held at.</summary>
        public void Release()
        {
            Interlocked.Exchange(ref offsetTicks, System.GetUtcNow().UtcTicks - Interlocked.Read(ref heldTicks));
            Interlocked.Exchange(ref heldTicks, 0);
        }
    }

    /// <summary>Each timer's due time when armed and its firing time from the journal; a second firing counts as a duplicate.</summary>
    private sealed class FiringObserver : IInstanceObserver
    {
        private readonly ConcurrentDictionary<Guid, DateTimeOffset> due = new();
        private readonly ConcurrentDictionary<Guid, DateTimeOffset> fired = new();
        private int duplicates;

        public int Fired => fired.Count;

        public int Duplicates => Volatile.Read(ref duplicates);

        public void Armed(InstanceRecord instance) =>
            due[instance.Id] = InstanceState.FromJson(instance.Snapshot).Timers.Single().DueAt;

        public void Committed(InstanceRecord instance, IReadOnlyList<WorkflowEvent> events)
        {
            foreach (var e in events.OfType<TimerFired>())
            {
                if (!fired.TryAdd(instance.Id, e.At))
                {
                    Interlocked.Increment(ref duplicates);
                }
            }
        }

        public IEnumerable<double> Lateness() =>
            fired.Select(f => due.TryGetValue(f.Key, out var d) ? (f.Value - d).TotalMilliseconds : double.NaN).Where(l => !double.IsNaN(l));
    }
}
