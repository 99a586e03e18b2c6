using System.Text.Json;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using ContactCenter.Modules.Tickets;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Channels.Notifications;

/// <summary>Told of each new notification once it is stored (the live-updates hub).</summary>
internal interface INotificationListener
{
    void Published(NotificationRecord notification);
}

/// <summary>
/// Delivers the service calls that are notices to people (<c>service:slaAlert</c>,
/// <c>service:dispatchTicket</c>, <c>service:closeTicket</c>, <c>service:reservationRequest</c>):
/// each becomes one durable notification (its id is the outbox message's, so a redelivery adds
/// none), then goes to the live stream. A failure to store throws, and the outbox retries.
/// </summary>
/// <remarks>
/// The title is the service task's name in the flow and the text its <c>cc:script</c> or
/// documentation (<see cref="ServicePayload"/>); a flow without them gets the kind's default.
/// The audience is the Team Leader, the role of the task's lane (Tier 2 in the ticket flow; for an
/// agent's lane, the instance's own agent instead of every agent) and, for a ticket dispatched to
/// a unit, that unit's related team.
/// </remarks>
internal sealed class ServiceNotifier(INotificationStore store, IEnumerable<INotificationListener> listeners, TimeProvider clock, ILogger<ServiceNotifier> logger) : IOutboxHandler
{
    /// <summary>The role that sees every notice.</summary>
    public const string TeamLeaderRole = "TeamLeader";

    private const string AgentRole = "Agent";

    private static readonly Dictionary<string, (string Title, string Text)> Defaults = new(StringComparer.Ordinal)
    {
        ["slaAlert"] = ("Notifikasi SLA tiket", "Periksa tiket ini dan tindak lanjuti sesuai SLA yang berlaku."),
        ["dispatchTicket"] = ("Dispatch tiket ke tim terkait", "Tiket pengaduan diteruskan ke tim terkait untuk pengecekan lebih lanjut."),
        ["closeTicket"] = ("Tiket pelaporan ditutup", "Tiket pelaporan telah ditutup."),
        ["reservationRequest"] = ("Permintaan reservasi outlet", "Permintaan reservasi dikirim ke outlet: konfirmasi jadwal atau usulkan jadwal lain."),
    };

    private readonly INotificationListener[] _listeners = [.. listeners];

    public bool Handles(string kind) => kind.StartsWith("service:", StringComparison.Ordinal) && Defaults.ContainsKey(kind["service:".Length..]);

    public async Task HandleAsync(OutboxRecord message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var service = JsonSerializer.Deserialize<ServicePayload>(message.Payload, JournalSerializer.Options)
            ?? throw new JsonException($"outbox {message.IdempotencyKey}: empty service payload");
        var notification = NotificationOf(message.Id, service, clock.GetUtcNow());
        if (!await store.AddAsync(notification, cancellationToken).ConfigureAwait(false))
        {
            // A redelivery: the process stopped after storing and before the message was marked
            // delivered, perhaps before the live push too. Push again: a browser that already had
            // it reloads the same list, one that did not learns of it now.
            Publish(notification);
            return;
        }

        var level = service.ServiceKind == "slaAlert" ? LogLevel.Warning : LogLevel.Information;
        logger.Log(level, "Notification {Kind} for {InstanceId} ({Channel}, {ElementId}): {Title}", notification.Kind, notification.InstanceId, service.Channel, service.ElementId, notification.Title);
        Publish(notification);
    }

    private void Publish(NotificationRecord notification)
    {
        foreach (var listener in _listeners)
        {
            listener.Published(notification);
        }
    }

    internal static NotificationRecord NotificationOf(Guid id, ServicePayload service, DateTimeOffset now)
    {
        var (title, text) = Defaults.GetValueOrDefault(service.ServiceKind, (service.ServiceKind, service.ServiceKind));
        return new NotificationRecord
        {
            Id = id,
            Kind = service.ServiceKind,
            Title = Clip(string.IsNullOrWhiteSpace(service.ElementName) ? title : service.ElementName.Trim(), NotificationRecord.MaxTitleLength),
            Text = Clip(string.IsNullOrWhiteSpace(service.ElementText) ? text : service.ElementText.Trim(), NotificationRecord.MaxTextLength),
            InstanceId = service.InstanceId,
            Reference = service.CustomerRef,
            Audience = AudienceOf(service),
            CreatedAt = now,
        };
    }

    private static List<string> AudienceOf(ServicePayload service)
    {
        var audience = new List<string> { NotificationAudience.Role(TeamLeaderRole) };
        if (string.Equals(service.ElementPerformer, AgentRole, StringComparison.Ordinal))
        {
            if (!string.IsNullOrWhiteSpace(service.Agent))
            {
                audience.Add(NotificationAudience.User(service.Agent));
            }
        }
        else if (!string.IsNullOrWhiteSpace(service.ElementPerformer) && service.ElementPerformer != TeamLeaderRole)
        {
            audience.Add(NotificationAudience.Role(service.ElementPerformer));
        }

        if (service.Data.TryGetValue(TicketDesk.UnitVariable, out var unit) && !unit.IsNull && !string.IsNullOrWhiteSpace(unit.ToString()))
        {
            audience.Add(NotificationAudience.Group(unit.ToString()));
        }

        return audience;
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
