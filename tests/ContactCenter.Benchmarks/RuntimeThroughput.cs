using System.Diagnostics;
using System.Globalization;
using ContactCenter.Engine;
using ContactCenter.Hosting;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Diagnostics;
using ContactCenter.Runtime.Instances;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ContactCenter.Benchmarks;

/// <summary>
/// Commands per second through the whole runtime onto SQLite (load, decide, commit events +
/// snapshot + timers + outbox, many commands per transaction by group commit), with
/// synchronous=FULL (the default) and NORMAL side by side, next to the raw SQLite single-insert
/// commit rate (synchronous=NORMAL) measured in the same run, as the ceiling it is compared with.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --commands [--workers 16] [--seconds 10] [--telemetry] [--read-models-cost]</c>;
/// <c>--telemetry</c> measures FULL once more with OpenTelemetry listening (docs/operations.md);
/// <c>--read-models-cost</c> adds a NORMAL run with no read-model projection registered.
/// <c>--provider postgresql</c> measures the same load on a throwaway PostgreSQL of its own (fsync
/// on, durable commits) beside PostgreSQL's raw single-insert commit rate in the same run.
/// Each worker drives inbound-call conversations (no timers, so every command is a commit) from
/// start to end, taking "Tidak" at every decision. Bar (issue 11): with FULL and 16 writers, at
/// least 25 % of the raw rate and p99 at most 10 ms.
/// </remarks>
internal static class RuntimeThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var workers = LoadArgs.Int(args, "--workers", 16);
        var seconds = LoadArgs.Int(args, "--seconds", 10);
        switch (LoadArgs.After(args, "--provider")?.ToLowerInvariant())
        {
            case null or "sqlite":
                break;
            case "postgresql":
                return await RunOnPostgreSqlAsync(workers, seconds);
            default:
                throw new ArgumentException($"--provider takes sqlite or postgresql, not '{LoadArgs.After(args, "--provider")}'");
        }

        var root = Directory.CreateTempSubdirectory("cc-commands-").FullName;
        try
        {
            var ceiling = RawSqliteCommits(Path.Combine(root, "raw.db"), "NORMAL", TimeSpan.FromSeconds(3));
            var rawFull = RawSqliteCommits(Path.Combine(root, "raw-full.db"), "FULL", TimeSpan.FromSeconds(3));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw SQLite (WAL, one 1 KB insert per transaction, 1 thread): synchronous=NORMAL {ceiling:N0} commits/s (the ceiling), FULL {rawFull:N0} commits/s"));

            var full = await MeasureAsync(Path.Combine(root, "full"), SqliteSynchronous.Full, workers, seconds);
            var normal = await MeasureAsync(Path.Combine(root, "normal"), SqliteSynchronous.Normal, workers, seconds);
            if (args.Contains("--telemetry"))
            {
                // FULL waits on the disk; NORMAL is bound by CPU, where an overhead would show most.
                await MeasureTelemetryAsync(Path.Combine(root, "telemetry-full"), SqliteSynchronous.Full, workers, seconds);
                await MeasureTelemetryAsync(Path.Combine(root, "telemetry-normal"), SqliteSynchronous.Normal, workers, seconds);
            }

            if (args.Contains("--read-models-cost"))
            {
                // The same NORMAL run with no projection registered: what the read models cost a commit.
                var bare = await MeasureAsync(Path.Combine(root, "bare"), SqliteSynchronous.Normal, workers, seconds, readModels: false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"NORMAL without read models: {bare.PerSecond:N0} commands/s, p99 {bare.P99:N2} ms; with them {normal.PerSecond / bare.PerSecond:P0} of that"));
            }

            var share = full.PerSecond / ceiling;
            var met = share >= 0.25 && full.P99 <= 10;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"FULL: {share:P1} of the raw NORMAL rate (NORMAL: {normal.PerSecond / ceiling:P1})"));
            Console.WriteLine($"bar (commands, synchronous=FULL, {workers} writers: >= 25 % of raw NORMAL single inserts, p99 <= 10 ms): {(met ? "MET" : "MISSED")}");
            return met ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// The same load on PostgreSQL: a server of its own with fsync on (an acknowledged command is
    /// durable, as SQLite's FULL), its raw rate of one 1 KB insert per transaction from one
    /// connection measured first as the ceiling, then the runtime with the same workers.
    /// </summary>
    private static async Task<int> RunOnPostgreSqlAsync(int workers, int seconds)
    {
        await using var server = await ThrowawayPostgres.StartAsync(durable: true);
        var root = Directory.CreateTempSubdirectory("cc-commands-pg-").FullName;
        try
        {
            var ceiling = await RawPostgreSqlCommitsAsync(await server.CreateDatabaseAsync("raw"), TimeSpan.FromSeconds(3));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw PostgreSQL (fsync on, one 1 KB insert per transaction, 1 connection): {ceiling:N0} commits/s (the ceiling)"));
            var database = new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = await server.CreateDatabaseAsync("commands") };
            var run = await MeasureAsync(Path.Combine(root, "pg"), SqliteSynchronous.Full, workers, seconds, database: database);
            var share = run.PerSecond / ceiling;
            var met = share >= 0.25 && run.P99 <= 10;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PostgreSQL: {share:P1} of the raw single-insert rate"));
            Console.WriteLine($"bar (commands, PostgreSQL, {workers} writers: >= 25 % of raw single inserts, p99 <= 10 ms): {(met ? "MET" : "MISSED")}");
            return met ? 0 : 1;
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<double> RawPostgreSqlCommitsAsync(string connectionString, TimeSpan duration)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var setup = new Npgsql.NpgsqlCommand("CREATE TABLE rows (id bigserial PRIMARY KEY, body text NOT NULL)", connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        var body = new string('x', 1024);
        await using var insert = new Npgsql.NpgsqlCommand("INSERT INTO rows (body) VALUES (@body)", connection);
        insert.Parameters.AddWithValue("body", body);
        await insert.PrepareAsync();
        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            insert.Transaction = transaction;
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
            count++;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(double PerSecond, double P99)> MeasureAsync(string folder, SqliteSynchronous synchronous, int workers, int seconds, bool readModels = true, DatabaseOptions? database = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddContactCenter(o =>
        {
            o.DataFolder = folder;
            o.WorkflowsFolder = Path.Combine(Conversations.RepoRoot(), "workflows");
            o.RunOutbox = false;
            o.Synchronous = synchronous;
            o.Database = database ?? new DatabaseOptions();
        });
        if (!readModels)
        {
            builder.Services.RemoveAll<ContactCenter.Runtime.Storage.ICommitProjection>();
        }
        using var host = builder.Build();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<InstanceRuntime>();
        var store = host.Services.GetRequiredService<EfInstanceStore>();

        await DriveAsync(runtime, 1, TimeSpan.FromSeconds(2)); // warm-up: JIT, caches, pool
        await store.JournalsCompactedAsync();
        var transactionsBefore = store.WriteTransactions;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var (commands, events, latencies, elapsed) = await DriveAsync(runtime, workers, TimeSpan.FromSeconds(seconds));
        // The journals these commands ended are compacted in the background: their CPU counts too.
        await store.JournalsCompactedAsync();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var transactions = store.WriteTransactions - transactionsBefore;
        latencies.Sort();
        var p99 = Percentile(latencies, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"runtime, {(database?.Provider == DatabaseProvider.PostgreSql ? "PostgreSQL" : $"synchronous={synchronous.ToString().ToUpperInvariant()}")} ({workers} workers, {elapsed.TotalSeconds:N1} s): {commands / elapsed.TotalSeconds:N0} commands/s, {events / elapsed.TotalSeconds:N0} events/s, " +
            $"{(double)commands / Math.Max(1, transactions):N1} commands per transaction, {cpu.TotalMicroseconds / Math.Max(1, commands):N0} CPU-µs and {allocated / 1024.0 / Math.Max(1, commands):N0} KB allocated per command (process, all threads); latency p50 {Percentile(latencies, 0.50):N2} ms, p99 {p99:N2} ms, max {latencies[^1]:N2} ms"));
        if (database?.Provider == DatabaseProvider.PostgreSql)
        {
            await CountRoundTripsAsync(runtime, store, workers);
        }

        await host.StopAsync();
        return (commands / elapsed.TotalSeconds, p99);
    }

    /// <summary>
    /// Round trips to PostgreSQL per command, in a window of its own after the measured one (the
    /// listener costs CPU): every command or batch Npgsql executes starts one activity of its
    /// <c>Npgsql</c> source; each write transaction adds its COMMIT, which Npgsql does not trace.
    /// </summary>
    private static async Task CountRoundTripsAsync(InstanceRuntime runtime, EfInstanceStore store, int workers)
    {
        long executions = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            ActivityStarted = _ => Interlocked.Increment(ref executions),
        };
        ActivitySource.AddActivityListener(listener);
        var transactionsBefore = store.WriteTransactions;
        var (commands, _, _, _) = await DriveAsync(runtime, workers, TimeSpan.FromSeconds(3));
        var transactions = store.WriteTransactions - transactionsBefore;
        var perCommand = (Interlocked.Read(ref executions) + transactions) / (double)Math.Max(1, commands);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round trips to PostgreSQL: {perCommand:N1} per command ({Interlocked.Read(ref executions):N0} statements or batches and {transactions:N0} commits for {commands:N0} commands, {(double)commands / Math.Max(1, transactions):N1} commands per transaction; reads included)"));
    }

    /// <summary>
    /// The cost of the OpenTelemetry SDK listening to every instrument and recording every span (no
    /// exporter: exporting runs on its own thread, batched), on one host: windows without and
    /// with it alternate (ABBA), so a busy machine's drift falls on both alike.
    /// </summary>
    private static async Task MeasureTelemetryAsync(string folder, SqliteSynchronous synchronous, int workers, int seconds)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddContactCenter(o =>
        {
            o.DataFolder = folder;
            o.WorkflowsFolder = Path.Combine(Conversations.RepoRoot(), "workflows");
            o.RunOutbox = false;
            o.Synchronous = synchronous;
        });
        using var host = builder.Build();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<InstanceRuntime>();
        await DriveAsync(runtime, workers, TimeSpan.FromSeconds(3)); // warm-up: JIT tiers, caches, pool
        var window = TimeSpan.FromSeconds(Math.Max(2, seconds / 2.0));
        long[] commands = [0, 0];
        double[] elapsed = [0, 0];
        List<double>[] latencies = [[], []];
        long[] allocated = [0, 0]; // the process's, every thread: steadier than time on a busy machine
        // Off, on, on, off, off, on, on, off: a drift over the run (JIT tiers, the database growing)
        // falls on both sides alike.
        for (var round = 0; round < 8; round++)
        {
            var on = (round % 4) is 1 or 2;
            using var meters = on ? Sdk.CreateMeterProviderBuilder().AddMeter(Telemetry.Name).Build() : null;
            using var tracer = on ? Sdk.CreateTracerProviderBuilder().AddSource(Telemetry.Name).SetSampler(new AlwaysOnSampler()).Build() : null;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var (done, _, latency, took) = await DriveAsync(runtime, workers, window);
            var i = on ? 1 : 0;
            allocated[i] += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            commands[i] += done;
            elapsed[i] += took.TotalSeconds;
            latencies[i].AddRange(latency);
        }

        await host.StopAsync();
        latencies[0].Sort();
        latencies[1].Sort();
        var off = commands[0] / elapsed[0];
        var with = commands[1] / elapsed[1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"telemetry ({synchronous.ToString().ToUpperInvariant()}, {workers} workers, 4 windows of {window.TotalSeconds:N0} s each way, off-on-on-off twice): without {off:N0} commands/s, p50 {Percentile(latencies[0], 0.50):N2} ms, p99 {Percentile(latencies[0], 0.99):N2} ms, {allocated[0] / (double)commands[0] / 1024:N1} KB allocated per command; " +
            $"with OpenTelemetry listening (metrics + every span recorded) {with:N0} commands/s ({with / off - 1:+0.0%;-0.0%}), p50 {Percentile(latencies[1], 0.50):N2} ms, p99 {Percentile(latencies[1], 0.99):N2} ms, {allocated[1] / (double)commands[1] / 1024:N1} KB allocated per command"));
    }

    private static async Task<(long Commands, long Events, List<double> LatenciesMs, TimeSpan Elapsed)> DriveAsync(InstanceRuntime runtime, int workers, TimeSpan duration)
    {
        long commands = 0, events = 0;
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var instance = await runtime.StartAsync(new StartRequest { DefinitionKey = "inbound-call", Channel = "inbound-call", Agent = $"agent.{w}", Actor = $"agent.{w}" });
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                while (instance.Status == InstanceStatus.Running && clock.Elapsed < duration)
                {
                    // The state the runtime kept parsed when it committed this snapshot, as an in-process
                    // caller reads it (parsing the snapshot again here was a tenth of the run's CPU).
                    var item = runtime.StateOf(instance).WorkItems[0];
                    var outcome = item.Outcomes.Length == 0 ? null : item.Outcomes.Contains("Tidak") ? "Tidak" : item.Outcomes[0];
                    started = Stopwatch.GetTimestamp();
                    var before = instance.Version;
                    instance = await runtime.CompleteWorkItemAsync(instance.Id, item.Id, outcome, DocumentedData.For(item), $"agent.{w}", before);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Add(ref events, instance.Version - before);
                }
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }

            Interlocked.Add(ref commands, mine.Count);
        })));
        return (commands, events, latencies, clock.Elapsed);
    }

    private static double RawSqliteCommits(string path, string synchronous, TimeSpan duration)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL);";
            setup.ExecuteNonQuery();
        }

        var body = new string('x', 1024);
        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO rows (body) VALUES ($body)";
            insert.Parameters.AddWithValue("$body", body);
            insert.ExecuteNonQuery();
            transaction.Commit();
            count++;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static double Percentile(List<double> sorted, double share) => sorted[Math.Min(sorted.Count - 1, (int)(share * sorted.Count))];
}
