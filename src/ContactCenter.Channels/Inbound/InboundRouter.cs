using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Runtime.Cluster;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Channels.Inbound;

/// <summary>
/// Routes a customer's message: to the customer's running conversation on the channel, or to a
/// new one on the channel's definition. Shared by the webhook and the simulator.
/// </summary>
/// <remarks>
/// De-duplication has three layers. (1) A bounded in-memory set of recent message ids answers a
/// repeat at once. (2) A conversation started by a message gets an id derived from the channel and
/// message id, so a repeat after a restart finds it instead of starting a second one. (3) The
/// engine ignores a message id the instance has seen, so a repeat delivered again commits nothing.
/// Messages of one customer on one channel are handled one at a time across the cluster (an
/// <see cref="IClusterLocks"/> lock on the pair: an advisory lock on PostgreSQL, a semaphore on one
/// node), so two first messages arriving together, on one node or on two, start one conversation,
/// not two, and a repeat on another node finds what the first delivery did (layers 2 and 3). New
/// conversations take agents in turn from one <see cref="IClusterCounters"/> counter, so two nodes
/// never hand out the same turn.
/// </remarks>
internal sealed class InboundRouter(InstanceRuntime runtime, IInstanceQueries queries, ChannelsOptions options, ILogger<InboundRouter> logger, IClusterLocks locks, IClusterCounters counters)
{
    /// <summary>The counter of the round-robin agent assignment.</summary>
    public const string RoundRobinCounter = "inbound_round_robin";

    private const int Attempts = 4;

    private readonly RecentSet<InboundResult> _recent = new(Math.Max(16, options.Webhook.DedupeCapacity));

    public bool IsKnownChannel(string channel) => options.Routing.Definitions.ContainsKey(channel);

    public async Task<InboundResult> RouteAsync(string channel, InboundMessage message, CancellationToken cancellationToken)
    {
        var messageId = message.MessageId!;
        var customer = message.CustomerRef!;
        // A message is known by its channel, its sender and its id: ids are unique per sender on
        // every channel we take (a chat widget numbers each visitor's messages from 1), so another
        // customer's message with the same id is a new message, not a repeat.
        var key = channel + "\n" + customer + "\n" + messageId;
        if (_recent.TryGet(key, out var seen))
        {
            return seen with { Started = false, Duplicate = true };
        }

        await using var gate = await locks.AcquireAsync("inbound\n" + channel + "\n" + customer, cancellationToken).ConfigureAwait(false);
        if (_recent.TryGet(key, out seen))
        {
            return seen with { Started = false, Duplicate = true };
        }

        var result = await RouteOnceAsync(channel, message, cancellationToken).ConfigureAwait(false);
        _recent.Add(key, result);
        return result;
    }

    private async Task<InboundResult> RouteOnceAsync(string channel, InboundMessage message, CancellationToken cancellationToken)
    {
        var messageId = message.MessageId!;
        var customer = message.CustomerRef!;
        var startId = InstanceRuntime.DeterministicId($"inbound:{channel}:{customer}:{messageId}");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // A conversation this very message started (before a restart, or on another node).
                var started = await TryGetAsync(startId, cancellationToken).ConfigureAwait(false);
                if (started is not null)
                {
                    var duplicate = started.Status != InstanceStatus.Running || !await DeliverAsync(started, message, cancellationToken).ConfigureAwait(false);
                    return new InboundResult(messageId, channel, started.Id, Started: false, Duplicate: duplicate);
                }

                var running = await queries.QueryAsync(new InstanceQuery { Channel = channel, CustomerRef = customer, Status = InstanceStatus.Running, Limit = 20 }, cancellationToken).ConfigureAwait(false);
                var target = running.Where(r => r.DefinitionKey == options.Routing.Definitions[channel]).OrderByDescending(r => r.StartedAt).FirstOrDefault()
                    ?? running.OrderByDescending(r => r.StartedAt).FirstOrDefault();
                if (target is not null)
                {
                    var delivered = await DeliverAsync(target, message, cancellationToken).ConfigureAwait(false);
                    // Debug, like a request that went well: one line per customer message filled the
                    // logs of a busy day (and its console) with what the journal already holds.
                    logger.LogDebug("Message {MessageId} on {Channel} for {CustomerRef} went to {InstanceId}{Duplicate}", messageId, channel, customer, target.Id, delivered ? "" : " (already there)");
                    return new InboundResult(messageId, channel, target.Id, Started: false, Duplicate: !delivered);
                }

                if (message.IsEnding)
                {
                    // An ending starts nothing: with no running conversation there is nobody to ask.
                    logger.LogDebug("Message {MessageId} on {Channel}: {CustomerRef} ended a chat that is not running", messageId, channel, customer);
                    return new InboundResult(messageId, channel, Guid.Empty, Started: false, Duplicate: true);
                }

                var conversation = await StartAsync(channel, startId, message, cancellationToken).ConfigureAwait(false);
                await DeliverAsync(conversation, message, cancellationToken).ConfigureAwait(false);
                return new InboundResult(messageId, channel, conversation.Id, Started: true, Duplicate: false);
            }
            catch (Exception e) when (attempt < Attempts && e is ConcurrencyConflictException or WorkflowCommandRejectedException { Reason: RejectionReason.NotRunning })
            {
                // Someone acted on the instance first, or it ended between the query and the delivery: route again.
                logger.LogDebug(e, "Message {MessageId} on {Channel}: routing again (attempt {Attempt})", messageId, channel, attempt);
                await ConflictBackOff.WaitAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>True when the message changed the instance; false when the engine had seen its id.</summary>
    private async Task<bool> DeliverAsync(InstanceRecord target, InboundMessage message, CancellationToken cancellationToken)
    {
        var after = await runtime.DeliverMessageAsync(target.Id, message.MessageName, message.Text, message.MessageId, message.CustomerRef, cancellationToken).ConfigureAwait(false);
        return after.Version != target.Version;
    }

    private async Task<InstanceRecord> StartAsync(string channel, Guid id, InboundMessage message, CancellationToken cancellationToken)
    {
        var agents = options.Routing.Agents;
        AgentOptions? agent = agents.Count == 0 ? null : agents[(int)(await counters.NextAsync(RoundRobinCounter, cancellationToken).ConfigureAwait(false) % agents.Count)];
        var variables = new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            ["namaAgent"] = agent is null ? options.Routing.DefaultAgentName : agent.DisplayName ?? agent.UserName,
        };
        if (message.ConversationId is { } conversationId)
        {
            variables["omniConversationId"] = conversationId;
        }

        var record = await runtime.StartAsync(
            new StartRequest
            {
                DefinitionKey = options.Routing.Definitions[channel],
                Channel = channel,
                CustomerRef = message.CustomerRef,
                Agent = agent?.UserName,
                Variables = variables,
                Actor = "system",
                InstanceId = id,
            },
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Message {MessageId} on {Channel} from new customer {CustomerRef}: started {InstanceId} for {Agent}", message.MessageId, channel, message.CustomerRef, record.Id, record.Agent ?? "(unassigned)");
        return record;
    }

    private async Task<InstanceRecord?> TryGetAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.GetAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (InstanceNotFoundException)
        {
            return null;
        }
    }
}

/// <summary>A bounded map of recent keys; the oldest entry goes first when it is full.</summary>
internal sealed class RecentSet<T>(int capacity)
{
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    public bool TryGet(string key, out T value)
    {
        lock (_lock)
        {
            return _items.TryGetValue(key, out value!);
        }
    }

    public void Add(string key, T value)
    {
        lock (_lock)
        {
            if (_items.TryAdd(key, value))
            {
                _order.Enqueue(key);
                while (_order.Count > capacity)
                {
                    _items.Remove(_order.Dequeue());
                }
            }
        }
    }
}
