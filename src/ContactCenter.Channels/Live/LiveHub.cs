using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ContactCenter.Channels.Notifications;
using ContactCenter.Engine.Journal;
using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Cluster;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Channels.Live;

/// <summary>One server-sent event: its id, its name and its JSON, with who may see it.</summary>
/// <remarks>A notification carries its own <see cref="Audience"/>, which decides alone who sees it.</remarks>
internal sealed record LiveEvent(long Id, string Name, string Json, string? Channel, string? Agent, string? Unit, IReadOnlyList<string>? Audience = null);

/// <summary>
/// Fans committed instance events and notifications out to the browsers subscribed to
/// <c>/api/live</c>, each filtered by its user's <see cref="LiveAudience"/>.
/// </summary>
/// <remarks>
/// Called on the committing thread: it only serializes and does non-blocking writes. Each
/// subscriber has a bounded buffer that drops its oldest event when a slow browser falls behind
/// (counted, and reported to that browser as an <c>overflow</c> event). Ids are numbered per
/// process; the last <see cref="LiveUpdatesOptions.ReplayCapacity"/> events are kept so a browser
/// that reconnects with <c>Last-Event-ID</c> gets what it missed (from the node it was on: a
/// reconnect to another node starts from now).
/// In a cluster, what this node commits or publishes also goes to the other nodes through
/// <see cref="IClusterSignals"/> (LISTEN/NOTIFY on PostgreSQL), and theirs come in the same way, so a
/// browser sees every node's events whichever node it is connected to.
/// </remarks>
internal sealed class LiveHub : IInstanceObserver, INotificationListener, ILiveStreams, IDisposable
{
    /// <summary>The cluster topic the events travel on between nodes.</summary>
    public const string Topic = "live_events";

    private readonly LiveUpdatesOptions options;
    private readonly ILogger<LiveHub> logger;
    private readonly IClusterSignals _signals;
    private readonly IDisposable _fromOtherNodes;

    public LiveHub(LiveUpdatesOptions options, ILogger<LiveHub> logger, IClusterSignals? signals = null)
    {
        this.options = options;
        this.logger = logger;
        _signals = signals ?? new SingleNode();
        _fromOtherNodes = _signals.Subscribe(Topic, FromOtherNode);
    }

    /// <summary>Journal event types streamed, by their journal name, with the SSE event name each gets.</summary>
    private static readonly Dictionary<string, string> Streamed = new(StringComparer.Ordinal)
    {
        ["instance-started@1"] = "instance-started",
        ["prompt-sent@1"] = "prompt",
        ["message-received@1"] = "message",
        ["work-item-created@1"] = "task-created",
        ["work-item-completed@1"] = "task-completed",
        ["work-item-cancelled@1"] = "task-cancelled",
        ["timer-scheduled@1"] = "timer-armed",
        ["timer-rescheduled@1"] = "timer-rescheduled",
        ["timer-fired@1"] = "timer-fired",
        ["timer-cancelled@1"] = "timer-cancelled",
        ["service-invoked@1"] = "service",
        ["annotated@1"] = "annotation",
        ["instance-completed@1"] = "instance-completed",
        ["instance-cancelled@1"] = "instance-cancelled",
        ["instance-faulted@1"] = "instance-faulted",
    };

    private readonly Lock _lock = new();
    private readonly LinkedList<LiveEvent> _replay = new();
    private readonly List<Subscription> _subscribers = [];
    private long _lastId;
    private long _dropped;

    public int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Events dropped for slow subscribers since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Committed(InstanceRecord instance, IReadOnlyList<WorkflowEvent> events)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(events);
        string? unit = null;
        var unitRead = false;
        foreach (var e in events)
        {
            if (!Streamed.TryGetValue(JournalSerializer.TypeNameOf(e), out var name))
            {
                continue;
            }

            var json = JsonNode.Parse(JournalSerializer.Serialize(e))!.AsObject();
            json["instanceId"] = instance.Id;
            json["definitionKey"] = instance.DefinitionKey;
            json["channel"] = instance.Channel;
            json["customerRef"] = instance.CustomerRef;
            json["agent"] = instance.Agent;
            json["parentInstanceId"] = instance.ParentInstanceId;
            json["status"] = instance.Status.ToString();

            // A related team sees a ticket's events once it is dispatched to its unit (read once per commit).
            if (!unitRead)
            {
                unit = UnitOf(instance);
                unitRead = true;
            }

            Share(Publish(name, json, instance.Channel, instance.Agent, unit));
        }
    }

    public void Published(NotificationRecord notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var json = JsonSerializer.SerializeToNode(NotificationView.Of(notification), JournalSerializer.Options)!.AsObject();
        Share(Publish("notification", json, null, null, null, notification.Audience));
    }

    /// <summary>The form an event travels in between nodes: all but its id, which each node numbers.</summary>
    private sealed record SharedEvent(string Name, string Json, string? Channel, string? Agent, string? Unit, IReadOnlyList<string>? Audience);

    private void Share(LiveEvent e) =>
        _signals.Publish(Topic, JsonSerializer.Serialize(new SharedEvent(e.Name, e.Json, e.Channel, e.Agent, e.Unit, e.Audience)));

    private void FromOtherNode(string payload)
    {
        SharedEvent? shared;
        try
        {
            shared = JsonSerializer.Deserialize<SharedEvent>(payload);
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "A live event from another node could not be read; dropped");
            return;
        }

        if (shared is not null)
        {
            Publish(shared.Name, shared.Json, shared.Channel, shared.Agent, shared.Unit, shared.Audience);
        }
    }

    public void Dispose() => _fromOtherNodes.Dispose();

    /// <summary>The unit a ticket instance is dispatched to; null for a conversation or an undispatched ticket.</summary>
    private static string? UnitOf(InstanceRecord instance)
    {
        if (!string.Equals(instance.Channel, LiveAudience.TicketChannel, StringComparison.Ordinal))
        {
            return null;
        }

        var state = Engine.InstanceState.FromJson(instance.Snapshot);
        return state.Variables.TryGetValue(TicketDesk.UnitVariable, out var unit) && !unit.IsNull ? unit.ToString() : null;
    }

    /// <summary>Subscribes a user; events after <paramref name="lastEventId"/> still kept are queued first.</summary>
    public Subscription Subscribe(ClaimsPrincipal user, long? lastEventId)
    {
        var subscription = new Subscription(this, LiveAudience.For(user), Math.Max(1, options.SubscriberCapacity), user.Identity?.Name);
        lock (_lock)
        {
            if (lastEventId is { } last && last <= _lastId)
            {
                foreach (var e in _replay)
                {
                    if (e.Id > last)
                    {
                        subscription.Offer(e);
                    }
                }
            }

            _subscribers.Add(subscription);
        }

        logger.LogDebug("Live subscriber {User} joined ({Count} now)", user.Identity?.Name, SubscriberCount);
        return subscription;
    }

    private LiveEvent Publish(string name, JsonObject json, string? channel, string? agent, string? unit, IReadOnlyList<string>? audience = null) =>
        Publish(name, json.ToJsonString(JournalSerializer.Options), channel, agent, unit, audience);

    private LiveEvent Publish(string name, string json, string? channel, string? agent, string? unit, IReadOnlyList<string>? audience)
    {
        lock (_lock)
        {
            var e = new LiveEvent(++_lastId, name, json, channel, agent, unit, audience);
            _replay.AddLast(e);
            while (_replay.Count > Math.Max(0, options.ReplayCapacity))
            {
                _replay.RemoveFirst();
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(e);
            }

            return e;
        }
    }

    public void EndStreamsOf(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        List<Subscription> ended;
        lock (_lock)
        {
            ended = _subscribers.FindAll(s => string.Equals(s.UserName, userName, StringComparison.Ordinal));
        }

        // Completing the buffer ends the stream's loop once it has written what it already holds.
        foreach (var subscription in ended)
        {
            subscription.End();
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
        }
    }

    /// <summary>One browser's stream: a bounded buffer of the events its user may see.</summary>
    internal sealed class Subscription : IDisposable
    {
        private readonly LiveHub _hub;
        private readonly Channel<LiveEvent> _buffer;
        private long _dropped;

        public Subscription(LiveHub hub, LiveAudience audience, int capacity, string? userName)
        {
            _hub = hub;
            Audience = audience;
            UserName = userName;
            _buffer = Channel.CreateBounded<LiveEvent>(
                new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                _ =>
                {
                    Interlocked.Increment(ref _dropped);
                    Interlocked.Increment(ref hub._dropped);
                });
        }

        public LiveAudience Audience { get; }

        /// <summary>The signed-in user's name, to end their streams when an administrator changes them.</summary>
        public string? UserName { get; }

        /// <summary>Ends the stream: no further event is buffered.</summary>
        public void End() => _buffer.Writer.TryComplete();

        public ChannelReader<LiveEvent> Reader => _buffer.Reader;

        /// <summary>Events dropped for this subscriber so far.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        public void Offer(LiveEvent e)
        {
            if (e.Audience is { } audience ? Audience.Sees(audience) : Audience.Sees(e.Channel, e.Agent, e.Unit))
            {
                _buffer.Writer.TryWrite(e);
            }
        }

        public void Dispose()
        {
            _hub.Remove(this);
            _buffer.Writer.TryComplete();
        }
    }
}
