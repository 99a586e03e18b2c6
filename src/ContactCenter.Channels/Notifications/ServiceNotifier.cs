using System.Text.Json;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Channels.Notifications;

/// <summary>
/// Delivers the service calls that are notices to people (<c>service:slaAlert</c>,
/// <c>service:dispatchTicket</c>, <c>service:closeTicket</c>, <c>service:reservationRequest</c>):
/// each becomes a <see cref="Notification"/> in the feed and on the live stream, and a log event.
/// Delivery always succeeds, so these messages are marked delivered instead of retried forever.
/// </summary>
internal sealed class ServiceNotifier(NotificationFeed feed, TimeProvider clock, ILogger<ServiceNotifier> logger) : IOutboxHandler
{
    private static readonly HashSet<string> Kinds = new(StringComparer.Ordinal)
    {
        "service:slaAlert",
        "service:dispatchTicket",
        "service:closeTicket",
        "service:reservationRequest",
    };

    public bool Handles(string kind) => Kinds.Contains(kind);

    public Task HandleAsync(OutboxRecord message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var service = JsonSerializer.Deserialize<ServicePayload>(message.Payload, JournalSerializer.Options)
            ?? throw new JsonException($"outbox {message.IdempotencyKey}: empty service payload");
        var notification = new Notification(
            message.IdempotencyKey,
            service.ServiceKind,
            TitleOf(service),
            service.InstanceId,
            service.DefinitionKey,
            service.Channel,
            service.CustomerRef,
            service.Agent,
            service.ElementId,
            service.Data,
            clock.GetUtcNow());
        if (feed.Add(notification))
        {
            var level = service.ServiceKind == "slaAlert" ? LogLevel.Warning : LogLevel.Information;
            logger.Log(level, "Notification {Kind} for {InstanceId} ({Channel}, {ElementId}): {Title}", notification.Kind, notification.InstanceId, notification.Channel, notification.ElementId, notification.Title);
        }

        return Task.CompletedTask;
    }

    /// <remarks>The payload names the element, not its label; these are the flows' labels for them.</remarks>
    private static string TitleOf(ServicePayload service) => service.ServiceKind switch
    {
        "slaAlert" when service.ElementId.Contains("Breach", StringComparison.OrdinalIgnoreCase) => "Batas SLA terlampaui",
        "slaAlert" => "Peringatan SLA (75%)",
        "dispatchTicket" => "Dispatch tiket ke tim terkait",
        "closeTicket" => "Tiket pelaporan ditutup",
        "reservationRequest" => "Permintaan reservasi outlet",
        _ => service.ServiceKind,
    };
}
