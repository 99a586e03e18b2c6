using ContactCenter.Runtime.Storage;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>The delivery side of the <c>outbox</c> table; rows are written by <see cref="EfInstanceStore.CommitAsync"/>.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived context.</remarks>
public sealed class EfOutboxStore(IDbContextFactory<ContactCenterDbContext> contexts) : IOutboxStore
{
    /// <summary>
    /// Undelivered rows, not dead letters, with <c>next_attempt_at &lt;= now</c>, oldest first; rows of one commit in
    /// the order they were committed.
    /// </summary>
    public async Task<IReadOnlyList<OutboxRecord>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            return await DueAsync(context, now, max, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<OutboxRecord>> DueAsync(ContactCenterDbContext context, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var rows = await context.Outbox.AsNoTracking()
            .Where(o => o.DeliveredAt == null && o.DeadLetteredAt == null && o.NextAttemptAt <= now)
            .OrderBy(o => o.CreatedAt).ThenBy(o => o.Position)
            .Take(Math.Max(0, max))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(o => o.ToRecord());
    }

    /// <remarks>
    /// On PostgreSQL one statement: <c>UPDATE … WHERE position IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED) RETURNING</c>:
    /// a dispatcher on another node racing for the same rows skips the ones this claim holds instead
    /// of taking them too, and once the claim committed finds them no longer due. On SQLite (one
    /// node, one dispatcher) the due rows as <see cref="ListDueAsync"/> reads them, unmoved: a lease
    /// there would only hold back, after a crash, the messages the dead process had taken.
    /// </remarks>
    public async Task<IReadOnlyList<OutboxRecord>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset claimedUntil, int max, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            if (!DatabaseDialect.Of(context).LeasesOutboxClaims)
            {
                return await DueAsync(context, now, max, cancellationToken).ConfigureAwait(false);
            }

            const string Claim = """
                UPDATE outbox SET next_attempt_at = {0}
                WHERE position IN (
                    SELECT position FROM outbox
                    WHERE delivered_at IS NULL AND dead_lettered_at IS NULL AND next_attempt_at <= {1}
                    ORDER BY created_at, position
                    LIMIT {2}
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """;
            var rows = await context.Outbox.FromSqlRaw(Claim, claimedUntil.UtcTicks, now.UtcTicks, Math.Max(0, max))
                .AsNoTracking()
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            // RETURNING keeps no order: oldest first, a commit's rows in the order they were written.
            return [.. rows.OrderBy(o => o.CreatedAt).ThenBy(o => o.Position).Select(o => o.ToRecord())];
        }
    }

    /// <remarks>A row another dispatcher took since (its claim lapsed and was renewed) is left alone.</remarks>
    public async Task ReleaseClaimAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset claimedUntil, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            await context.Outbox
                .Where(o => ids.Contains(o.Id) && o.DeliveredAt == null && o.DeadLetteredAt == null && o.NextAttemptAt == claimedUntil)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.NextAttemptAt, dueAt), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <remarks>Idempotent: a row already delivered keeps its first delivery time; an unknown id is ignored.</remarks>
    public async Task MarkDeliveredAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            await context.Outbox
                .Where(o => o.Id == id && o.DeliveredAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.DeliveredAt, at).SetProperty(o => o.LastError, (string?)null), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <remarks>Records the failed attempt on an undelivered row; a delivered or unknown row is left as it is.</remarks>
    public async Task MarkFailedAsync(Guid id, int attempts, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            await context.Outbox
                .Where(o => o.Id == id && o.DeliveredAt == null)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(o => o.Attempts, attempts)
                        .SetProperty(o => o.NextAttemptAt, nextAttemptAt)
                        .SetProperty(o => o.LastError, error),
                    cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <remarks>Only an undelivered row that is not already a dead letter changes.</remarks>
    public async Task MarkDeadLetteredAsync(Guid id, int attempts, DateTimeOffset at, string error, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            await context.Outbox
                .Where(o => o.Id == id && o.DeliveredAt == null && o.DeadLetteredAt == null)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(o => o.Attempts, attempts)
                        .SetProperty(o => o.DeadLetteredAt, at)
                        .SetProperty(o => o.LastError, error),
                    cancellationToken)
                .ConfigureAwait(false);
        }
    }

    public async Task<int> CountDeadLetteredAsync(CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            return await context.Outbox.CountAsync(o => o.DeliveredAt == null && o.DeadLetteredAt != null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <remarks>Both counts and the minimum read the (delivered_at, next_attempt_at) index's undelivered range, not the whole table.</remarks>
    public async Task<OutboxBacklog> BacklogAsync(CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var undelivered = context.Outbox.AsNoTracking().Where(o => o.DeliveredAt == null);
            var pending = await undelivered.CountAsync(o => o.DeadLetteredAt == null, cancellationToken).ConfigureAwait(false);
            var oldest = pending == 0 ? null : await undelivered.Where(o => o.DeadLetteredAt == null).MinAsync(o => (DateTimeOffset?)o.CreatedAt, cancellationToken).ConfigureAwait(false);
            var dead = await undelivered.CountAsync(o => o.DeadLetteredAt != null, cancellationToken).ConfigureAwait(false);
            return new OutboxBacklog(pending, oldest, dead);
        }
    }

    public async Task<IReadOnlyList<OutboxRecord>> ListDeadLetteredAsync(int max, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.Outbox.AsNoTracking()
                .Where(o => o.DeliveredAt == null && o.DeadLetteredAt != null)
                .OrderBy(o => o.CreatedAt).ThenBy(o => o.Position)
                .Take(Math.Max(0, max))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(o => o.ToRecord());
        }
    }

    /// <remarks>The last error is kept, so whoever re-queued it can still see why it failed before.</remarks>
    public async Task<bool> RequeueAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var changed = await context.Outbox
                .Where(o => o.Id == id && o.DeliveredAt == null && o.DeadLetteredAt != null)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(o => o.Attempts, 0)
                        .SetProperty(o => o.NextAttemptAt, now)
                        .SetProperty(o => o.DeadLetteredAt, (DateTimeOffset?)null),
                    cancellationToken)
                .ConfigureAwait(false);
            return changed == 1;
        }
    }
}
