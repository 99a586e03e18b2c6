using ContactCenter.Runtime.Storage;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>
/// The read models (<see cref="IReadModelStore"/>): rows and counters that the projections derive
/// from each commit, written in the commit's own transaction, and the indexed queries the screens
/// read instead of snapshots and journals. The writes are the writer's prepared statements
/// (<see cref="ReadModelStatements"/>).
/// </summary>
public sealed partial class EfInstanceStore : IReadModelStore
{
    public async Task<ReadModelRow?> GetRowAsync(string model, Guid instanceId, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var row = await context.ReadModelRows.AsNoTracking()
                .SingleOrDefaultAsync(r => r.Model == model && r.InstanceId == instanceId, cancellationToken).ConfigureAwait(false);
            return row is null ? null : ToRecord(row);
        }
    }

    public async Task<IReadOnlyList<ReadModelRow>> ListRowsAsync(ReadModelRowQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var result = new List<ReadModelRow>();
            // One indexed range per queue, merged: each range is already in queue order.
            foreach (var queue in query.Queues.Distinct(StringComparer.Ordinal))
            {
                var rows = context.ReadModelRows.AsNoTracking().Where(r => r.Model == query.Model && r.Queue == queue);
                if (query.Partition is { } partition)
                {
                    rows = rows.Where(r => r.Partition == partition);
                }

                var at = query.At;
                rows = query.Band switch
                {
                    DeadlineBand.Lapsed => rows.Where(r => r.DeadlineAt <= at),
                    DeadlineBand.Warned => rows.Where(r => r.DeadlineAt > at && r.WarningAt <= at),
                    DeadlineBand.Running => rows.Where(r => r.DeadlineAt > at && r.WarningAt > at && r.HasDeadline),
                    DeadlineBand.None => rows.Where(r => r.DeadlineAt == DateTimeOffset.MaxValue && !r.HasDeadline),
                    _ => rows,
                };
                var page = await rows
                    .OrderBy(r => r.DeadlineAt).ThenBy(r => r.EnqueuedAt).ThenBy(r => r.InstanceId)
                    .Take(Math.Max(0, query.Limit))
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
                result.AddRange(page.Select(ToRecord));
            }

            return [.. result.OrderBy(r => r.DeadlineAt).ThenBy(r => r.EnqueuedAt).ThenBy(r => r.InstanceId).Take(Math.Max(0, query.Limit))];
        }
    }

    public async Task<IReadOnlyList<ReadModelQueueCount>> CountRowsAsync(string model, IReadOnlyList<string> queues, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var counts = new List<ReadModelQueueCount>();
            foreach (var queue in queues.Distinct(StringComparer.Ordinal))
            {
                // Each count is one range of an index. A lapsed deadline implies a passed warning
                // (the warning comes first), so "warned only" is the difference.
                var rows = context.ReadModelRows.Where(r => r.Model == model && r.Queue == queue);
                var total = await rows.CountAsync(cancellationToken).ConfigureAwait(false);
                var lapsed = await rows.CountAsync(r => r.DeadlineAt <= at, cancellationToken).ConfigureAwait(false);
                var warned = await rows.CountAsync(r => r.WarningAt <= at, cancellationToken).ConfigureAwait(false) - lapsed;
                var none = await rows.CountAsync(r => r.DeadlineAt == DateTimeOffset.MaxValue && !r.HasDeadline, cancellationToken).ConfigureAwait(false);
                counts.Add(new ReadModelQueueCount(queue, total, lapsed, warned, total - lapsed - warned - none, none));
            }

            return counts;
        }
    }

    public async Task<IReadOnlyList<ReadModelCounterTotal>> SumCountersAsync(string name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.ReadModelCounters.AsNoTracking()
                .Where(c => c.Counter == name && c.Bucket >= from && c.Bucket < to)
                .GroupBy(c => c.Dimension)
                .Select(g => new { g.Key, Total = g.Sum(c => c.Amount) })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new ReadModelCounterTotal(r.Key, r.Total))];
        }
    }

    public async Task<IReadOnlyList<ReadModelCounterValue>> ListCountersAsync(string name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            // Summed over the writers' rows (each process adds to its own).
            var rows = await context.ReadModelCounters.AsNoTracking()
                .Where(c => c.Counter == name && c.Bucket >= from && c.Bucket < to)
                .GroupBy(c => new { c.Bucket, c.Dimension })
                .Select(g => new { g.Key.Bucket, g.Key.Dimension, Amount = g.Sum(c => c.Amount) })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.OrderBy(c => c.Bucket).ThenBy(c => c.Dimension, StringComparer.Ordinal).Select(c => new ReadModelCounterValue(c.Dimension, c.Bucket, c.Amount))];
        }
    }

    public Task ClearReadModelsAsync(CancellationToken cancellationToken = default) =>
        _writes.RunAsync(
            async (session, ct) =>
            {
                await session.Context.ReadModelRows.ExecuteDeleteAsync(ct).ConfigureAwait(false);
                return await session.Context.ReadModelCounters.ExecuteDeleteAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);

    public Task ApplyReadModelsAsync(ReadModelChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return _writes.RunAsync(
            async (session, ct) =>
            {
                await ReadModelStatements.WriteAsync(session, changes, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<InstanceRecord>> ListStartedFromAsync(DateTimeOffset startedFrom, int max, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.Instances.AsNoTracking()
                .Where(r => r.StartedAt >= startedFrom)
                .OrderBy(r => r.StartedAt).ThenBy(r => r.Id)
                .Take(Math.Max(0, max))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(r => r.ToRecord());
        }
    }

    public async Task<IReadOnlyList<ReadModelRow>> DumpRowsAsync(CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.ReadModelRows.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToRecord).OrderBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.InstanceId)];
        }
    }

    public async Task<IReadOnlyList<ReadModelCounter>> DumpCountersAsync(CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.ReadModelCounters.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows
                .GroupBy(c => (c.Counter, c.Dimension, c.Bucket))
                .Select(g => new ReadModelCounter(g.Key.Counter, g.Key.Dimension, g.Key.Bucket, g.Sum(c => c.Amount)))
                .OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Key, StringComparer.Ordinal).ThenBy(c => c.Bucket)];
        }
    }

    /// <summary>Retention: an instance's rows of every read model go with it (its counters stay: they are history).</summary>
    private static Task<int> DeleteReadModelRowsAsync(ContactCenterDbContext context, Guid instanceId, CancellationToken cancellationToken) =>
        context.ReadModelRows.Where(r => r.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);

    private static ReadModelRow ToRecord(ReadModelRowEntity r) => new()
    {
        Model = r.Model,
        InstanceId = r.InstanceId,
        InstanceVersion = r.InstanceVersion,
        Queue = r.Queue,
        Partition = r.Partition,
        Priority = r.Priority,
        Category = r.Category,
        HasDeadline = r.HasDeadline,
        DeadlineAt = r.DeadlineAt,
        WarningAt = r.WarningAt,
        EnqueuedAt = r.EnqueuedAt,
        Paused = r.Paused,
        Summary = r.Summary,
    };
}
