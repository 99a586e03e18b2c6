using System.Diagnostics;
using System.Globalization;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Hosting;
using ContactCenter.Modules.Dashboard;
using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Benchmarks;

/// <summary>
/// How long the dashboard's queries take over many conversations on the real SQLite store: the
/// heatmap (<see cref="TeamDashboard.HeatmapAsync"/>, from the counters) of the WhatsApp flow and of
/// the still-connected flow it calls, and the whole overview.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --dashboard [--conversations 2000] [--runs 20]</c>.
/// Half the WhatsApp conversations run to their end (the agent takes "Tidak" at every decision,
/// the customer answers every wait), the other half stop after the verification step.
/// </remarks>
internal static class DashboardLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = LoadArgs.Int(args, "--conversations", 2000);
        var runs = LoadArgs.Int(args, "--runs", 20);
        var root = Directory.CreateTempSubdirectory("cc-dashboard-").FullName;
        try
        {
            using var host = await StartHostAsync(root, scheduler: true);
            var runtime = host.Services.GetRequiredService<InstanceRuntime>();
            var store = host.Services.GetRequiredService<IInstanceQueries>();
            var calendar = host.Services.GetRequiredService<ContactCenterServiceCollectionExtensions.CalendarData>();
            var dashboard = new TeamDashboard(store, host.Services.GetRequiredService<IReadModelStore>(), host.Services.GetRequiredService<TicketDesk>(), calendar.Calendar.Zone, TimeProvider.System);

            var from = DateTimeOffset.UtcNow.AddMinutes(-1);
            var setup = Stopwatch.StartNew();
            var rows = 0L;
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            {
                var id = (await runtime.StartAsync(new StartRequest
                {
                    DefinitionKey = "whatsapp", Channel = "whatsapp", CustomerRef = $"+62813{i:D7}", Agent = i % 2 == 0 ? "agent.sari" : "agent.budi", Actor = "agent.sari",
                    Variables = new Dictionary<string, Value> { ["namaAgent"] = Value.From("Sari") },
                }, ct)).Id;
                var last = await DriveAsync(runtime, id, i % 2 == 0 ? 60 : 4, ct);
                Interlocked.Add(ref rows, last);
            });
            setup.Stop();
            var to = DateTimeOffset.UtcNow.AddSeconds(1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count:N0} WhatsApp conversations, {rows:N0} journal rows, written in {setup.Elapsed.TotalSeconds:N1} s"));

            foreach (var key in new[] { "whatsapp", "still-connected" })
            {
                var result = await dashboard.HeatmapAsync(key, from, to); // warm-up
                var times = await TimeAsync(runs, () => dashboard.HeatmapAsync(key, from, to));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"heatmap {key,-16} {result.Versions.Sum(v => v.Instances),6:N0} instances, {result.Versions.Sum(v => v.Elements.Sum(e => e.Entered)),7:N0} entries: median {times[times.Count / 2]:N1} ms, max {times[^1]:N1} ms ({runs} runs)"));
            }

            await dashboard.OverviewAsync();
            var overview = await TimeAsync(runs, () => dashboard.OverviewAsync());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overview (running, tickets, the day per hour, closed by silence): median {overview[overview.Count / 2]:N1} ms, max {overview[^1]:N1} ms ({runs} runs)"));
            await host.StopAsync();
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A host on a fresh data folder under <paramref name="root"/> and the repository's workflows, the outbox loop off.</summary>
    internal static async Task<IHost> StartHostAsync(string root, bool scheduler)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddContactCenter(o =>
        {
            o.DataFolder = Path.Combine(root, "data");
            o.WorkflowsFolder = Path.Combine(Conversations.RepoRoot(), "workflows");
            o.RunOutbox = false;
            o.RunScheduler = scheduler;
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Completes open work ("Tidak" where offered) or answers as the customer, at most <paramref name="steps"/> times; the journal length.</summary>
    internal static async Task<long> DriveAsync(InstanceRuntime runtime, Guid id, int steps, CancellationToken ct)
    {
        InstanceRecord record = await runtime.GetAsync(id, ct);
        for (var i = 0; i < steps && record.Status == InstanceStatus.Running; i++)
        {
            var state = InstanceState.FromJson(record.Snapshot);
            var item = state.WorkItems.OrderBy(w => w.Id).FirstOrDefault();
            record = item is null
                ? await runtime.DeliverMessageAsync(id, "Halo", $"{id:N}-{i}", "customer", ct)
                : await runtime.CompleteWorkItemAsync(id, item.Id, item.Outcomes.Contains("Tidak") ? "Tidak" : item.Outcomes.FirstOrDefault(), DocumentedData.For(item), "agent.sari", cancellationToken: ct);
        }

        return record.Version;
    }

    private static async Task<List<double>> TimeAsync<T>(int runs, Func<Task<T>> action)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times;
    }
}
