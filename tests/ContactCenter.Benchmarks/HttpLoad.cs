using System.Diagnostics;
using System.Globalization;
using ContactCenter.Tests;
using ContactCenter.Tests.Http;
using Microsoft.Data.Sqlite;

namespace ContactCenter.Benchmarks;

/// <summary>
/// The whole server under load over HTTP: the built ContactCenter.Server (Release) as a child
/// process on a loopback port and a temporary data folder, simulated customers on the signed
/// webhook and agents on the API (<see cref="ConversationLoad"/>). Three modes:
/// <list type="bullet">
/// <item><c>--http [--seconds 60] [--concurrency 64] [--quiet-every 10] [--silence-seconds 60]</c>: throughput, latency, CPU, memory and bytes per conversation.</item>
/// <item><c>--idle-memory [count] [--silence-seconds 60]</c>: RSS growth per 10,000 conversations left waiting on their silence timer.</item>
/// <item><c>--crash [--rounds 3] [--seconds 15] [--concurrency 64] [--silence-seconds 10]</c>: <c>kill -9</c> during the load, restart, check.</item>
/// </list>
/// </summary>
/// <remarks>
/// The server's clock is real here. With the flows' own one-minute silence, the quiet customers'
/// prompts fall due a minute after their greeting, mostly after a 60-second run ends: they are
/// counted, not waited for. <c>--silence-seconds</c> runs the server on a copy of the workflows
/// with a shorter ladder (the server reads its flows from a configurable folder); the crash mode
/// does so by default (10 s), so that interrupted conversations' prompts can be seen firing.
/// Build first: <c>dotnet build src/ContactCenter.Server -c Release</c> (and the CLI for
/// <c>--crash</c>); <c>dotnet run</c> of this project does not build the server.
/// </remarks>
internal static class HttpLoad
{
    private const int BytesPerKb = 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = LoadArgs.Int(args, "--seconds", 60);
        var concurrency = LoadArgs.Int(args, "--concurrency", 64);
        var quietEvery = LoadArgs.Int(args, "--quiet-every", 10);
        var silence = TimeSpan.FromSeconds(LoadArgs.Double(args, "--silence-seconds", 60));
        var telemetry = TelemetryArguments(args);
        var root = Directory.CreateTempSubdirectory("cc-http-load-").FullName;
        try
        {
            var server = await StartAsync(root, silence, telemetry);
            using (server)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"server pid {server.Id} on {server.BaseAddress} (Release), data {root}/data; {concurrency} concurrent conversations for {seconds} s, whatsapp and live-chat alternating, every {quietEvery}th customer quiet after the greeting, silence {silence.TotalSeconds:N0} s"));
                await WarmUpAsync(server);
                await CeilingAsync(server, concurrency);

                var stats = new LoadStats();
                var ledger = new AckLedger();
                using var load = await ConversationLoad.CreateAsync(server, ledger, stats);
                load.QuietEvery = quietEvery;
                var cpuBefore = server.CpuTime();
                var rssBefore = server.ResidentBytes();
                var dbBefore = DatabaseBytes(root);
                var logsBefore = LogBytes(root);
                using var window = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
                var clock = Stopwatch.StartNew();
                await load.RunAsync(concurrency, window.Token);
                clock.Stop();
                var cpu = server.CpuTime() - cpuBefore;
                var rssAfter = server.ResidentBytes();
                var rssPeak = server.PeakResidentBytes();
                await server.StopAsync(TimeSpan.FromSeconds(30)); // checkpoints the WAL and flushes the logs
                var db = DatabaseBytes(root);
                var logs = LogBytes(root) - logsBefore;

                var conversations = stats.Count(ConversationEnd.Completed) + stats.Count(ConversationEnd.Quiet);
                var all = stats.AllLatencies();
                Array.Sort(all);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"conversations: {conversations:N0} in {clock.Elapsed.TotalSeconds:N1} s = {conversations / clock.Elapsed.TotalSeconds:N1}/s ({stats.Count(ConversationEnd.Completed):N0} worked to their close, {stats.Count(ConversationEnd.Quiet):N0} left quiet on their silence timer, {stats.Count(ConversationEnd.Failed):N0} failed)"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"requests: {all.Length:N0} = {all.Length / clock.Elapsed.TotalSeconds:N0}/s, {all.Length / (double)Math.Max(1, conversations):N1} per conversation; latency ms p50 {P(all, 0.50):N1}  p95 {P(all, 0.95):N1}  p99 {P(all, 0.99):N1}  max {(all.Length == 0 ? double.NaN : all[^1]):N1}"));
                foreach (var (kind, latencies) in stats.LatenciesByKind().OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    Array.Sort(latencies);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {kind,-9} {latencies.Length,8:N0} requests  p50 {P(latencies, 0.50),6:N1}  p95 {P(latencies, 0.95),6:N1}  p99 {P(latencies, 0.99),6:N1} ms"));
                }

                Console.WriteLine("errors: " + (stats.Errors.Count == 0 ? "none" : string.Join(", ", stats.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {e.Value}"))));
                var cpuPerConversation = cpu.TotalMilliseconds / Math.Max(1, conversations);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"server: {cpu.TotalSeconds:N1} CPU-s = {cpuPerConversation:N1} ms per conversation ({cpu.TotalSeconds / clock.Elapsed.TotalSeconds:N2} of {Environment.ProcessorCount} cores); RSS {Mb(rssBefore)} before, {Mb(rssAfter)} after, peak {Mb(rssPeak)}"));
                var dbPerConversation = (db.Total - dbBefore.Total) / (double)Math.Max(1, conversations);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"disk: database +{(db.Main - dbBefore.Main) / (double)(BytesPerKb * BytesPerKb):N1} MB contactcenter.db, +{(db.Quartz - dbBefore.Quartz) / (double)(BytesPerKb * BytesPerKb):N1} MB quartz.db = {dbPerConversation / BytesPerKb:N1} KB per conversation; logs +{logs / (double)(BytesPerKb * BytesPerKb):N1} MB = {logs / (double)Math.Max(1, conversations) / BytesPerKb:N1} KB per conversation"));
                Console.WriteLine("  where the bytes of contactcenter.db are: " + WhereTheBytesAre(Path.Combine(root, "data", "contactcenter.db"), conversations));
                Console.WriteLine("machine load average (1, 5, 15 min) at the end: " + LoadAverage() + " (other processes on these cores slow the client and the server alike)");
                Console.WriteLine(Bar("server CPU per conversation <= 10 ms", cpuPerConversation <= 10));
                Console.WriteLine(Bar(string.Create(CultureInfo.InvariantCulture, $"p99 < 100 ms at 64 concurrent{(concurrency == 64 ? "" : $"; this run had {concurrency}")}"), concurrency >= 64 && P(all, 0.99) < 100));
                Console.WriteLine(Bar("<= 8 KB database per conversation", dbPerConversation <= 8 * BytesPerKb));
                Console.WriteLine(Bar("<= 2 KB logs per conversation", logs / (double)Math.Max(1, conversations) <= 2 * BytesPerKb));
                return stats.Count(ConversationEnd.Failed) == 0 ? 0 : 1;
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary><c>--idle-memory [count]</c>: RSS growth while <c>count</c> conversations wait on their silence timer.</summary>
    public static async Task<int> IdleMemoryAsync(string[] args)
    {
        var count = LoadArgs.Int(args, "--idle-memory", 10_000);
        var silence = TimeSpan.FromSeconds(LoadArgs.Double(args, "--silence-seconds", 60));
        var root = Directory.CreateTempSubdirectory("cc-idle-memory-").FullName;
        try
        {
            using var server = await StartAsync(root, silence);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server pid {server.Id} on {server.BaseAddress}; {count:N0} customers write, are greeted, and go quiet (silence {silence.TotalSeconds:N0} s)"));
            await WarmUpAsync(server);
            await Task.Delay(TimeSpan.FromSeconds(5)); // let the warm-up's garbage be collected
            var before = server.ResidentBytes();
            var stats = new LoadStats();
            using var load = await ConversationLoad.CreateAsync(server, new AckLedger(), stats);
            var clock = Stopwatch.StartNew();
            await load.StartQuietAsync(count, 16);
            clock.Stop();
            await Task.Delay(TimeSpan.FromSeconds(10));
            var after = server.ResidentBytes();
            var waiting = stats.Count(ConversationEnd.Quiet);
            var perTenThousand = (after - before) / (double)Math.Max(1, waiting) * 10_000;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{waiting:N0} conversations waiting (started in {clock.Elapsed.TotalSeconds:N1} s, {stats.Count(ConversationEnd.Failed)} failed); RSS {Mb(before)} before, {Mb(after)} 10 s after; peak {Mb(server.PeakResidentBytes())}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RSS growth: {perTenThousand / (BytesPerKb * BytesPerKb):N1} MB per 10,000 waiting conversations ({(after - before) / (double)Math.Max(1, waiting) / BytesPerKb:N1} KB each)"));
            if (clock.Elapsed > silence)
            {
                Console.WriteLine("note: starting them took longer than the silence; the first ones have had their first prompt and wait on the second");
            }

            Console.WriteLine(Bar("RSS growth <= 100 MB per 10,000 waiting conversations", perTenThousand <= 100 * BytesPerKb * BytesPerKb));
            await server.StopAsync(TimeSpan.FromSeconds(30));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// <c>--crash</c>: rounds of load, each ended by a SIGKILL at a random moment; after every
    /// restart every acknowledged command must be readable through the API; at the end the
    /// silence timers pending after each restart must have fired, and <c>replay --all</c> (the
    /// CLI, on the data folder) must find every history OK.
    /// </summary>
    public static async Task<int> CrashAsync(string[] args)
    {
        var rounds = LoadArgs.Int(args, "--rounds", 3);
        var seconds = LoadArgs.Int(args, "--seconds", 15);
        var concurrency = LoadArgs.Int(args, "--concurrency", 64);
        var silence = TimeSpan.FromSeconds(LoadArgs.Double(args, "--silence-seconds", 10));
        var root = Directory.CreateTempSubdirectory("cc-http-crash-").FullName;
        var ledger = new AckLedger();
        var stats = new LoadStats();
        var missing = new List<string>();
        var pending = new List<PendingTimer>();
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rounds} rounds of {concurrency} concurrent conversations, each ended by kill -9 after {seconds / 2}-{seconds} s; silence {silence.TotalSeconds:N0} s; data {root}/data"));
            for (var round = 1; round <= rounds + 1; round++)
            {
                using var server = await StartAsync(root, silence);
                using (var reader = await server.ClientForAsync("leader.rina"))
                {
                    if (round > 1)
                    {
                        // The ladders go on from the restart: list their timers first, before they run out.
                        var timers = await AckLedger.SilenceTimersAsync(reader, ledger.WaitingOnServer);
                        var lost = await ledger.MissingAsync(reader);
                        missing.AddRange(lost);
                        pending.AddRange(timers);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"restart {round - 1}: {ledger.Instances:N0} conversations, {ledger.Commands:N0} acknowledged commands checked, {lost.Count} missing; {timers.Count} silence timers pending"));
                    }
                }

                if (round > rounds)
                {
                    using var reader = await server.ClientForAsync("leader.rina");
                    var unfired = await AckLedger.UnfiredAfterAsync(reader, pending, TimeSpan.FromSeconds(20) + silence);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"silence timers pending after the restarts: {pending.Count}, fired since: {pending.Count - unfired.Count}"));
                    await server.StopAsync(TimeSpan.FromSeconds(30));
                    var (replayOk, replayLine) = await ReplayAllAsync(Path.Combine(root, "data"));
                    Console.WriteLine("replay --all: " + replayLine);
                    foreach (var line in missing.Take(10))
                    {
                        Console.WriteLine("  lost: " + line);
                    }

                    var met = missing.Count == 0 && unfired.Count == 0 && replayOk && pending.Count > 0;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"conversations: {stats.Count(ConversationEnd.Completed):N0} completed, {stats.Count(ConversationEnd.Quiet):N0} quiet, {stats.Count(ConversationEnd.ServerGone):N0} interrupted by a kill, {stats.Count(ConversationEnd.Failed):N0} failed; errors: ") +
                        string.Join(", ", stats.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {e.Value}")));
                    Console.WriteLine(Bar(string.Create(CultureInfo.InvariantCulture, $"kill -9 x{rounds} during HTTP load: no acknowledged command lost, replay --all OK, silence prompts fire after restart"), met));
                    return met ? 0 : 1;
                }

                using var load = await ConversationLoad.CreateAsync(server, ledger, stats);
                using var stop = new CancellationTokenSource();
                var running = load.RunAsync(concurrency, stop.Token);
                var killAt = TimeSpan.FromSeconds(seconds / 2.0 + Random.Shared.NextDouble() * seconds / 2.0);
                await Task.Delay(killAt);
                server.Kill();
                await stop.CancelAsync();
                await running;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: kill -9 of pid {server.Id} after {killAt.TotalSeconds:N1} s; {ledger.Instances:N0} conversations so far"));
            }

            return 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<ServerProcess> StartAsync(string root, TimeSpan silence, IReadOnlyList<string>? extraArguments = null)
    {
        var workflows = silence == TimeSpan.FromMinutes(1) ? RepoPaths.Workflows : SilenceWorkflows.CopyWithSilence(Path.Combine(root, "workflows"), silence);
        return await ServerProcess.StartAsync(new ServerProcessOptions { DataFolder = Path.Combine(root, "data"), WorkflowsFolder = workflows, ExtraArguments = extraArguments ?? [] });
    }

    /// <summary>
    /// <c>--telemetry off|prometheus|otlp</c> (default: as appsettings.json, Prometheus on):
    /// <c>off</c> registers no OpenTelemetry at all; <c>otlp</c> also records every span and
    /// exports metrics and spans to 127.0.0.1:4317 (refused when no collector listens there, so
    /// the export's cost is measured, not a collector's).
    /// </summary>
    private static string[] TelemetryArguments(string[] args)
    {
        var at = Array.IndexOf(args, "--telemetry");
        var mode = at >= 0 && at + 1 < args.Length ? args[at + 1] : "prometheus";
        string[] arguments = mode switch
        {
            "off" => ["--ContactCenter:Telemetry:Prometheus", "false"],
            "prometheus" => [],
            "otlp" => ["--ContactCenter:Telemetry:OtlpEndpoint", "http://127.0.0.1:4317"],
            _ => throw new ArgumentException($"--telemetry takes off, prometheus or otlp, not '{mode}'"),
        };
        Console.WriteLine($"telemetry: {mode}");
        return arguments;
    }

    /// <summary>A few seconds of light load (JIT, connection pools, SQLite caches), outside the figures.</summary>
    private static async Task WarmUpAsync(ServerProcess server)
    {
        using var warmUp = await ConversationLoad.CreateAsync(server, new AckLedger(), new LoadStats());
        using var window = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await warmUp.RunAsync(4, window.Token);
    }

    /// <summary>
    /// The ceiling of this client and Kestrel on these cores, measured in the same run: the
    /// anonymous <c>GET /health/live</c> at the same concurrency for 5 seconds (the whole
    /// pipeline, no database). Its CPU per request times the requests a conversation makes is
    /// the floor under the server's CPU per conversation.
    /// </summary>
    private static async Task CeilingAsync(ServerProcess server, int concurrency)
    {
        using var client = server.NewClient();
        var latencies = new List<double>[concurrency];
        var cpuBefore = server.CpuTime();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = [];
            while (clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        clock.Stop();
        var cpu = server.CpuTime() - cpuBefore;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ceiling, GET /health/live at {concurrency} concurrent for {clock.Elapsed.TotalSeconds:N0} s: {all.Length / clock.Elapsed.TotalSeconds:N0} requests/s, p50 {P(all, 0.50):N1} ms, p99 {P(all, 0.99):N1} ms, server {cpu.TotalMilliseconds / Math.Max(1, all.Length):N3} CPU-ms per request"));
    }

    /// <summary>The CLI's <c>replay --all</c> on the data folder: whether it exited 0, and its totals line.</summary>
    private static async Task<(bool Ok, string Line)> ReplayAllAsync(string data)
    {
        var cli = Path.Combine(RepoPaths.Root, "src", "ContactCenter.Cli", "bin", "Release", "net10.0", "contactcenter.dll");
        if (!File.Exists(cli))
        {
            return (false, $"{cli} is missing: dotnet build src/ContactCenter.Cli -c Release");
        }

        using var process = Process.Start(new ProcessStartInfo("dotnet", [cli, "replay", "--all", "--data", data]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        var lines = (await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await process.WaitForExitAsync();
        var last = lines.LastOrDefault() ?? (await errors).Trim();
        return (process.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"exit {process.ExitCode}: {last}"));
    }

    /// <summary>Bytes the databases use, read through SQLite (WAL included): pages in use times page size.</summary>
    private static (long Main, long Quartz, long Total) DatabaseBytes(string root)
    {
        var main = UsedBytes(Path.Combine(root, "data", "contactcenter.db"));
        var quartz = UsedBytes(Path.Combine(root, "data", "quartz.db"));
        return (main, quartz, main + quartz);
    }

    private static long UsedBytes(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count()), (SELECT page_size FROM pragma_page_size())";
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt64(0) * reader.GetInt64(1);
    }

    /// <summary>
    /// Bytes per conversation of each table with its indexes (pages in use, by SQLite's <c>dbstat</c>),
    /// largest first; the bundled SQLite has no <c>dbstat</c>, so the system's <c>sqlite3</c> is asked.
    /// </summary>
    private static string WhereTheBytesAre(string path, int conversations)
    {
        const string Query = "SELECT COALESCE(m.tbl_name, d.name), SUM(d.pgsize - d.unused), SUM(d.pgsize) FROM dbstat d LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY 1 ORDER BY 3 DESC;";
        string output;
        try
        {
            using var process = Process.Start(new ProcessStartInfo("sqlite3", ["-readonly", "-separator", "|", path, Query]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                return "(sqlite3 failed: " + process.StandardError.ReadToEnd().Trim() + ")";
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "(no sqlite3 on this machine)";
        }

        var parts = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('|');
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{f[0]} {long.Parse(f[2], CultureInfo.InvariantCulture) / (double)Math.Max(1, conversations):N0} B ({long.Parse(f[1], CultureInfo.InvariantCulture) / (double)Math.Max(1, conversations):N0} B used)"));
        }

        return string.Join(", ", parts.Take(8));
    }

    private static long LogBytes(string root)
    {
        var logs = Path.Combine(root, "data", "logs");
        return Directory.Exists(logs) ? Directory.GetFiles(logs).Sum(f => new FileInfo(f).Length) : 0;
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static double P(double[] sorted, double share) => LoadStats.Percentile(sorted, share);

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(BytesPerKb * BytesPerKb):N0} MB");

    private static string Bar(string what, bool met) => $"bar ({what}): {(met ? "MET" : "MISSED")}";
}
