using System.Diagnostics;
using System.Globalization;
using ContactCenter.Engine;
using ContactCenter.Hosting;
using ContactCenter.Runtime.Instances;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Benchmarks;

/// <summary>
/// Commands per second through the whole runtime onto SQLite (load, decide, commit events +
/// snapshot + timers + outbox in one transaction), next to the raw SQLite commit rate of the
/// same file settings measured in the same run, as the ceiling it is compared with.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --commands [--workers 4] [--seconds 10]</c>.
/// Each worker drives inbound-call conversations (no timers, so every command is a commit) from
/// start to end, taking "Tidak" at every decision.
/// </remarks>
internal static class RuntimeThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var workers = LoadArgs.Int(args, "--workers", 4);
        var seconds = LoadArgs.Int(args, "--seconds", 10);
        var root = Directory.CreateTempSubdirectory("cc-commands-").FullName;
        try
        {
            var ceiling = RawSqliteCommits(Path.Combine(root, "raw.db"), TimeSpan.FromSeconds(3));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw SQLite (WAL, synchronous=NORMAL, one 1 KB insert per transaction, 1 thread): {ceiling:N0} commits/s"));

            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddContactCenter(o =>
            {
                o.DataFolder = Path.Combine(root, "data");
                o.WorkflowsFolder = Path.Combine(Conversations.RepoRoot(), "workflows");
                o.RunOutbox = false;
            });
            using var host = builder.Build();
            await host.StartAsync();
            var runtime = host.Services.GetRequiredService<InstanceRuntime>();

            await DriveAsync(runtime, 1, TimeSpan.FromSeconds(2)); // warm-up: JIT, caches, pool
            var (commands, events, latencies, elapsed) = await DriveAsync(runtime, workers, TimeSpan.FromSeconds(seconds));
            latencies.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"runtime onto SQLite ({workers} workers, {elapsed.TotalSeconds:N1} s): {commands / elapsed.TotalSeconds:N0} commands/s, {events / elapsed.TotalSeconds:N0} events/s; " +
                $"latency p50 {Percentile(latencies, 0.50):N2} ms, p99 {Percentile(latencies, 0.99):N2} ms, max {latencies[^1]:N2} ms"));
            await host.StopAsync();
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
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

    private static double RawSqliteCommits(string path, TimeSpan duration)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL);";
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
