using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>
/// The outbox's dead letters for an administrator: messages the dispatcher gave up on (a channel
/// that refused them, a kind nobody handles), with their last error, and re-queueing one once
/// the cause is fixed. <c>/health/ready</c> reports Degraded while there are any.
/// </summary>
public static class OutboxEndpoints
{
    /// <summary>A dead letter as an administrator needs it to decide: what, for which instance, how often it failed and why.</summary>
    public sealed record DeadLetterView(Guid Id, string Kind, Guid InstanceId, string IdempotencyKey, DateTimeOffset CreatedAt, int Attempts, DateTimeOffset? DeadLetteredAt, string? LastError, string Payload);

    public static IEndpointRouteBuilder MapOutboxEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/outbox").WithTags("Outbox").RequireAuthorization(Policies.Admin);
        group.MapGet("/dead-letters", ListAsync)
            .WithSummary("Messages the outbox gave up on after its most attempts, oldest first (at most 500).");
        group.MapPost("/{messageId:guid}/requeue", RequeueAsync)
            .WithSummary("Makes a dead letter due again now, its attempts counted afresh.").ProducesProblem(404);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<DeadLetterView>>> ListAsync(IOutboxStore outbox, CancellationToken cancellationToken)
    {
        var dead = await outbox.ListDeadLetteredAsync(500, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<DeadLetterView>>([.. dead.Select(m => new DeadLetterView(m.Id, m.Kind, m.InstanceId, m.IdempotencyKey, m.CreatedAt, m.Attempts, m.DeadLetteredAt, m.LastError, m.Payload))]);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RequeueAsync(Guid messageId, IOutboxStore outbox, TimeProvider clock, CancellationToken cancellationToken) =>
        await outbox.RequeueAsync(messageId, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"outbox message {messageId} is not a dead letter");
}
