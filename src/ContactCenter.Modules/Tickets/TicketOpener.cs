using System.Text.Json;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Modules.Tickets;

/// <summary>
/// Turns a conversation's <c>createTicket</c> service call into a ticket: its own instance of the
/// <c>ticket-escalation</c> flow (Tier 2 → Pihak Terkait), linked to the conversation. The
/// ticket instance's id is derived from the outbox message's idempotency key, so delivering the
/// message twice opens one ticket.
/// </summary>
public sealed class TicketOpener(InstanceRuntime runtime, ILogger<TicketOpener> logger) : IOutboxHandler
{
    /// <summary>The definition a ticket runs. Default is <c>ticket-escalation</c>.</summary>
    public string TicketDefinitionKey { get; init; } = "ticket-escalation";

    /// <summary>
    /// The id of the ticket a conversation's <c>createTicket</c> call (the event at
    /// <paramref name="sequence"/> of its journal) opens: known as soon as the call is journaled,
    /// before the outbox delivers it, so the documentation step can name it.
    /// </summary>
    public static Guid TicketIdOf(Guid conversationId, long sequence) => TicketIdOf(InstanceRuntime.OutboxKey(conversationId, sequence));

    private static Guid TicketIdOf(string idempotencyKey) => InstanceRuntime.DeterministicId("ticket:" + idempotencyKey);

    public bool Handles(string kind) => kind == "service:createTicket";

    public async Task HandleAsync(OutboxRecord message, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize<ServicePayload>(message.Payload, JournalSerializer.Options)
            ?? throw new JsonException($"outbox {message.IdempotencyKey}: empty createTicket payload");
        var ticketId = TicketIdOf(message.IdempotencyKey);
        if (await TryGetAsync(ticketId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var variables = new Dictionary<string, Value>(request.Data, StringComparer.Ordinal)
        {
            ["kanal"] = request.Channel,
            ["nasabah"] = request.CustomerRef,
            ["agentPelapor"] = request.Agent,
            ["percakapan"] = request.InstanceId.ToString(),
        };
        try
        {
            await runtime.StartAsync(
                new StartRequest
                {
                    DefinitionKey = TicketDefinitionKey,
                    Channel = "ticket",
                    CustomerRef = request.CustomerRef,
                    Variables = variables,
                    Actor = "system",
                    InstanceId = ticketId,
                    ParentInstanceId = request.InstanceId,
                },
                cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Opened ticket {TicketId} for conversation {InstanceId}", ticketId, request.InstanceId);
        }
        catch (ConcurrencyConflictException)
        {
            // Opened by a concurrent delivery of the same message: done.
        }
    }

    private async Task<bool> TryGetAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.GetAsync(id, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (InstanceNotFoundException)
        {
            return false;
        }
    }
}
