using System.Text.Json;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Channels.Outbound;

/// <summary>A prompt the simulator "delivered" to a customer.</summary>
public sealed record SimulatedPrompt(string IdempotencyKey, Guid InstanceId, string ElementId, string? Step, string Text, DateTimeOffset DeliveredAt);

/// <summary>
/// Stands in for the Omni Channel application when no outbound URL is configured: it takes every
/// <c>prompt</c> outbox message and keeps it in memory per channel and customer (bounded), so the
/// demo and the tests can see what the customer would have read.
/// </summary>
internal sealed class LoopbackSimulator(ChannelsOptions options, TimeProvider clock, ILogger<LoopbackSimulator> logger) : IOutboxHandler
{
    private readonly Dictionary<(string Channel, string Customer), List<SimulatedPrompt>> _conversations = [];
    private readonly LinkedList<(string Channel, string Customer)> _recency = new();
    private readonly Lock _lock = new();

    public bool Handles(string kind) => kind == "prompt";

    public Task HandleAsync(OutboxRecord message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var prompt = JsonSerializer.Deserialize<PromptPayload>(message.Payload, JournalSerializer.Options)
            ?? throw new JsonException($"outbox {message.IdempotencyKey}: empty prompt payload");
        var key = (prompt.Channel, prompt.CustomerRef ?? "");
        lock (_lock)
        {
            if (!_conversations.TryGetValue(key, out var prompts))
            {
                prompts = [];
                _conversations[key] = prompts;
            }
            else
            {
                _recency.Remove(key);
            }

            _recency.AddFirst(key);
            if (!prompts.Exists(p => p.IdempotencyKey == message.IdempotencyKey))
            {
                prompts.Add(new SimulatedPrompt(message.IdempotencyKey, prompt.InstanceId, prompt.ElementId, prompt.Step, prompt.Text, clock.GetUtcNow()));
                if (prompts.Count > Math.Max(1, options.Simulator.MaxPromptsPerCustomer))
                {
                    prompts.RemoveAt(0);
                }
            }

            while (_recency.Count > Math.Max(1, options.Simulator.MaxCustomers))
            {
                _conversations.Remove(_recency.Last!.Value);
                _recency.RemoveLast();
            }
        }

        logger.LogInformation("Simulator: prompt {Step} to {CustomerRef} on {Channel} ({InstanceId}): {Text}", prompt.Step, prompt.CustomerRef, prompt.Channel, prompt.InstanceId, prompt.Text);
        return Task.CompletedTask;
    }

    /// <summary>The prompts delivered to a customer on a channel, oldest first.</summary>
    public IReadOnlyList<SimulatedPrompt> Conversation(string channel, string customerRef)
    {
        lock (_lock)
        {
            return _conversations.TryGetValue((channel, customerRef), out var prompts) ? [.. prompts] : [];
        }
    }
}
