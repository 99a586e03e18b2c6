using System.Diagnostics;
using System.Globalization;
using ContactCenter.Engine;
using ContactCenter.Hosting;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Instances;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Benchmarks;

/// <summary>
/// Commands per second through the whole runtime onto SQLite (load, decide, commit events +
/// snapshot + timers + outbox, many commands per transaction by group commit), with
/// synchronous=FULL (the default) and NORMAL side by side, next to the raw SQLite single-insert
/// commit rate (synchronous=NORMAL) measured in the same run, as the ceiling it is compared with.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --commands [--workers 16] [--seconds 10] [--read-models-cost]</c> (the last adds a NORMAL run with no read-model projection registered).
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
        var root = Directory.CreateTempSubdirectory("cc-commands-").FullName;
        try
        {
            var ceiling = RawSqliteCommits(Path.Combine(root, "raw.db"), "NORMAL", TimeSpan.FromSeconds(3));
            var rawFull = RawSqliteCommits(Path.Combine(root, "raw-full.db"), "FULL", TimeSpan.FromSeconds(3));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw SQLite (WAL, one 1 KB insert per transaction, 1 thread): synchronous=NORMAL {ceiling:N0} commits/s (the ceiling), FULL {rawFull:N0} commits/s"));

            var full = await MeasureAsync(Path.Combine(root, "full"), SqliteSynchronous.Full, workers, seconds);
            var normal = await MeasureAsync(Path.Combine(root, "normal"), SqliteSynchronous.Normal, workers, seconds);
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

    private static async Task<(double PerSecond, double P99)> MeasureAsync(string folder, SqliteSynchronous synchronous, int workers, int seconds, bool readModels = true)
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
        if (!readModels)
        {
            builder.Services.RemoveAll<ContactCenter.Runtime.Storage.ICommitProjection>();
        }
        using var host = builder.Build();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<InstanceRuntime>();
        var store = host.Services.GetRequiredService<EfInstanceStore>();

        await DriveAsync(runtime, 1, TimeSpan.FromSeconds(2)); // warm-up: JIT, caches, pool
        var transactionsBefore = store.WriteTransactions;
        var (commands, events, latencies, elapsed) = await DriveAsync(runtime, workers, TimeSpan.FromSeconds(seconds));
        var transactions = store.WriteTransactions - transactionsBefore;
        latencies.Sort();
        var p99 = Percentile(latencies, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"runtime, synchronous={synchronous.ToString().ToUpperInvariant()} ({workers} workers, {elapsed.TotalSeconds:N1} s): {commands / elapsed.TotalSeconds:N0} commands/s, {events / elapsed.TotalSeconds:N0} events/s, " +
            $"{(double)commands / Math.Max(1, transactions):N1} commands per transaction; latency p50 {Percentile(latencies, 0.50):N2} ms, p99 {p99:N2} ms, max {latencies[^1]:N2} ms"));
        await host.StopAsync();
        return (commands / elapsed.TotalSeconds, p99);
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
                    var item = InstanceState.FromJson(instance.Snapshot).WorkItems[0];
                    var outcome = item.Outcomes.Length == 0 ? null : item.Outcomes.Contains("Tidak") ? "Tidak" : item.Outcomes[0];
                    started = Stopwatch.GetTimestamp();
                    var before = instance.Version;
                    instance = await runtime.CompleteWorkItemAsync(instance.Id, item.Id, outcome, null, $"agent.{w}", before);
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
