using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using ContactCenter.Benchmarks;
using ContactCenter.Engine;

// Two ways to measure engine throughput (see docs/performance.md):
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --quick   a load loop printing its figures
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks              BenchmarkDotNet, per flow
// and timer lateness through the runtime (see TimerLateness.cs):
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --timers [--armed 1000000] [--rate 1000] [--seconds 60] | [--burst 10000]
// and start-up time with many armed timers (see StartUpLoad.cs):
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --start-up [--armed 1000000] [--runs 3]
// and outbox commit-to-delivery latency, poll only and with the wake-up on commit (see OutboxLatency.cs):
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --outbox [--messages 200]
// and commands per second through the runtime onto SQLite (see RuntimeThroughput.cs):
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --commands [--workers 4] [--seconds 10]
// and the dashboard's queries over many conversations (see DashboardLoad.cs):
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --dashboard [--conversations 2000] [--runs 20]
// and the read models (see ReadModelLoad.cs): the ticket queue over 100,000 open tickets, the overview and a 30-day heatmap over 10,000,000 journal rows' counters:
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --queue [--tickets 100000] [--runs 200]
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --heatmap [--journal-rows 10000000] [--days 30] [--tickets 100000] [--runs 100]
// and the whole server over HTTP, as a child process (see HttpLoad.cs; build the server in Release first):
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --http [--seconds 60] [--concurrency 64]
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --idle-memory [10000]
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --crash [--rounds 3]
// and several nodes on one throwaway PostgreSQL (see ClusterLoad.cs, ClusterOwnership.cs; build the server in Release first):
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --cluster [--seconds 20] [--rate 1000]
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --cluster --ownership [--nodes 3] [--seconds 20]
// and parse-and-validate time of long chains of nodes (see ValidationLoad.cs):
//   dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --validate [--nodes 2000,10000,20000] [--runs 3]
(string Flag, Func<string[], Task<int>> Run)[] loadModes =
[
    ("--http", HttpLoad.RunAsync),
    ("--idle-memory", HttpLoad.IdleMemoryAsync),
    ("--crash", HttpLoad.CrashAsync),
    ("--dashboard", DashboardLoad.RunAsync),
    ("--queue", ReadModelLoad.QueueAsync),
    ("--heatmap", ReadModelLoad.HeatmapAsync),
    ("--commands", RuntimeThroughput.RunAsync),
    ("--timers", TimerLateness.RunAsync),
    ("--start-up", StartUpLoad.RunAsync),
    ("--outbox", OutboxLatency.RunAsync),
    ("--validate", a => Task.FromResult(ValidationLoad.Run(a))),
    ("--cluster", a => a.Contains("--ownership") ? ClusterOwnership.RunAsync(a) : ClusterLoad.RunAsync(a)),
];
if (loadModes.FirstOrDefault(m => args.Contains(m.Flag)) is { Run: { } run })
{
    Environment.ExitCode = await run(args);
    return;
}

var engine = new WorkflowEngine(Conversations.LoadWorkflows());
string[] flows = ["live-chat", "whatsapp", "social-media", "inbound-call", "email", "outlet-reservation", "ticket-escalation"];
var recorded = flows.Select(f => Conversations.Record(engine, f)).ToList();
foreach (var c in recorded)
{
    TransitionsColumn.Transitions[c.Key] = c.Transitions;
}

if (args.Contains("--quick"))
{
    Console.WriteLine("flow                 transitions/conv  events/conv  transitions/s  bytes/transition");
    foreach (var conversation in recorded)
    {
        // Warm up, then measure for about two seconds on this one thread.
        for (var i = 0; i < 200; i++)
        {
            Conversations.Run(engine, conversation);
        }

        var runs = 0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            Conversations.Run(engine, conversation);
            runs++;
        }

        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var transitions = (double)runs * conversation.Transitions;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{conversation.Key,-20} {conversation.Transitions,16} {conversation.Events,12} {transitions / clock.Elapsed.TotalSeconds,14:N0} {allocated / transitions,17:N0}"));
    }

    return;
}

var config = DefaultConfig.Instance
    .AddColumn(new TransitionsColumn("Transitions/op", (_, t, _) => t.ToString(CultureInfo.InvariantCulture)))
    .AddColumn(new TransitionsColumn("Transitions/s", (mean, t, _) => (t / (mean / 1e9)).ToString("N0", CultureInfo.InvariantCulture)))
    .AddColumn(new TransitionsColumn("Bytes/transition", (_, t, bytes) => bytes is null ? "-" : (bytes.Value / t).ToString("N0", CultureInfo.InvariantCulture)));
BenchmarkRunner.Run<EngineBenchmarks>(config, args);
