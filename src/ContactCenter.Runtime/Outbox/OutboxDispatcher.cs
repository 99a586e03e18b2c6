using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Runtime.Outbox;

/// <summary>Delivers one kind of outbox message (a prompt to a channel, an alert, a ticket to open).</summary>
public interface IOutboxHandler
{
    /// <summary>True when this handler delivers messages of <paramref name="kind"/> (<c>prompt</c>, <c>service:createTicket</c>, ...).</summary>
    bool Handles(string kind);

    /// <summary>
    /// Delivers the message. Must be idempotent by <see cref="OutboxRecord.IdempotencyKey"/>:
    /// after a crash between delivery and marking it delivered, it is delivered again.
    /// </summary>
    Task HandleAsync(OutboxRecord message, CancellationToken cancellationToken);
}

/// <summary>
/// Told after a commit that wrote outbox rows, so they are delivered now rather than at the next
/// poll. Must be cheap and must not throw into the commit's caller: the rows are already durable,
/// and the poll delivers them anyway.
/// </summary>
public interface IOutboxWakeUp
{
    void RowsWritten();
}

public sealed record OutboxOptions
{
    /// <summary>Most messages taken per pass. Default is 50.</summary>
    public int BatchSize { get; init; } = 50;

    /// <summary>Wait before the first retry; doubled for each further attempt. Default is 2 seconds.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between retries. Default is 5 minutes.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the scheduler's outbox job looks for due messages (retries, and rows no wake-up
    /// announced). A commit that writes outbox rows wakes the job at once (<see cref="IOutboxWakeUp"/>).
    /// Default is 1 second.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Failed attempts after which a message becomes a dead letter (kept, no longer tried). Default
    /// is 20: with the default delays that is about 70 minutes of trying, long enough to ride out a
    /// channel's outage, short enough that a message nobody can deliver does not retry forever.
    /// </summary>
    public int MaxAttempts { get; init; } = 20;

    /// <summary>
    /// How long a pass keeps the messages it took (<see cref="IOutboxStore.ClaimDueAsync"/>) from
    /// other dispatchers (other nodes) before they may take them again. Longer than a batch's
    /// deliveries can take; a node that dies mid-pass delays its messages by at most this. Default is 2 minutes.
    /// </summary>
    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// Delivers outbox rows after their transaction committed, at least once, with retries and
/// exponential back-off. A message with no handler waits (and is retried) rather than being lost;
/// after <see cref="OutboxOptions.MaxAttempts"/> failures it becomes a dead letter, kept with its
/// last error until it is re-queued (<see cref="IOutboxStore.RequeueAsync"/>).
/// </summary>
public sealed class OutboxDispatcher(IOutboxStore store, IEnumerable<IOutboxHandler> handlers, TimeProvider clock, ILogger<OutboxDispatcher> logger, OutboxOptions options)
{
    private readonly OutboxOptions _options = options ?? throw new ArgumentNullException(nameof(options));
    private readonly IReadOnlyList<IOutboxHandler> _handlers = [.. handlers];

    /// <summary>
    /// Passes until a pass delivers less than a full batch: a backlog (after an outage, a burst)
    /// drains in one run instead of one batch per poll. A failure ends the run, so a failing
    /// channel is not hammered; its messages wait for their back-off.
    /// </summary>
    public async Task<int> DispatchAllDueAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        int delivered;
        do
        {
            delivered = await DispatchDueAsync(cancellationToken).ConfigureAwait(false);
            total += delivered;
        }
        while (delivered == _options.BatchSize);
        return total;
    }

    /// <summary>Delivers what is due now, one batch (one pass); returns how many were delivered.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        // Claimed, not just listed: with several nodes, each message goes to one dispatcher.
        var now = clock.GetUtcNow();
        var claimedUntil = now + _options.ClaimTimeout;
        var due = await store.ClaimDueAsync(now, claimedUntil, _options.BatchSize, cancellationToken).ConfigureAwait(false);
        var delivered = 0;
        var next = 0;
        try
        {
            for (; next < due.Count; next++)
            {
                var message = due[next];
                var handler = _handlers.FirstOrDefault(h => h.Handles(message.Kind));
                try
                {
                    if (handler is null)
                    {
                        throw new InvalidOperationException($"no handler delivers '{message.Kind}' messages");
                    }

                    await handler.HandleAsync(message, cancellationToken).ConfigureAwait(false);
                    await store.MarkDeliveredAsync(message.Id, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    delivered++;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // A cancellation nobody asked for (an HTTP client's timeout) is a failed delivery,
                    // retried with back-off; only a cancelled pass stops without counting an attempt.
                    var attempts = message.Attempts + 1;
                    if (attempts >= _options.MaxAttempts)
                    {
                        await store.MarkDeadLetteredAsync(message.Id, attempts, clock.GetUtcNow(), e.Message, cancellationToken).ConfigureAwait(false);
                        logger.LogError(e, "Outbox {Kind} {IdempotencyKey} of {InstanceId} failed {Attempts} times and is now a dead letter; re-queue it once the cause is fixed", message.Kind, message.IdempotencyKey, message.InstanceId, attempts);
                        continue;
                    }

                    var delay = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.FirstRetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
                    await store.MarkFailedAsync(message.Id, attempts, clock.GetUtcNow() + delay, e.Message, cancellationToken).ConfigureAwait(false);
                    logger.LogWarning(e, "Outbox {Kind} {IdempotencyKey} of {InstanceId} failed (attempt {Attempts}); next try in {Delay}", message.Kind, message.IdempotencyKey, message.InstanceId, attempts, delay);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A pass stopped (a shutdown): what it took and did not deliver is due again now, not when its claim lapses.
            await store.ReleaseClaimAsync([.. due.Skip(next).Select(m => m.Id)], claimedUntil, now, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return delivered;
    }
}
