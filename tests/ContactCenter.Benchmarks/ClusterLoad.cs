using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Hosting;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Instances;
using ContactCenter.Tests;
using ContactCenter.Tests.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ContactCenter.Benchmarks;

/// <summary>
/// <c>--cluster</c>: several server nodes (built <c>ContactCenter.Server.dll</c>, child processes) on
/// one durable throwaway PostgreSQL 15, started by the benchmark itself.
/// <list type="number">
/// <item>The raw PostgreSQL insert rate: 16 sessions, one single-row INSERT per transaction.</item>
/// <item>Commands/s through 1, 2 and 3 nodes: the HTTP conversation load (signed webhook,
/// agents' API) split over the nodes, the same total concurrency each time; a command is an
/// acknowledged customer message or task completion. The 1 → 3 ratio.</item>
/// <item>Timers on 3 nodes: <c>--rate</c> (1,000) timers due per second for <c>--timer-seconds</c>
/// (20), armed beforehand by a process of its own (no scheduler), one node killed with SIGKILL
/// half-way through the firing (<c>--timer-nodes 1</c>: one node, none killed): lateness (the
/// firing's time minus the due time, from the journals) p50/p99, lost, twice; the CPU per start
/// in the armer and per firing in the nodes and in PostgreSQL.</item>
/// </list>
/// Ends with <c>bar (cluster timers …): MET|MISSED</c> (p99 &lt; 1 s, none lost, none twice).
/// </summary>
internal static class ClusterLoad
{
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(40);

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = LoadArgs.Int(args, "--seconds", 20);
        var concurrency = LoadArgs.Int(args, "--concurrency", 24);
        var rate = LoadArgs.Int(args, "--rate", 1000);
        var timerSeconds = LoadArgs.Int(args, "--timer-seconds", 20);
        var timerNodes = LoadArgs.Int(args, "--timer-nodes", 3);
        var skipCommands = args.Contains("--timers-only");
        var skipTimers = args.Contains("--commands-only");
        var rounds = LoadArgs.Int(args, "--rounds", 2);
        var root = Directory.CreateTempSubdirectory("cc-cluster-").FullName;
        await using var server = await ThrowawayPostgres.StartAsync(durable: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PostgreSQL 15 on 127.0.0.1:{server.Port} (fsync on); Environment.ProcessorCount = {Environment.ProcessorCount}: nodes, PostgreSQL and this client share these cores"));
        try
        {
            var workflows = SilenceWorkflows.CopyWithSilence(Path.Combine(root, "workflows"), TimeSpan.FromSeconds(20));
            await File.WriteAllTextAsync(Path.Combine(workflows, "cluster-wait.bpmn"), WaitBpmn(Lead));
            if (!skipCommands)
            {
                var raw = await RawInsertRateAsync(await server.CreateDatabaseAsync("raw"), 16, TimeSpan.FromSeconds(5));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw PostgreSQL: {raw:N0} single-row inserts/s (16 sessions, a transaction each)"));
                // Rounds of 1, 2, 3 nodes in turn: a machine whose load changes meanwhile (other builds)
                // shows as a spread between rounds rather than as a trend across node counts.
                var perNodes = new Dictionary<int, List<double>> { [1] = [], [2] = [], [3] = [] };
                for (var round = 1; round <= rounds; round++)
                {
                    foreach (var nodes in new[] { 1, 2, 3 })
                    {
                        var rate1 = await CommandsAsync(root, workflows, await server.CreateDatabaseAsync($"commands{nodes}r{round}"), nodes, concurrency, seconds, $"r{round}n{nodes}");
                        perNodes[nodes].Add(rate1);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}, {nodes} node(s): {rate1:N0} commands/s ({rate1 / raw * 100:N1} % of raw); load average {LoadAverage()}"));
                    }
                }

                var best = perNodes.ToDictionary(p => p.Key, p => p.Value.Max());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"best of {rounds}: 1 node {best[1]:N0}, 2 nodes {best[2]:N0}, 3 nodes {best[3]:N0} commands/s; raw {raw:N0} inserts/s; scaling 1 → 3 nodes {best[3] / best[1]:N2}x (the nodes share {Environment.ProcessorCount} cores with PostgreSQL and the client)"));
            }

            if (skipTimers)
            {
                Console.WriteLine("bar (cluster timers): MISSED (not measured: --commands-only)");
                return 1;
            }

            return await TimersAsync(root, workflows, await server.CreateDatabaseAsync("timers"), rate, timerSeconds, server.DataDirectory, timerNodes);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static string WaitBpmn(TimeSpan wait) => WaitFlow.Bpmn
        .Replace("id=\"wait\"", "id=\"cluster-wait\"", StringComparison.Ordinal)
        .Replace("defs-wait", "defs-cluster-wait", StringComparison.Ordinal)
        .Replace("PT1M", string.Create(CultureInfo.InvariantCulture, $"PT{wait.TotalSeconds:0}S"), StringComparison.Ordinal);

    private static async Task<double> RawInsertRateAsync(string connectionString, int sessions, TimeSpan duration)
    {
        await using (var setUp = new NpgsqlConnection(connectionString))
        {
            await setUp.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE raw_rows (id bigserial PRIMARY KEY, instance_id uuid NOT NULL, body text NOT NULL)", setUp);
            await create.ExecuteNonQueryAsync();
        }

        long inserted = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, sessions).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO raw_rows (instance_id, body) VALUES ($1, $2)", connection);
            var id = insert.Parameters.Add(new NpgsqlParameter { Value = Guid.Empty });
            insert.Parameters.Add(new NpgsqlParameter { Value = "{\"type\":\"message-received@1\",\"text\":\"Halo\"}" });
            await insert.PrepareAsync();
            while (clock.Elapsed < duration)
            {
                id.Value = Guid.CreateVersion7();
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref inserted);
            }
        }));
        return inserted / clock.Elapsed.TotalSeconds;
    }

    private static async Task<IReadOnlyList<ServerProcess>> StartNodesAsync(string root, string workflows, string database, int count, string tag)
    {
        var nodes = new List<ServerProcess>();
        for (var i = 0; i < count; i++)
        {
            var folder = Path.Combine(root, $"{tag}-node{i}");
            Directory.CreateDirectory(folder);
            if (i > 0)
            {
                // The demo users are in the shared database since the first node's start.
                File.Copy(Path.Combine(root, $"{tag}-node0", "demo-users.json"), Path.Combine(folder, "demo-users.json"));
            }

            nodes.Add(await ServerProcess.StartAsync(new ServerProcessOptions
            {
                DataFolder = folder,
                WorkflowsFolder = workflows,
                ExtraArguments =
                [
                    "--ContactCenter:Database:Provider", "PostgreSql", "--ContactCenter:Database:ConnectionString", database,
                    "--Serilog:MinimumLevel:Default", "Warning", "--ContactCenter:SignInAttemptsPerMinute", "1000",
                ],
            }));
        }

        return nodes;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static async Task<double> CommandsAsync(string root, string workflows, string database, int count, int concurrency, int seconds, string tag)
    {
        var nodes = await StartNodesAsync(root, workflows, database, count, tag);
        try
        {
            var ledger = new AckLedger();
            var stats = new LoadStats();
            var loads = new List<ConversationLoad>();
            foreach (var node in nodes)
            {
                loads.Add(await ConversationLoad.CreateAsync(node, ledger, stats));
            }

            using var stop = new CancellationTokenSource();
            // Warm-up: a few seconds of load before counting.
            var running = loads.Select((l, i) => l.RunAsync(concurrency / count + (i < concurrency % count ? 1 : 0), stop.Token)).ToList();
            await Task.Delay(TimeSpan.FromSeconds(3));
            var before = ledger.Commands;
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var commands = ledger.Commands - before;
            var elapsed = clock.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            await Task.WhenAll(running);
            var errors = stats.Errors.Sum(e => e.Value);
            if (errors > 0)
            {
                Console.WriteLine("  errors: " + string.Join(", ", stats.Errors.Select(e => $"{e.Key}: {e.Value}")));
            }

            foreach (var load in loads)
            {
                load.Dispose();
            }

            return commands / elapsed;
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    /// <param name="nodeCount">3 for the figure; 1 measures what one node fires (nothing is killed then).</param>
    private static async Task<int> TimersAsync(string root, string workflows, string database, int rate, int seconds, string postgresData, int nodeCount)
    {
        var nodes = await StartNodesAsync(root, workflows, database, nodeCount, "timers");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddContactCenter(o =>
        {
            o.DataFolder = Path.Combine(root, "armer");
            o.WorkflowsFolder = workflows;
            o.Database.Provider = DatabaseProvider.PostgreSql;
            o.Database.ConnectionString = database;
            // Arms only: the three nodes drain.
            o.RunScheduler = false;
            o.RunOutbox = false;
        });
        using var armer = builder.Build();
        await armer.StartAsync();
        try
        {
            var runtime = armer.Services.GetRequiredService<InstanceRuntime>();
            var due = new ConcurrentDictionary<Guid, DateTimeOffset>();
            var total = rate * seconds;
            var armerCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var postgresCpu = PostgresCpu(postgresData);
            var arming = await Paced.RunAsync(total, rate, 32, async _ =>
            {
                var record = await runtime.StartAsync(new StartRequest { DefinitionKey = "cluster-wait", Channel = "test" });
                due[record.Id] = InstanceState.FromJson(record.Snapshot).Timers.Single().DueAt;
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"timers: {total:N0} armed in {arming.TotalSeconds:N1} s ({total / arming.TotalSeconds:N0}/s; asked {rate:N0}/s), each due {Lead.TotalSeconds:N0} s after its start"));
            armerCpu = Process.GetCurrentProcess().TotalProcessorTime - armerCpu;
            var postgresArmingCpu = PostgresCpu(postgresData) - postgresCpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  arming cost {armerCpu.TotalMicroseconds / total:N0} CPU-µs per start in the armer and {postgresArmingCpu.TotalMicroseconds / total:N0} in PostgreSQL{(arming > Lead ? " (PostgreSQL's includes the firings of the timers already due)" : "")}"));
            var nodesCpu = nodes.Select(n => n.CpuTime()).ToArray();
            postgresCpu = PostgresCpu(postgresData);
            var pendingAfterArming = await CountPendingTimersAsync(database);
            if (arming > Lead)
            {
                Console.WriteLine("  arming took longer than the lead: the first timers were already due while the rest were armed");
            }

            // Kill one node half-way through the firing window.
            var first = due.Values.Min();
            var last = due.Values.Max();
            var killAt = first + (last - first) / 2;
            var wait = killAt - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var victimShards = new HashSet<int>();
            var victimCpu = TimeSpan.Zero;
            if (nodeCount > 1)
            {
                var leasesBefore = await ShardLeaseProbe.ReadAsync(database);
                victimCpu = nodes[1].CpuTime() - nodesCpu[1];
                nodes[1].Kill();
                var killed = Stopwatch.StartNew();
                IReadOnlyList<(int Pid, int Shard)> leasesAfter;
                do
                {
                    await Task.Delay(20);
                    leasesAfter = await ShardLeaseProbe.ReadAsync(database);
                }
                while ((leasesAfter.Select(l => l.Pid).Distinct().Count() != nodeCount - 1 || leasesAfter.Select(l => l.Shard).Distinct().Count() != 8) && killed.Elapsed < TimeSpan.FromSeconds(60));
                var takeover = killed.Elapsed;
                victimShards = leasesBefore.Where(l => !leasesAfter.Any(a => a.Pid == l.Pid)).Select(l => l.Shard).ToHashSet();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  kill -9 of node 1 (pid {nodes[1].Id}) at {(killAt - first).TotalSeconds:N1} s into the firing; its shards {string.Join(",", victimShards.Order())} held by the survivors {takeover.TotalMilliseconds:N0} ms later"));
            }

            // Fired = the instance completed (the flow ends after its timer); read from the database.
            var deadline = last + TimeSpan.FromSeconds(60);
            var lateness = new ConcurrentDictionary<Guid, double>();
            var duplicates = 0;
            while (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                if (await CountPendingTimersAsync(database) == 0)
                {
                    break;
                }
            }

            // What firing cost, from the end of arming until every row was gone (the nodes' polling included).
            var firingCpu = victimCpu;
            for (var i = 0; i < nodeCount; i++)
            {
                firingCpu += nodeCount > 1 && i == 1 ? TimeSpan.Zero : nodes[i].CpuTime() - nodesCpu[i];
            }

            var postgresFiringCpu = PostgresCpu(postgresData) - postgresCpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  firing cost ({pendingAfterArming:N0} timers fired after the arming ended) {firingCpu.TotalMicroseconds / Math.Max(1, pendingAfterArming):N0} CPU-µs per timer in the nodes (summed) and {postgresFiringCpu.TotalMicroseconds / Math.Max(1, pendingAfterArming):N0} in PostgreSQL: {rate:N0}/s needs {(firingCpu + postgresFiringCpu).TotalSeconds / Math.Max(1, pendingAfterArming) * rate:N2} cores of the {Environment.ProcessorCount}"));

            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (pair, ct) =>
            {
                var journal = await runtime.ReadJournalAsync(pair.Key, ct);
                var firings = journal.OfType<TimerFired>().ToList();
                if (firings.Count > 1)
                {
                    Interlocked.Add(ref duplicates, firings.Count - 1);
                }

                if (firings.Count > 0)
                {
                    lateness[pair.Key] = (firings[0].At - pair.Value).TotalMilliseconds;
                }
            });
            var sorted = lateness.Values.Order().ToArray();
            var ofVictim = lateness.Where(l => victimShards.Contains(Runtime.Timers.TimerShards.Of(l.Key, 8))).Select(l => l.Value).Order().ToArray();
            var ofOthers = lateness.Where(l => !victimShards.Contains(Runtime.Timers.TimerShards.Of(l.Key, 8))).Select(l => l.Value).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  p99 lateness ms: the killed node's shards {ClusterOwnership.Percentile(ofVictim, 0.99):N0} ({ofVictim.Length:N0} timers), the others' {ClusterOwnership.Percentile(ofOthers, 0.99):N0} ({ofOthers.Length:N0})"));
            var lost = total - sorted.Length;
            var p99 = sorted.Length == 0 ? double.NaN : ClusterOwnership.Percentile(sorted, 0.99);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  fired {sorted.Length:N0} of {total:N0} (lost {lost:N0}, twice {duplicates:N0}); lateness ms: p50 {ClusterOwnership.Percentile(sorted, 0.50):N0}  p95 {ClusterOwnership.Percentile(sorted, 0.95):N0}  p99 {p99:N0}  max {(sorted.Length == 0 ? double.NaN : sorted[^1]):N0}"));
            // The rate asked must have been the rate due: arming that fell behind spreads the timers thinner.
            var dueRate = total / Math.Max(1, (last - first).TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  due at {dueRate:N0}/s (asked {rate:N0}/s)"));
            var met = lost == 0 && duplicates == 0 && p99 < 1000 && dueRate >= rate * 0.9;
            Console.WriteLine($"bar (cluster timers: {rate:N0} due/s for {seconds} s on {nodeCount} node(s){(nodeCount > 1 ? ", one killed mid-way" : "")}: p99 lateness < 1 s, none lost, none twice): {(met ? "MET" : "MISSED")}");
            return met ? 0 : 1;
        }
        finally
        {
            await armer.StopAsync();
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    /// <summary>
    /// CPU time of the PostgreSQL server so far: its postmaster, its live backends, and the backends
    /// that exited (their time is the postmaster's children's, /proc's cutime and cstime).
    /// </summary>
    private static TimeSpan PostgresCpu(string dataDirectory)
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var ticks = 0L;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // fields[1] is the parent's pid; utime, stime, cutime, cstime are fields[11..14].
                if (pid == postmaster)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture) + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                }
                else if (int.Parse(fields[1], CultureInfo.InvariantCulture) == postmaster)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process exited meanwhile.
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
    }

    private static async Task<long> CountPendingTimersAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pending_timers", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
