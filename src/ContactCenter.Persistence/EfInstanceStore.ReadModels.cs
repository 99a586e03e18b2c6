using System.Text;
using ContactCenter.Runtime.Storage;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>
/// The read models (<see cref="IReadModelStore"/>): rows and counters that the projections derive
/// from each commit, written in the commit's own transaction, and the indexed queries the screens
/// read instead of snapshots and journals. Plain SQL on both sides (the counters' upsert-add is
/// <c>INSERT … ON CONFLICT … DO UPDATE</c>, which SQLite and PostgreSQL both speak).
/// </summary>
public sealed partial class EfInstanceStore : IReadModelStore
{
    /// <summary>Counters per statement of the upsert-add (4 parameters each; SQLite allows 32,766).</summary>
    private const int CountersPerStatement = 200;

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
            var rows = await context.ReadModelCounters.AsNoTracking()
                .Where(c => c.Counter == name && c.Bucket >= from && c.Bucket < to)
                .OrderBy(c => c.Bucket).ThenBy(c => c.Dimension)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(c => new ReadModelCounterValue(c.Dimension, c.Bucket, c.Amount));
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
                await WriteReadModelsAsync(session.Context, changes, ct).ConfigureAwait(false);
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
                .Select(c => new ReadModelCounter(c.Counter, c.Dimension, c.Bucket, c.Amount))
                .OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Key, StringComparer.Ordinal).ThenBy(c => c.Bucket)];
        }
    }

    /// <summary>A commit's read-model changes, inside its transaction (and savepoint): rows replaced whole, counters added to.</summary>
    private static async Task WriteReadModelsAsync(ContactCenterDbContext context, ReadModelChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        // Plain statements, not the change tracker, sent as one command: this runs on the single
        // writer, once per commit.
        var batch = new StatementBatch(context);
        foreach (var (model, instanceId) in changes.Deletes)
        {
            await batch.AddAsync("DELETE FROM read_model_rows WHERE model = {0} AND instance_id = {1}", [model, instanceId], cancellationToken).ConfigureAwait(false);
        }

        // The last row of an instance wins (a rebuild of several commits in one batch).
        foreach (var r in changes.Upserts.GroupBy(r => (r.Model, r.InstanceId)).Select(g => g.Last()))
        {
            await batch.AddAsync(
                """
                INSERT INTO read_model_rows (model, instance_id, instance_version, queue, partition, priority, category, has_deadline, deadline_at, warning_at, enqueued_at, paused, summary)
                VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12})
                ON CONFLICT (model, instance_id) DO UPDATE SET
                    instance_version = excluded.instance_version, queue = excluded.queue, partition = excluded.partition,
                    priority = excluded.priority, category = excluded.category, has_deadline = excluded.has_deadline,
                    deadline_at = excluded.deadline_at, warning_at = excluded.warning_at, enqueued_at = excluded.enqueued_at,
                    paused = excluded.paused, summary = excluded.summary
                """,
                [r.Model, r.InstanceId, r.InstanceVersion, r.Queue, r.Partition, r.Priority, r.Category, r.HasDeadline, r.DeadlineAt.UtcTicks, r.WarningAt.UtcTicks, r.EnqueuedAt.UtcTicks, r.Paused, r.Summary],
                cancellationToken).ConfigureAwait(false);
        }

        // Summed per key first: one statement may not touch a row twice on PostgreSQL.
        var counters = changes.Counters
            .GroupBy(c => (c.Name, c.Key, Bucket: c.Bucket.UtcTicks))
            .Select(g => (g.Key.Name, g.Key.Key, g.Key.Bucket, Delta: g.Sum(c => c.Delta)))
            .Where(c => c.Delta != 0)
            .ToList();
        foreach (var chunk in counters.Chunk(CountersPerStatement))
        {
            var sql = new StringBuilder("INSERT INTO read_model_counters (counter, dimension, bucket, amount) VALUES ");
            var parameters = new object?[chunk.Length * 4];
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append($"({{{i * 4}}}, {{{(i * 4) + 1}}}, {{{(i * 4) + 2}}}, {{{(i * 4) + 3}}})");
                (parameters[i * 4], parameters[(i * 4) + 1], parameters[(i * 4) + 2], parameters[(i * 4) + 3]) = (chunk[i].Name, chunk[i].Key, chunk[i].Bucket, chunk[i].Delta);
            }

            sql.Append(" ON CONFLICT (counter, bucket, dimension) DO UPDATE SET amount = read_model_counters.amount + excluded.amount");
            await batch.AddAsync(sql.ToString(), parameters, cancellationToken).ConfigureAwait(false);
        }

        await batch.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Statements with <c>{n}</c> placeholders, renumbered and sent together as one command (SQLite
    /// and PostgreSQL both run several statements in one), flushed before the parameters reach
    /// SQLite's limit.
    /// </summary>
    private sealed class StatementBatch(ContactCenterDbContext context)
    {
        private const int MaxParameters = 2_000; // EF Core composes a command's parameters one by one: large commands cost more than they save
        private readonly StringBuilder _sql = new();
        private readonly List<object?> _parameters = [];

        public async Task AddAsync(string sql, object?[] parameters, CancellationToken cancellationToken)
        {
            if (_parameters.Count + parameters.Length > MaxParameters)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            var offset = _parameters.Count;
            var renumbered = sql;
            for (var i = parameters.Length - 1; i >= 0; i--)
            {
                renumbered = renumbered.Replace($"{{{i}}}", $"{{{offset + i}}}", StringComparison.Ordinal);
            }

            _sql.Append(renumbered).Append(";\n");
            _parameters.AddRange(parameters);
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_sql.Length > 0)
            {
                await context.Database.ExecuteSqlRawAsync(_sql.ToString(), _parameters!, cancellationToken).ConfigureAwait(false);
                _sql.Clear();
                _parameters.Clear();
            }
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
