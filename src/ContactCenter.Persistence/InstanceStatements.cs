using System.Data.Common;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Persistence;

/// <summary>
/// The instance store's hot statements as plain SQL with named parameters: a commit's rows (instance,
/// journal, timers, outbox), prepared once per writer connection (<see cref="WriteSession"/>), and
/// the reads of an instance row and of a journal, prepared once per kept-open read connection
/// (<see cref="ReadSession"/>). Column names and
/// stored forms are the EF Core model's (<see cref="ContactCenterDbContext"/>), so EF reads what
/// these write.
/// </summary>
/// <remarks>Standard SQL only, the same on SQLite and PostgreSQL; what differs is the stored form of a Guid (<see cref="DatabaseDialect.Id"/>).</remarks>
internal static class InstanceStatements
{
    private const string InsertInstance = """
        INSERT INTO instances (id, definition_key, definition_version, channel, customer_ref, agent, status, version, snapshot, pinned_versions, started_at, updated_at, ended_at, parent_instance_id)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13)
        """;

    // Optimistic concurrency: the row changes only while its stored version is the one the command was decided on.
    private const string UpdateInstance = """
        UPDATE instances SET definition_key = @p1, definition_version = @p2, channel = @p3, customer_ref = @p4, agent = @p5, status = @p6, version = @p7,
            snapshot = @p8, pinned_versions = @p9, started_at = @p10, updated_at = @p11, ended_at = @p12, parent_instance_id = @p13
        WHERE id = @p0 AND version = @p14
        """;

    private const string SelectInstances = """
        SELECT id, definition_key, definition_version, channel, customer_ref, agent, status, version, snapshot, pinned_versions, started_at, updated_at, ended_at, parent_instance_id
        FROM instances
        """;

    private const string SelectInstance = SelectInstances + " WHERE id = @p0";

    private const string SelectVersion = "SELECT version FROM instances WHERE id = @p0";

    private const string InsertEvent = """
        INSERT INTO journal_events (instance_id, sequence, type, "at", actor, json) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)
        """;

    private const string SelectSegment = "SELECT events FROM journal_segments WHERE instance_id = @p0";

    private const string SelectEvents = """
        SELECT sequence, type, "at", actor, json FROM journal_events WHERE instance_id = @p0 ORDER BY sequence
        """;

    private const string DeleteSegment = "DELETE FROM journal_segments WHERE instance_id = @p0";

    private const string InsertSegment = """
        INSERT INTO journal_segments (instance_id, first_sequence, last_sequence, events) VALUES (@p0, @p1, @p2, @p3)
        """;

    private const string DeleteEventsUpTo = "DELETE FROM journal_events WHERE instance_id = @p0 AND sequence <= @p1";

    private const string InsertTimer = """
        INSERT INTO pending_timers (instance_id, timer_id, element_id, due_at, shard, attempts, trace_parent) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)
        """;

    private const string DeleteTimer = "DELETE FROM pending_timers WHERE instance_id = @p0 AND timer_id = @p1";

    private const string InsertOutbox = """
        INSERT INTO outbox (id, idempotency_key, kind, instance_id, payload, created_at, attempts, next_attempt_at, delivered_at, last_error, dead_lettered_at)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10)
        """;

    /// <summary>Adds the insert of a new instance's row; its index in <paramref name="statements"/>.</summary>
    public static int AddInsertInstance(WriteStatements statements, DatabaseDialect dialect, InstanceRecord r) =>
        statements.Add(InsertInstance, InstanceValues(dialect, r));

    /// <summary>Adds the update of the instance row; it changes no row when no row is at <paramref name="expectedVersion"/> (another command acted first).</summary>
    public static int AddUpdateInstance(WriteStatements statements, DatabaseDialect dialect, InstanceRecord r, long expectedVersion) =>
        statements.Add(UpdateInstance, [.. InstanceValues(dialect, r), expectedVersion]);

    /// <summary>The instance row; null when there is none.</summary>
    public static async Task<InstanceRecord?> ReadInstanceAsync(ReadSession session, Guid id, CancellationToken cancellationToken)
    {
        var command = session.Command(SelectInstance, 1);
        command.Parameters[0].Value = session.Dialect.Id(id);
        var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? InstanceRow(session.Dialect, reader) : null;
        }
    }

    /// <summary>
    /// Instances matching every given filter, newest start first (then by id), at most the query's limit:
    /// one statement per combination of filters, prepared once per read connection.
    /// </summary>
    public static async Task<List<InstanceRecord>> QueryInstancesAsync(ReadSession session, InstanceQuery query, CancellationToken cancellationToken)
    {
        var sql = new System.Text.StringBuilder(SelectInstances).Append(" WHERE 1 = 1");
        var values = new List<object>(8);
        void Filter(string condition, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition).Append(" @p").Append(values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                values.Add(value);
            }
        }

        Filter("status =", query.Status?.ToString());
        Filter("agent =", query.Agent);
        Filter("channel =", query.Channel);
        Filter("customer_ref =", query.CustomerRef);
        Filter("parent_instance_id =", query.ParentInstanceId is { } parent ? session.Dialect.Id(parent) : null);
        Filter("definition_key =", query.DefinitionKey);
        Filter("started_at >=", query.StartedFrom?.UtcTicks);
        Filter("started_at <", query.StartedTo?.UtcTicks);
        sql.Append(" ORDER BY started_at DESC, id LIMIT @p").Append(values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        values.Add(Math.Max(0, query.Limit));

        var command = session.Command(sql.ToString(), values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        var found = new List<InstanceRecord>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(InstanceRow(session.Dialect, reader));
            }
        }

        return found;
    }

    /// <summary>The instance row the reader is on (the columns of <see cref="SelectInstances"/>).</summary>
    private static InstanceRecord InstanceRow(DatabaseDialect dialect, DbDataReader reader) => new()
    {
        Id = dialect.ReadId(reader, 0),
        DefinitionKey = reader.GetString(1),
        DefinitionVersion = reader.GetInt32(2),
        Channel = reader.GetString(3),
        CustomerRef = reader.IsDBNull(4) ? null : reader.GetString(4),
        Agent = reader.IsDBNull(5) ? null : reader.GetString(5),
        Status = Enum.Parse<ContactCenter.Engine.InstanceStatus>(reader.GetString(6)),
        Version = reader.GetInt64(7),
        Snapshot = reader.GetString(8),
        PinnedVersions = RecordMapping.PinnedFromJson(reader.GetString(9)),
        StartedAt = Instant(reader.GetInt64(10)),
        UpdatedAt = Instant(reader.GetInt64(11)),
        EndedAt = reader.IsDBNull(12) ? null : Instant(reader.GetInt64(12)),
        ParentInstanceId = reader.IsDBNull(13) ? null : dialect.ReadId(reader, 13),
    };

    /// <summary>An instant as the model stores it (UTC ticks, see <see cref="ContactCenterDbContext.UtcTicksConverter"/>).</summary>
    private static DateTimeOffset Instant(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    public static async Task<long?> StoredVersionAsync(WriteSession session, Guid id, CancellationToken cancellationToken)
    {
        var command = session.Command(SelectVersion, 1);
        command.Parameters[0].Value = session.Dialect.Id(id);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } version and not DBNull
            ? Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    public static void AddInsertEvent(WriteStatements statements, DatabaseDialect dialect, JournalRecord e) =>
        statements.Add(InsertEvent, dialect.Id(e.InstanceId), e.Sequence, e.Type, e.At.UtcTicks, e.Actor, e.Json);

    /// <summary>
    /// Replaces the instance's segment with <paramref name="segment"/> (its journal up to
    /// <paramref name="lastSequence"/>, read and encoded outside the writer) and deletes the rows it
    /// covers, only while the instance is still at that version: false, writing nothing, when another
    /// command acted since the journal was read (see <see cref="JournalSegment"/>).
    /// </summary>
    public static async Task<bool> WriteSegmentAsync(WriteSession session, Guid instanceId, long lastSequence, byte[] segment, CancellationToken cancellationToken)
    {
        if (await StoredVersionAsync(session, instanceId, cancellationToken).ConfigureAwait(false) != lastSequence)
        {
            return false;
        }

        var id = session.Dialect.Id(instanceId);
        var statements = session.Statements();
        statements.Add(DeleteSegment, id);
        statements.Add(InsertSegment, id, 1L, lastSequence, segment);
        statements.Add(DeleteEventsUpTo, id, lastSequence);
        await session.ExecuteAsync(statements, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>An instance's journal in sequence order: its segment's events, then its rows.</summary>
    public static Task<List<JournalRecord>> ReadJournalAsync(ReadSession session, Guid instanceId, CancellationToken cancellationToken) =>
        ReadJournalAsync(session.Command(SelectSegment, 1), session.Command(SelectEvents, 1), session.Dialect.Id(instanceId), instanceId, cancellationToken);

    /// <summary>An instance's journal in sequence order: its segment's events, then its rows after them.</summary>
    /// <remarks>
    /// Two statements, not one snapshot: the background compaction may commit between them (replace
    /// the segment, delete the rows it now covers). Rows are read first, then the segment, and only
    /// rows after the segment's last sequence are kept: whichever side of the compaction each read
    /// saw, every event is there once (rows read before it are in the segment read after it).
    /// </remarks>
    /// <param name="segment">The prepared command of <see cref="SelectSegment"/>.</param>
    /// <param name="rows">The prepared command of <see cref="SelectEvents"/>.</param>
    /// <param name="id">The instance id in its stored form.</param>
    private static async Task<List<JournalRecord>> ReadJournalAsync(DbCommand segment, DbCommand rows, object id, Guid instanceId, CancellationToken cancellationToken)
    {
        var tail = new List<JournalRecord>();
        rows.Parameters[0].Value = id;
        var reader = await rows.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tail.Add(new JournalRecord(
                    instanceId,
                    reader.GetInt64(0),
                    reader.GetString(1),
                    Instant(reader.GetInt64(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4)));
            }
        }

        segment.Parameters[0].Value = id;
        if (await segment.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not byte[] compressed)
        {
            return tail;
        }

        var events = JournalSegment.Decode(instanceId, compressed);
        var last = events.Count == 0 ? 0 : events[^1].Sequence;
        events.AddRange(tail.Where(e => e.Sequence > last));
        return events;
    }

    public static void AddInsertTimer(WriteStatements statements, DatabaseDialect dialect, TimerRecord t) =>
        statements.Add(InsertTimer, dialect.Id(t.InstanceId), t.TimerId, t.ElementId, t.DueAt.UtcTicks, t.Shard, t.Attempts, t.TraceParent);

    public static void AddRemoveTimer(WriteStatements statements, DatabaseDialect dialect, Guid instanceId, long timerId) =>
        statements.Add(DeleteTimer, dialect.Id(instanceId), timerId);

    public static void AddInsertOutbox(WriteStatements statements, DatabaseDialect dialect, OutboxRecord o) =>
        statements.Add(
            InsertOutbox,
            dialect.Id(o.Id),
            o.IdempotencyKey,
            o.Kind,
            dialect.Id(o.InstanceId),
            o.Payload,
            o.CreatedAt.UtcTicks,
            o.Attempts,
            o.NextAttemptAt.UtcTicks,
            o.DeliveredAt?.UtcTicks,
            o.LastError,
            o.DeadLetteredAt?.UtcTicks);

    private static object?[] InstanceValues(DatabaseDialect dialect, InstanceRecord r) =>
    [
        dialect.Id(r.Id),
        r.DefinitionKey,
        r.DefinitionVersion,
        r.Channel,
        r.CustomerRef,
        r.Agent,
        r.Status.ToString(),
        r.Version,
        r.Snapshot,
        RecordMapping.PinnedJson(r.PinnedVersions),
        r.StartedAt.UtcTicks,
        r.UpdatedAt.UtcTicks,
        r.EndedAt?.UtcTicks,
        r.ParentInstanceId is { } parent ? dialect.Id(parent) : null,
    ];
}
