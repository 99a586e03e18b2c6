using ContactCenter.Runtime.Storage;

namespace ContactCenter.Persistence;

/// <summary>
/// A commit's read-model changes as plain SQL prepared once per writer connection
/// (<see cref="WriteSession"/>), like the commit's other rows (<see cref="InstanceStatements"/>):
/// one statement per row or counter, no SQL text composed or parsed per commit. The counters'
/// upsert-add is <c>INSERT … ON CONFLICT … DO UPDATE</c>, which SQLite and PostgreSQL both speak.
/// </summary>
internal static class ReadModelStatements
{
    private const string DeleteRow = "DELETE FROM read_model_rows WHERE model = @p0 AND instance_id = @p1";

    private const string UpsertRow = """
        INSERT INTO read_model_rows (model, instance_id, instance_version, queue, partition, priority, category, has_deadline, deadline_at, warning_at, enqueued_at, paused, summary)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12)
        ON CONFLICT (model, instance_id) DO UPDATE SET
            instance_version = excluded.instance_version, queue = excluded.queue, partition = excluded.partition,
            priority = excluded.priority, category = excluded.category, has_deadline = excluded.has_deadline,
            deadline_at = excluded.deadline_at, warning_at = excluded.warning_at, enqueued_at = excluded.enqueued_at,
            paused = excluded.paused, summary = excluded.summary
        """;

    private const string AddToCounter = """
        INSERT INTO read_model_counters (counter, dimension, bucket, writer, amount) VALUES (@p0, @p1, @p2, @p3, @p4)
        ON CONFLICT (counter, bucket, dimension, writer) DO UPDATE SET amount = read_model_counters.amount + excluded.amount
        """;

    /// <summary>Rows deleted, rows replaced whole (the last of an instance wins), counters added to (summed per key first).</summary>
    public static async Task WriteAsync(WriteSession session, ReadModelChanges changes, CancellationToken cancellationToken)
    {
        if (!changes.IsEmpty)
        {
            var statements = session.Statements();
            Add(statements, session.Dialect, changes);
            await session.ExecuteAsync(statements, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds <see cref="WriteAsync"/>'s statements to a write's others (a commit's).</summary>
    public static void Add(WriteStatements statements, DatabaseDialect dialect, ReadModelChanges changes)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        foreach (var (model, instanceId) in changes.Deletes)
        {
            statements.Add(DeleteRow, model, dialect.Id(instanceId));
        }

        var upserts = changes.Upserts;
        var last = LastRowOfEachInstance(upserts);
        for (var i = 0; i < upserts.Count; i++)
        {
            var r = upserts[i];
            if (last is not null && last[(r.Model, r.InstanceId)] != i)
            {
                continue; // a later row of the same instance replaces it (a rebuild of several commits in one batch)
            }

            statements.Add(
                UpsertRow,
                r.Model,
                dialect.Id(r.InstanceId),
                r.InstanceVersion,
                r.Queue,
                r.Partition,
                r.Priority,
                r.Category,
                r.HasDeadline,
                r.DeadlineAt.UtcTicks,
                r.WarningAt.UtcTicks,
                r.EnqueuedAt.UtcTicks,
                r.Paused,
                r.Summary);
        }

        foreach (var (key, delta) in SumPerKey(changes.Counters))
        {
            if (delta != 0)
            {
                statements.Add(AddToCounter, key.Name, key.Key, key.Bucket, dialect.CounterWriter, delta);
            }
        }
    }

    /// <summary>The index of each instance's last row; null when there is at most one row (a commit's usual case).</summary>
    private static Dictionary<(string Model, Guid InstanceId), int>? LastRowOfEachInstance(IReadOnlyList<ReadModelRow> upserts)
    {
        if (upserts.Count < 2)
        {
            return null;
        }

        var last = new Dictionary<(string Model, Guid InstanceId), int>(upserts.Count);
        for (var i = 0; i < upserts.Count; i++)
        {
            last[(upserts[i].Model, upserts[i].InstanceId)] = i;
        }

        return last;
    }

    /// <summary>The deltas summed per counter, key and bucket, in first-seen order (one statement may not touch a row twice on PostgreSQL).</summary>
    private static List<KeyValuePair<(string Name, string Key, long Bucket), long>> SumPerKey(IReadOnlyList<ReadModelCounter> counters)
    {
        var sums = new Dictionary<(string Name, string Key, long Bucket), int>(counters.Count);
        var result = new List<KeyValuePair<(string Name, string Key, long Bucket), long>>(counters.Count);
        foreach (var c in counters)
        {
            var key = (c.Name, c.Key, c.Bucket.UtcTicks);
            if (sums.TryGetValue(key, out var at))
            {
                result[at] = new(key, result[at].Value + c.Delta);
            }
            else
            {
                sums.Add(key, result.Count);
                result.Add(new(key, c.Delta));
            }
        }

        return result;
    }
}
