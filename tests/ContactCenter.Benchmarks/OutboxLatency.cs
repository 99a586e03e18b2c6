using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ContactCenter.Hosting;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Benchmarks;

/// <summary>
/// From the commit of an outbox row to its delivery, through the scheduler's outbox job (issue 17):
/// <c>--messages</c> one-prompt conversations are started at random spacing (0–20 ms) on a real host,
/// once with the poll alone (the ceiling: every 1 s) and once with the wake-up on commit.
/// <c>dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --outbox [--messages 200]</c>
/// </summary>
internal static class OutboxLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        var messages = LoadArgs.Int(args, "--messages", 200);
        var polled = await MeasureAsync(messages, wakeUp: false);
        Print("poll only (1 s), the ceiling", polled);
        var woken = await MeasureAsync(messages, wakeUp: true);
        Print("wake-up on commit", woken);
        var met = woken.Length == messages && Percentile(woken, 0.99) < 100;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bar (outbox commit-to-delivery p99 < 100 ms with the wake-up; poll-only p99 {Percentile(polled, 0.99):N0} ms): {(met ? "MET" : "MISSED")}"));
        return met ? 0 : 1;
    }

    private static async Task<double[]> MeasureAsync(int messages, bool wakeUp)
    {
        var root = Directory.CreateTempSubdirectory("cc-outbox-latency-").FullName;
        var workflows = Directory.CreateDirectory(Path.Combine(root, "workflows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(workflows, "prompt.bpmn"), PromptFlow.Bpmn);
        var handler = new TimingHandler();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddContactCenter(o =>
        {
            o.DataFolder = Path.Combine(root, "data");
            o.WorkflowsFolder = workflows;
        });
        builder.Services.AddSingleton<IOutboxHandler>(handler);
        if (!wakeUp)
        {
            builder.Services.RemoveAll<IOutboxWakeUp>();
        }

        try
        {
            using var host = builder.Build();
            await host.StartAsync();
            var runtime = host.Services.GetRequiredService<InstanceRuntime>();
            var committed = new Dictionary<Guid, long>();
            var warmUp = await runtime.StartAsync(new StartRequest { DefinitionKey = PromptFlow.Key, Channel = "test" });
            await UntilAsync(() => handler.Delivered.ContainsKey(warmUp.Id));
            for (var i = 0; i < messages; i++)
            {
                var instance = await runtime.StartAsync(new StartRequest { DefinitionKey = PromptFlow.Key, Channel = "test" });
                committed[instance.Id] = Stopwatch.GetTimestamp();
                await Task.Delay(Random.Shared.Next(0, 21));
            }

            await UntilAsync(() => committed.Keys.All(handler.Delivered.ContainsKey));
            await host.StopAsync();
            return [.. committed.Where(c => handler.Delivered.ContainsKey(c.Key))
                .Select(c => Stopwatch.GetElapsedTime(c.Value, handler.Delivered[c.Key]).TotalMilliseconds)
                .Order()];
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var until = Stopwatch.StartNew();
        while (!condition() && until.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }
    }

    private static void Print(string what, double[] latency) =>
        Console.WriteLine(latency.Length == 0 ? $"{what}: nothing delivered" : string.Create(CultureInfo.InvariantCulture,
            $"{what}: {latency.Length} delivered; commit-to-delivery ms p50 {Percentile(latency, 0.50):N1}  p95 {Percentile(latency, 0.95):N1}  p99 {Percentile(latency, 0.99):N1}  max {latency[^1]:N1}"));

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed class TimingHandler : IOutboxHandler
    {
        public ConcurrentDictionary<Guid, long> Delivered { get; } = new();

        public bool Handles(string kind) => kind == "prompt";

        public Task HandleAsync(OutboxRecord message, CancellationToken cancellationToken)
        {
            Delivered.TryAdd(message.InstanceId, Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        }
    }
}
