using ContactCenter.Engine;

namespace ContactCenter.Runtime.Storage;

/// <summary>What a rebuild did.</summary>
public sealed record ReadModelRebuild(int Instances, int Rows, int Counters, int Batches);

/// <summary>
/// Rebuilds every read model from the journals with the same projections the commits run: the
/// tables are emptied, then each instance's whole journal is given to the projections as one
/// commit from the empty state, batch by batch (oldest start first), each batch written in one
/// transaction. Counters of instances that retention deleted cannot come back: their journals are
/// gone. Run it with no server writing to the same database (a live commit could land between
/// an instance's read and its batch's write).
/// </summary>
public sealed class ReadModelRebuilder(IInstanceStore store, IReadModelStore readModels, IEnumerable<ICommitProjection> projections)
{
    private readonly ICommitProjection[] _projections = [.. projections];

    /// <summary>Instances per batch. Default is 500.</summary>
    public int BatchSize { get; init; } = 500;

    public async Task<ReadModelRebuild> RebuildAsync(Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        await readModels.ClearReadModelsAsync(cancellationToken).ConfigureAwait(false);
        var batchSize = Math.Max(1, BatchSize);
        var from = DateTimeOffset.MinValue;
        var doneAtFrom = new HashSet<Guid>(); // instances already rebuilt that started at `from` (keyset ties)
        int instances = 0, rows = 0, counters = 0, batches = 0;
        while (true)
        {
            var limit = batchSize + doneAtFrom.Count;
            var page = await readModels.ListStartedFromAsync(from, limit, cancellationToken).ConfigureAwait(false);
            var batch = page.Where(r => !doneAtFrom.Contains(r.Id)).ToList();
            if (batch.Count == 0)
            {
                break;
            }

            var changes = ReadModelChanges.None;
            foreach (var record in batch)
            {
                changes = changes.Then(await ProjectAsync(record, cancellationToken).ConfigureAwait(false));
            }

            await readModels.ApplyReadModelsAsync(changes, cancellationToken).ConfigureAwait(false);
            instances += batch.Count;
            rows += changes.Upserts.Count;
            counters += changes.Counters.Count;
            batches++;
            progress?.Invoke(instances);

            var last = batch[^1].StartedAt;
            if (last != from)
            {
                from = last;
                doneAtFrom.Clear();
            }

            doneAtFrom.UnionWith(batch.Where(r => r.StartedAt == from).Select(r => r.Id));
            if (page.Count < limit)
            {
                break;
            }
        }

        return new ReadModelRebuild(instances, rows, counters, batches);
    }

    /// <summary>An instance's whole journal as one commit from the empty state.</summary>
    private async Task<ReadModelChanges> ProjectAsync(InstanceRecord record, CancellationToken cancellationToken)
    {
        var journal = await ReadableJournal.ReadAsync(store, record.Id, cancellationToken).ConfigureAwait(false);
        var before = record with { Version = 0, Status = InstanceStatus.Running, Snapshot = InstanceState.Empty.ToJson(), UpdatedAt = record.StartedAt, EndedAt = null };
        var commit = new ProjectedCommit(before, InstanceState.Empty, record, InstanceState.FromJson(record.Snapshot), journal, NoReadModelRows.Instance);
        var changes = ReadModelChanges.None;
        foreach (var projection in _projections)
        {
            changes = changes.Then(await projection.ProjectAsync(commit, cancellationToken).ConfigureAwait(false));
        }

        return changes;
    }
}
