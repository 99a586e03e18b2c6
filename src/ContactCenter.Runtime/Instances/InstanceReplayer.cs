using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Runtime.Instances;

/// <summary>What a replay of one instance found: the engine's report, and whether the stored snapshot agrees with the journal.</summary>
public sealed record InstanceReplayReport(Guid? InstanceId, IReadOnlyDictionary<string, int> PinnedVersions, ReplayReport Replay, bool SnapshotMatches)
{
    public bool Matches => Replay.Matches && SnapshotMatches;
}

/// <summary>
/// Exact replay of stored histories for Quality Control: reads an instance's journal rows (or a
/// JSON Lines export), loads the definition versions it is pinned to, and lets
/// <see cref="JournalReplay"/> decide every recorded input again. A row that no longer parses is
/// a divergence at its sequence number, as is a snapshot that the journal does not fold to.
/// </summary>
public sealed class InstanceReplayer(DefinitionCatalog catalog, IInstanceStore store)
{
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    public async Task<InstanceReplayReport> VerifyAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        var record = await store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false) ?? throw new InstanceNotFoundException(instanceId);
        var rows = await store.ReadJournalAsync(instanceId, cancellationToken).ConfigureAwait(false);
        var (journal, unreadable) = Parse(rows.OrderBy(r => r.Sequence).Select(r => (r.Sequence, r.Json)));
        if (unreadable is { } bad)
        {
            return new InstanceReplayReport(instanceId, record.PinnedVersions, Unreadable(journal, rows.Count, bad), false);
        }

        // The versions the journal names, not the record's pins: a migrated instance ran on two.
        var report = JournalReplay.Verify(await catalog.ReplaySetAsync(journal, cancellationToken).ConfigureAwait(false), journal);
        var snapshotMatches = report.Matches && SnapshotOf(journal) == record.Snapshot;
        return new InstanceReplayReport(instanceId, record.PinnedVersions, report, snapshotMatches);
    }

    /// <summary>Replays a journal exported as JSON Lines (one event a line), on the definition versions its events name.</summary>
    /// <exception cref="CatalogException">A definition version the journal ran on is not in the catalogue.</exception>
    public async Task<InstanceReplayReport> VerifyExportAsync(string jsonLines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jsonLines);
        var lines = jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (journal, unreadable) = Parse(lines.Select((line, i) => ((long)i + 1, line)));
        var pinned = JournalReplay.PinnedVersionsOf(journal);
        if (unreadable is { } bad)
        {
            return new InstanceReplayReport(null, pinned, Unreadable(journal, lines.Length, bad), false);
        }

        var report = JournalReplay.Verify(await catalog.ReplaySetAsync(journal, cancellationToken).ConfigureAwait(false), journal);
        return new InstanceReplayReport(null, pinned, report, report.Matches);
    }

    private static (List<WorkflowEvent> Journal, (long Sequence, string Json, string Error)? Unreadable) Parse(IEnumerable<(long Sequence, string Json)> rows)
    {
        var journal = new List<WorkflowEvent>();
        foreach (var (sequence, json) in rows)
        {
            try
            {
                journal.Add(JournalSerializer.Deserialize(json));
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
            {
                return (journal, (sequence, json, e.Message));
            }
        }

        return (journal, null);
    }

    private static ReplayReport Unreadable(List<WorkflowEvent> parsed, int total, (long Sequence, string Json, string Error) row) =>
        new(0, parsed.Count, total, new ReplayDivergence(row.Sequence, row.Json, null, $"the journal row does not parse: {row.Error}"));

    private static string? SnapshotOf(IReadOnlyList<WorkflowEvent> journal)
    {
        try
        {
            return WorkflowEngine.Fold(journal).ToJson();
        }
        catch (JournalException)
        {
            return null;
        }
    }
}
