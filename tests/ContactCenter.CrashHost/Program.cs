using ContactCenter.Engine;
using ContactCenter.Hosting;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage: CrashHost <data-folder> <workflows-folder> <definition-key> <instances> <delivered-log>
// Starts the runtime; on a fresh database starts <instances> instances and prints ARMED, on an
// existing one prints RESUMED; then waits until every instance has completed and every outbox
// message is delivered, prints DONE and exits 0. The crash test kills it with SIGKILL in between.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: CrashHost <data-folder> <workflows-folder> <definition-key> <instances> <delivered-log>");
    return 2;
}

var (data, workflows, key, count, deliveredLog) = (args[0], args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), args[4]);
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
builder.Services.AddContactCenter(o =>
{
    o.DataFolder = data;
    o.WorkflowsFolder = workflows;
});
builder.Services.AddSingleton<IOutboxHandler>(new AppendingPromptHandler(deliveredLog));
using var host = builder.Build();
await host.StartAsync();

var runtime = host.Services.GetRequiredService<InstanceRuntime>();
var existing = await host.Services.GetRequiredService<IInstanceQueries>().QueryAsync(new InstanceQuery { DefinitionKey = key, Limit = 100_000 });
if (existing.Count == 0)
{
    for (var i = 0; i < count; i++)
    {
        await runtime.StartAsync(new StartRequest { DefinitionKey = key, Channel = "live-chat", CustomerRef = $"nasabah-{i}", Agent = "agent.crash", Actor = "agent.crash" });
    }

    Console.WriteLine("ARMED");
}
else
{
    Console.WriteLine("RESUMED");
}

var outbox = host.Services.GetRequiredService<IOutboxStore>();
var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
while (DateTimeOffset.UtcNow < deadline)
{
    var running = await host.Services.GetRequiredService<IInstanceQueries>().QueryAsync(new InstanceQuery { DefinitionKey = key, Status = InstanceStatus.Running, Limit = 1 });
    var undelivered = await outbox.ListDueAsync(DateTimeOffset.UtcNow.AddYears(1), 1);
    if (running.Count == 0 && undelivered.Count == 0)
    {
        Console.WriteLine("DONE");
        await host.StopAsync();
        return 0;
    }

    await Task.Delay(100);
}

Console.WriteLine("TIMEOUT");
return 1;

/// <summary>Delivers prompts by appending their idempotency keys to a file, flushed at once.</summary>
internal sealed class AppendingPromptHandler(string path) : IOutboxHandler
{
    private readonly Lock _gate = new();

    public bool Handles(string kind) => kind == "prompt";

    public Task HandleAsync(OutboxRecord message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            File.AppendAllText(path, message.IdempotencyKey + "\n");
        }

        return Task.CompletedTask;
    }
}
