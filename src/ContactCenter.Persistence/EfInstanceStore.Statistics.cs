using ContactCenter.Engine;
using ContactCenter.Runtime.Storage;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>The dashboard's counting queries: done by the database, not by loading journals.</summary>
public sealed partial class EfInstanceStore
{
    private const string ScopeStarted = "scope-started@1";
    private const string ElementEntered = "element-entered@1";

    /// <remarks>
    /// One SQL statement. The candidate instances come from the <c>started_at</c> index (and are
    /// those of the definition itself or pinning it for a call activity); their journal rows are
    /// read by the primary key (instance, sequence). An <c>element-entered@1</c> counts for the
    /// definition and version of its scope (<c>scope-started@1</c> with the same <c>scopeId</c>),
    /// so the elements of a called flow count for that flow and the call activity for the caller.
    /// The JSON fields are read with SQLite's <c>json_extract</c>; on PostgreSQL the same statement
    /// would use <c>json -&gt;&gt; 'elementId'</c>.
    /// </remarks>
    public async Task<ElementCounts> CountElementsAsync(ElementCountQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var key = query.DefinitionKey;
        var pinned = $"\"{key}\":";
        var from = query.StartedFrom.UtcTicks;
        var to = query.StartedTo.UtcTicks;
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            // Ended instances keep their journal compressed (journal_segments): their scope and
            // element events are unpacked into a temporary table of this connection, which the
            // statement reads beside journal_events.
            await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await UnpackSegmentsAsync(context, key, pinned, from, to, cancellationToken).ConfigureAwait(false);
            var rows = await context.Database.SqlQuery<CountRow>($"""
                WITH candidates AS (
                    SELECT id FROM instances
                    WHERE started_at >= {from} AND started_at < {to}
                      AND (definition_key = {key} OR instr(pinned_versions, {pinned}) > 0)
                ),
                events AS (
                    SELECT j.instance_id AS instance_id, j.type AS type, j."at" AS "at", j.json AS json
                    FROM candidates c JOIN journal_events j ON j.instance_id = c.id
                    WHERE j.type IN ({ScopeStarted}, {ElementEntered})
                    UNION ALL
                    SELECT instance_id, type, "at", json FROM temp.segment_events
                ),
                scopes AS (
                    SELECT j.instance_id AS instance_id,
                           json_extract(j.json, '$.scopeId') AS scope_id,
                           json_extract(j.json, '$.definitionVersion') AS version
                    FROM events j
                    WHERE j.type = {ScopeStarted} AND json_extract(j.json, '$.definitionKey') = {key}
                ),
                entered AS MATERIALIZED (
                    SELECT j.instance_id AS instance_id, s.version AS version,
                           json_extract(j.json, '$.elementId') AS element_id,
                           json_extract(j.json, '$.flowId') AS flow_id
                    FROM scopes s JOIN events j ON j.instance_id = s.instance_id
                    WHERE j.type = {ElementEntered} AND j."at" < {to}
                      AND json_extract(j.json, '$.scopeId') = s.scope_id
                )
                SELECT 'v' AS "Kind", version AS "Version", '' AS "Id", COUNT(*) AS "Count", COUNT(DISTINCT instance_id) AS "Instances"
                FROM entered GROUP BY version
                UNION ALL
                SELECT 'e', version, element_id, COUNT(*), COUNT(DISTINCT instance_id)
                FROM entered GROUP BY version, element_id
                UNION ALL
                SELECT 'f', version, flow_id, COUNT(*), COUNT(DISTINCT instance_id)
                FROM entered WHERE flow_id IS NOT NULL GROUP BY version, flow_id
                """).ToListAsync(cancellationToken).ConfigureAwait(false);

            var versions = rows
                .Where(r => r.Kind == "v")
                .OrderBy(r => r.Version)
                .Select(v => new VersionElementCounts(
                    (int)v.Version,
                    (int)v.Instances,
                    [.. rows.Where(r => r.Kind == "e" && r.Version == v.Version).OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => new ElementCount(r.Id, (int)r.Count, (int)r.Instances))],
                    [.. rows.Where(r => r.Kind == "f" && r.Version == v.Version).OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => new FlowCount(r.Id, (int)r.Count))]))
                .ToList();
            return new ElementCounts(key, versions);
        }
    }

    /// <summary>
    /// Fills <c>temp.segment_events</c> (created on first use, emptied each time) with the scope and
    /// element events of the candidate instances whose journal is a segment.
    /// </summary>
    private static async Task UnpackSegmentsAsync(ContactCenterDbContext context, string key, string pinned, long from, long to, CancellationToken cancellationToken)
    {
        var connection = context.Database.GetDbConnection();
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                CREATE TEMP TABLE IF NOT EXISTS segment_events (instance_id TEXT NOT NULL, type TEXT NOT NULL, "at" INTEGER NOT NULL, json TEXT NOT NULL);
                DELETE FROM temp.segment_events;
                """;
            await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var segments = new List<(Guid Id, byte[] Events)>();
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = """
                SELECT s.instance_id, s.events FROM journal_segments s JOIN instances i ON i.id = s.instance_id
                WHERE i.started_at >= @from AND i.started_at < @to AND (i.definition_key = @key OR instr(i.pinned_versions, @pinned) > 0)
                """;
            AddParameter(select, "@from", from);
            AddParameter(select, "@to", to);
            AddParameter(select, "@key", key);
            AddParameter(select, "@pinned", pinned);
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    segments.Add((StoredForm.ReadId(reader, 0), (byte[])reader.GetValue(1)));
                }
            }
        }

        if (segments.Count == 0)
        {
            return;
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO temp.segment_events (instance_id, type, \"at\", json) VALUES (@id, @type, @at, @json)";
        var id = AddParameter(insert, "@id", "");
        var type = AddParameter(insert, "@type", "");
        var at = AddParameter(insert, "@at", 0L);
        var json = AddParameter(insert, "@json", "");
        foreach (var (instanceId, events) in segments)
        {
            id.Value = StoredForm.Id(instanceId);
            foreach (var e in JournalSegment.Decode(instanceId, events))
            {
                if (e.Type is ScopeStarted or ElementEntered)
                {
                    type.Value = e.Type;
                    at.Value = e.At.UtcTicks;
                    json.Value = e.Json;
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static System.Data.Common.DbParameter AddParameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public async Task<IReadOnlyList<InstanceActivity>> ListActivityAsync(DateTimeOffset startedFrom, DateTimeOffset startedTo, int max, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.Instances.AsNoTracking()
                .Where(r => r.StartedAt >= startedFrom && r.StartedAt < startedTo)
                .OrderBy(r => r.StartedAt).ThenBy(r => r.Id)
                .Take(Math.Max(0, max))
                .Select(r => new { r.Id, r.DefinitionKey, r.Channel, r.Agent, r.Status, r.StartedAt, r.EndedAt })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(r => new InstanceActivity(r.Id, r.DefinitionKey, r.Channel, r.Agent, Enum.Parse<InstanceStatus>(r.Status), r.StartedAt, r.EndedAt));
        }
    }

    /// <summary>One row of the counting statement: a version total ('v'), an element ('e') or a flow ('f').</summary>
    private sealed class CountRow
    {
        public string Kind { get; set; } = "";

        public long Version { get; set; }

        public string Id { get; set; } = "";

        public long Count { get; set; }

        public long Instances { get; set; }
    }

    /// <remarks>Reads the status index's running range; the channel comes from each running row.</remarks>
    public async Task<IReadOnlyDictionary<string, int>> CountRunningByChannelAsync(CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var running = nameof(InstanceStatus.Running);
            var counts = await context.Instances.AsNoTracking()
                .Where(r => r.Status == running)
                .GroupBy(r => r.Channel)
                .Select(g => new { Channel = g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return counts.ToDictionary(c => c.Channel, c => c.Count, StringComparer.Ordinal);
        }
    }
}
