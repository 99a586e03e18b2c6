using System.Diagnostics;
using System.Globalization;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Hosting;
using ContactCenter.Modules.Dashboard;
using ContactCenter.Modules.Tickets;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Tests.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Benchmarks;

/// <summary>
/// The read models of issue 11 item 4 on the real SQLite store: the Tier 2 ticket queue over
/// 100,000 open tickets (<c>--queue</c>), and the dashboard overview and a 30-day heatmap over
/// counters worth 10,000,000 journal rows (<c>--heatmap</c>). Each figure has a ceiling beside it
/// measured in the same run: a raw SQLite SELECT of the same rows.
/// </summary>
/// <remarks>
/// <para><c>dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --queue [--tickets 100000] [--runs 200]</c></para>
/// <para><c>dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --heatmap [--journal-rows 10000000] [--days 30] [--tickets 100000] [--runs 100]</c></para>
/// <para>Seeding. Tickets: eight real tickets are opened through the runtime (four
/// category/priority pairs, each in Tier 2 and dispatched to a unit); the rest are those eight
/// with new ids and start instants spread over 30 days, projected by the real
/// <see cref="TicketQueueProjection"/> and written through the store, 5,000 a transaction.
/// Counters: 150 conversations per channel (WhatsApp, live chat, e-mail) run through the runtime,
/// their journals counted; the counters they produced are copied into every hour of the period,
/// their amounts multiplied so that the period holds the conversations of the journal rows asked
/// for. The table then has the rows a real run of that size has (one per counter, dimension and
/// hour); only the amounts are scaled.</para>
/// </remarks>
internal static class ReadModelLoad
{
    private const double QueueBarMs = 50;
    private const double DashboardBarMs = 200;

    public static Task<int> QueueAsync(string[] args) => RunAsync(args, heatmap: false);

    public static Task<int> HeatmapAsync(string[] args) => RunAsync(args, heatmap: true);

    private static async Task<int> RunAsync(string[] args, bool heatmap)
    {
        var tickets = LoadArgs.Int(args, "--tickets", 100_000);
        var runs = LoadArgs.Int(args, "--runs", heatmap ? 100 : 200);
        var root = Directory.CreateTempSubdirectory("cc-readmodels-").FullName;
        try
        {
            using var host = await DashboardLoad.StartHostAsync(root, scheduler: false);
            var database = new ContactCenterPersistenceOptions { DataFolder = Path.Combine(root, "data") }.DatabasePath;

            var seed = Stopwatch.StartNew();
            await SeedTicketsAsync(host.Services, tickets);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tickets:N0} open tickets seeded in {seed.Elapsed.TotalSeconds:N1} s"));
            var met = heatmap
                ? await MeasureDashboardAsync(host.Services, database, args, runs)
                : await MeasureQueueAsync(host.Services, database, tickets, runs);
            await host.StopAsync();
            return met ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<bool> MeasureQueueAsync(IServiceProvider services, string database, int tickets, int runs)
    {
        var desk = services.GetRequiredService<TicketDesk>();
        var readModels = services.GetRequiredService<IReadModelStore>();
        var tier2 = await desk.QueueAsync(TicketQueue.Tier2);
        var rowsQuery = new ReadModelRowQuery { Model = TicketQueueProjection.Model, Queues = [TicketQueueProjection.QueueName(TicketQueue.Tier2)], Limit = 500 };
        await using var raw = await RawReader.OpenAsync(database, $"SELECT * FROM read_model_rows WHERE model = '{TicketQueueProjection.Model}' AND queue = 'Tier2' ORDER BY deadline_at, enqueued_at, instance_id LIMIT 500");
        // Interleaved, so that what else runs on the machine weighs on all four alike.
        var times = await InterleavedAsync(
            runs,
            () => desk.QueueAsync(TicketQueue.Tier2),
            () => desk.QueueAsync(TicketQueue.RelatedTeam, "divisi gadai"),
            () => readModels.ListRowsAsync(rowsQuery),
            raw.ReadAllAsync);
        var (queue, unit, rowsOnly, ceiling) = (times[0], times[1], times[2], times[3]);
        var summaryBytes = (await readModels.ListRowsAsync(new ReadModelRowQuery { Model = TicketQueueProjection.Model, Queues = [TicketQueueProjection.QueueName(TicketQueue.Tier2)], Limit = 500 })).Sum(r => (long)r.Summary.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Tier 2 queue ({tier2.Count} of the most urgent, SLA evaluated): p50 {P(queue, 0.5):N1} ms, p99 {P(queue, 0.99):N1} ms ({runs} runs)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"related-team queue of one unit: p50 {P(unit, 0.5):N1} ms, p99 {P(unit, 0.99):N1} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  of which the store's read of the 500 rows (EF Core, {summaryBytes / 1024:N0} KiB of summaries): p50 {P(rowsOnly, 0.5):N1} ms, p99 {P(rowsOnly, 0.99):N1} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ceiling, raw SQLite SELECT of the same 500 rows: p50 {P(ceiling, 0.5):N2} ms, p99 {P(ceiling, 0.99):N2} ms"));
        var met = P(queue, 0.99) < QueueBarMs && tickets >= 100_000;
        Console.WriteLine($"bar (ticket queue, {tickets:N0} open, p99 < {QueueBarMs} ms): {(met ? "MET" : "MISSED")}");
        return met;
    }

    private static async Task<bool> MeasureDashboardAsync(IServiceProvider services, string database, string[] args, int runs)
    {
        var journalRows = LoadArgs.Int(args, "--journal-rows", 10_000_000);
        var days = LoadArgs.Int(args, "--days", 30);
        var calendar = services.GetRequiredService<ContactCenterServiceCollectionExtensions.CalendarData>();
        var readModels = services.GetRequiredService<IReadModelStore>();
        var dashboard = new TeamDashboard(services.GetRequiredService<IInstanceQueries>(), readModels, services.GetRequiredService<TicketDesk>(), calendar.Calendar.Zone, TimeProvider.System);
        var seed = Stopwatch.StartNew();
        var (conversations, represented, counterRows) = await SeedCountersAsync(services, journalRows, days);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"counters of {conversations:N0} conversations ({represented:N0} journal rows) over {days} days: {counterRows:N0} counter rows, seeded in {seed.Elapsed.TotalSeconds:N1} s"));

        var today = dashboard.Today();
        var (from, to) = (dashboard.DayWindow(today.PlusDays(1 - days)).Start, dashboard.DayWindow(today).End);
        var whatsapp = await dashboard.HeatmapAsync("whatsapp", from, to);
        var names = new[] { DashboardCounterProjection.VersionInstances("whatsapp"), DashboardCounterProjection.Entered("whatsapp"), DashboardCounterProjection.EnteredBy("whatsapp"), DashboardCounterProjection.FlowTaken("whatsapp") };
        await using var raw = await RawReader.OpenAsync(database, string.Join(
            " UNION ALL ",
            names.Select(n => $"SELECT counter, dimension, SUM(amount) FROM read_model_counters WHERE counter = '{n}' AND bucket >= {from.UtcTicks} AND bucket < {to.UtcTicks} GROUP BY dimension")));
        var times = await InterleavedAsync(runs, () => dashboard.HeatmapAsync("whatsapp", from, to), () => dashboard.OverviewAsync(), raw.ReadAllAsync);
        var (heatmap, overview, ceiling) = (times[0], times[1], times[2]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"heatmap whatsapp, {days} days ({whatsapp.Instances:N0} instances, {whatsapp.Versions.Sum(v => v.Elements.Sum(e => (long)e.Entered)):N0} entries): p50 {P(heatmap, 0.5):N1} ms, p99 {P(heatmap, 0.99):N1} ms ({runs} runs)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overview (running, open tickets by lane and SLA, today per hour, closed by silence): p50 {P(overview, 0.5):N1} ms, p99 {P(overview, 0.99):N1} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ceiling, raw SQLite GROUP BY of the heatmap's counters: p50 {P(ceiling, 0.5):N2} ms, p99 {P(ceiling, 0.99):N2} ms"));
        var met = P(heatmap, 0.99) < DashboardBarMs && P(overview, 0.99) < DashboardBarMs && represented >= 10_000_000 && days >= 30;
        Console.WriteLine($"bar (dashboard overview and {days}-day heatmap, {represented:N0} journal rows, p99 < {DashboardBarMs} ms): {(met ? "MET" : "MISSED")}");
        return met;
    }

    /// <summary>Eight real tickets, then copies of them with new ids and starts, projected and written 5,000 a transaction.</summary>
    private static async Task SeedTicketsAsync(IServiceProvider services, int count)
    {
        var runtime = services.GetRequiredService<InstanceRuntime>();
        var desk = services.GetRequiredService<TicketDesk>();
        var projection = services.GetRequiredService<TicketQueueProjection>();
        var readModels = services.GetRequiredService<IReadModelStore>();
        var templates = new List<(InstanceRecord Record, InstanceState State)>();
        string[][] kinds = [["Gadai", "Tinggi"], ["Gadai", "Rendah"], ["Tabungan Emas", "Rendah"], ["Gadai", "Sedang"]];
        foreach (var dispatch in new[] { false, true })
        {
            foreach (var kind in kinds)
            {
                var record = await runtime.StartAsync(new StartRequest
                {
                    DefinitionKey = TicketDesk.DefinitionKey,
                    Channel = "ticket",
                    CustomerRef = "nasabah-7",
                    Actor = "system",
                    Variables = new Dictionary<string, Value> { ["kategori"] = kind[0], ["prioritas"] = kind[1], ["deskripsi"] = "Dana pencairan belum masuk", ["kanal"] = "whatsapp" },
                });
                if (dispatch)
                {
                    record = await desk.DispatchAsync(record.Id, kind[0] == "Gadai" ? "Divisi Gadai" : "Divisi Emas", "Mohon dicek", "tier2.budi");
                }

                templates.Add((record, InstanceState.FromJson(record.Snapshot)));
            }
        }

        var now = DateTimeOffset.UtcNow;
        var random = new Random(11);
        for (var done = templates.Count; done < count;)
        {
            var changes = ReadModelChanges.None;
            for (var i = 0; i < 5000 && done < count; i++, done++)
            {
                // Four in five with Tier 2, one in five with a related team.
                var (template, state) = templates[(done % 5 == 4 ? 4 : 0) + (done % 4)];
                var started = now.AddMinutes(-random.Next(0, 30 * 24 * 60));
                var record = template with { Id = Guid.NewGuid(), StartedAt = started, UpdatedAt = now };
                var commit = new ProjectedCommit(record with { Version = 0 }, InstanceState.Empty, record, state, [], NoReadModelRows.Instance);
                changes = changes.Then(await projection.ProjectAsync(commit));
            }

            await readModels.ApplyReadModelsAsync(changes);
        }
    }

    /// <summary>Real conversations' counters, copied into every hour of the period (see the remarks).</summary>
    private static async Task<(long Conversations, long JournalRows, long CounterRows)> SeedCountersAsync(IServiceProvider services, int journalRows, int days)
    {
        var runtime = services.GetRequiredService<InstanceRuntime>();
        var readModels = services.GetRequiredService<IReadModelStore>();
        var counters = services.GetRequiredService<DashboardCounterProjection>();
        const int PerChannel = 150;
        var rows = 0L;
        foreach (var channel in new[] { "whatsapp", "live-chat", "email" })
        {
            await Parallel.ForAsync(0, PerChannel, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            {
                var id = (await runtime.StartAsync(new StartRequest
                {
                    DefinitionKey = channel, Channel = channel, CustomerRef = $"{channel}-{i}", Agent = i % 2 == 0 ? "agent.sari" : "agent.budi", Actor = "agent.sari",
                    Variables = new Dictionary<string, Value> { ["namaAgent"] = Value.From("Sari") },
                }, ct)).Id;
                Interlocked.Add(ref rows, await DashboardLoad.DriveAsync(runtime, id, i % 2 == 0 ? 60 : 4, ct));
            });
        }

        var samples = 3 * PerChannel;
        var sample = (await readModels.DumpCountersAsync())
            .GroupBy(c => (c.Name, c.Key))
            .Select(g => (g.Key.Name, g.Key.Key, Amount: g.Sum(c => c.Delta)))
            .ToList();
        var hours = days * 24;
        var conversationsPerHour = journalRows / (double)rows * samples / hours;
        // At least the rows asked for: the samples once an hour, times a whole factor.
        var factor = Math.Max(1, (long)Math.Ceiling(conversationsPerHour / samples));
        var lastHour = counters.HourOf(DateTimeOffset.UtcNow);
        var counterRows = 0L;
        for (var hour = 0; hour < hours;)
        {
            var batch = new List<ReadModelCounter>();
            for (; hour < hours && batch.Count < 20_000; hour++)
            {
                var bucket = lastHour.AddHours(-hour);
                batch.AddRange(sample.Select(c => new ReadModelCounter(c.Name, c.Key, bucket, c.Amount * factor)));
            }

            counterRows += batch.Count;
            await readModels.ApplyReadModelsAsync(new ReadModelChanges { Counters = batch });
        }

        return (samples * factor * hours, rows * factor * hours, counterRows);
    }

    /// <summary>Each action <paramref name="runs"/> times, taking turns after a warm-up; each one's times sorted, in milliseconds.</summary>
    private static async Task<double[][]> InterleavedAsync(int runs, params Func<Task>[] actions)
    {
        for (var i = 0; i < 10; i++)
        {
            foreach (var action in actions)
            {
                await action();
            }
        }

        GC.Collect();
        var times = actions.Select(_ => new double[runs]).ToArray();
        for (var i = 0; i < runs; i++)
        {
            for (var a = 0; a < actions.Length; a++)
            {
                var clock = Stopwatch.StartNew();
                await actions[a]();
                times[a][i] = clock.Elapsed.TotalMilliseconds;
            }
        }

        foreach (var t in times)
        {
            Array.Sort(t);
        }

        return times;
    }

    /// <summary>The ceiling: the same read straight through Microsoft.Data.Sqlite on one open connection, every column of every row read.</summary>
    private sealed class RawReader(SqliteConnection connection, SqliteCommand command) : IAsyncDisposable
    {
        public static async Task<RawReader> OpenAsync(string database, string sql)
        {
            var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
            await connection.OpenAsync();
            var command = connection.CreateCommand();
            command.CommandText = sql;
            return new RawReader(connection, command);
        }

        public async Task ReadAllAsync()
        {
            await using var reader = await command.ExecuteReaderAsync();
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync())
            {
                reader.GetValues(values);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private static double P(double[] sorted, double share) => LoadStats.Percentile(sorted, share);
}
