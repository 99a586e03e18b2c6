using ContactCenter.Engine.Expressions;

namespace ContactCenter.Channels.Notifications;

/// <summary>
/// A notice to staff from a service task: an SLA warning or breach for the Team Leader, a ticket
/// dispatched or closed, an outlet reservation request.
/// </summary>
/// <param name="Id">The outbox message's idempotency key: one notification per message, however often delivered.</param>
/// <param name="Kind"><c>slaAlert</c>, <c>dispatchTicket</c>, <c>closeTicket</c> or <c>reservationRequest</c>.</param>
/// <param name="Title">A short staff-facing line (Indonesian, like the flows' element names).</param>
public sealed record Notification(
    string Id,
    string Kind,
    string Title,
    Guid InstanceId,
    string DefinitionKey,
    string Channel,
    string? CustomerRef,
    string? Agent,
    string ElementId,
    IReadOnlyDictionary<string, Value> Data,
    DateTimeOffset At);

/// <summary>Told of each new notification (the live-updates hub).</summary>
internal interface INotificationListener
{
    void Published(Notification notification);
}

/// <summary>The recent notifications, in memory and bounded (the oldest go first).</summary>
public sealed class NotificationFeed
{
    private readonly LinkedList<Notification> _items = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private readonly INotificationListener[] _listeners;

    internal NotificationFeed(ChannelsOptions options, IEnumerable<INotificationListener> listeners)
    {
        _capacity = Math.Max(1, options.NotificationCapacity);
        _listeners = [.. listeners];
    }

    /// <summary>Adds a notification; false when one with its id is already there (a redelivery).</summary>
    internal bool Add(Notification notification)
    {
        lock (_lock)
        {
            if (!_ids.Add(notification.Id))
            {
                return false;
            }

            _items.AddLast(notification);
            while (_items.Count > _capacity)
            {
                _ids.Remove(_items.First!.Value.Id);
                _items.RemoveFirst();
            }
        }

        foreach (var listener in _listeners)
        {
            listener.Published(notification);
        }

        return true;
    }

    /// <summary>The notifications kept now, newest first.</summary>
    public IReadOnlyList<Notification> Recent()
    {
        lock (_lock)
        {
            return [.. _items.Reverse()];
        }
    }
}
