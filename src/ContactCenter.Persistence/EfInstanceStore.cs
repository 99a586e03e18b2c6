using System.Data.Common;
using System.Diagnostics;
using ContactCenter.Runtime.Diagnostics;
using ContactCenter.Runtime.Storage;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>Instances, their journals, pending timers and outbox rows, committed together.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived context.</remarks>
public sealed partial class EfInstanceStore(IDbContextFactory<ContactCenterDbContext> contexts, ContactCenterPersistenceOptions options) : IInstanceStore, IInstanceQueries, IRetentionStore, IAsyncDisposable
{
    // Every write of this store (this process) goes through one queue, and what has queued up
    // commits in one transaction (group commit; see WriteQueue). SQLite lets one writer in at a
    // time anyway; on PostgreSQL other nodes write beside this one, and what keeps their commits
    // apart is the database (the version check, the journal's key), not the queue.
    private readonly WriteQueue _writes = new(contexts, options.MaxCommitsPerTransaction);

    /// <summary>How many write transactions have committed so far (writes per transaction = commits / this).</summary>
    public long WriteTransactions => _writes.Transactions;

    // The hot reads (an instance row, a journal) on connections kept open with their statements prepared.
    private readonly ReadSessions _reads = new(contexts);

    private readonly DatabaseDialect _dialect = DatabaseDialect.For(options.Provider);

    public async ValueTask DisposeAsync()
    {
        await StopCompactorAsync().ConfigureAwait(false);
        await _writes.DisposeAsync().ConfigureAwait(false);
        await _reads.DisposeAsync().ConfigureAwait(false);
    }

    public Task<InstanceRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        StartCompactor();
        // Every command starts here: one statement prepared once on a connection kept open (see
        // ReadSessions), not an EF Core query or a context opened and closed per read.
        return _reads.RunAsync((session, ct) => InstanceStatements.ReadInstanceAsync(session, id, ct), cancellationToken);
    }

    /// <summary>Instances matching every given filter, newest start first (then by id), at most <see cref="InstanceQuery.Limit"/>.</summary>
    /// <remarks><see cref="InstanceQuery.StartedFrom"/> is inclusive, <see cref="InstanceQuery.StartedTo"/> exclusive.</remarks>
    public async Task<IReadOnlyList<InstanceRecord>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        // A webhook message asks for its customer's running conversations: plain SQL, not an EF Core query.
        return await _reads.RunAsync((session, ct) => InstanceStatements.QueryInstancesAsync(session, query, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The instance's journal in sequence order (from its compressed segment once it ended, see <see cref="JournalSegment"/>); empty for an unknown instance.</summary>
    public async Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(Guid id, CancellationToken cancellationToken = default) =>
        await _reads.RunAsync((session, ct) => InstanceStatements.ReadJournalAsync(session, id, ct), cancellationToken).ConfigureAwait(false);

    /// <remarks>
    /// One transaction: timers removed, instance row inserted (expected version 0) or updated only
    /// where its stored version is the expected one, events, armed timers and outbox rows inserted.
    /// A racing commit shows up as an update that matched no row or a duplicate key (instance id,
    /// journal sequence); either way the transaction rolls back and nothing of this commit remains.
    /// </remarks>
    /// <exception cref="ArgumentException">The commit is inconsistent: events not numbered
    /// <c>ExpectedVersion + 1 …</c> without gaps, the instance's version not that of its last event,
    /// or an event or timer of another instance.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the expected one.</exception>
    public async Task CommitAsync(InstanceCommit commit, CancellationToken cancellationToken = default)
    {
        Validate(commit);
        StartCompactor();

        // The caller's span: from hand-over to the write queue until the group transaction holding
        // this write is durable (the writer thread itself runs outside any caller's trace).
        using var activity = Telemetry.Source.StartActivity(CommitSpan, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", _dialect.SystemName);
            activity.SetTag("db.operation.name", "commit");
            activity.SetTag(Telemetry.Tags.Events, commit.Events.Count);
        }

        try
        {
            await _writes.RunAsync(
                async (session, ct) =>
                {
                    await WriteCommitAsync(session, commit, ct).ConfigureAwait(false);
                    return true;
                },
                cancellationToken,
                batched: true).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }

        // An ended instance's journal is read, not appended to: it is kept compressed, in one row,
        // written by the background compaction once this commit is durable (EfInstanceStore.Compaction).
        if (commit.Instance.EndedAt is not null)
        {
            QueueCompaction(commit.Instance.Id);
        }
    }

    /// <summary>The operation name of a commit's span.</summary>
    public const string CommitSpan = "contactcenter.commit";

    /// <summary>Test hook: runs after every row of a commit was written, inside its savepoint (a throw rolls the commit back).</summary>
    internal Func<ContactCenterDbContext, InstanceCommit, Task>? AfterCommitRowsWritten { get; init; }

    /// <summary>One commit inside the queue's transaction, in a savepoint the queue rolls back if this throws.</summary>
    /// <remarks>
    /// Plain prepared statements on the writer's connection (see <see cref="InstanceStatements"/>), not
    /// EF Core's change tracker: this is the hot path of every command.
    /// </remarks>
    private async Task WriteCommitAsync(WriteSession session, InstanceCommit commit, CancellationToken cancellationToken)
    {
        var id = commit.Instance.Id;
        var dialect = session.Dialect;
        try
        {
            // Every row of the commit in one go (on PostgreSQL one round trip, see WriteSession.ExecuteAsync).
            var statements = session.Statements();
            foreach (var timerId in commit.TimersRemoved)
            {
                InstanceStatements.AddRemoveTimer(statements, dialect, id, timerId);
            }

            var instanceRow = commit.ExpectedVersion == 0
                ? InstanceStatements.AddInsertInstance(statements, dialect, commit.Instance)
                : InstanceStatements.AddUpdateInstance(statements, dialect, commit.Instance, commit.ExpectedVersion);
            foreach (var e in commit.Events)
            {
                InstanceStatements.AddInsertEvent(statements, dialect, e);
            }

            foreach (var t in commit.TimersArmed)
            {
                InstanceStatements.AddInsertTimer(statements, dialect, t);
            }

            foreach (var o in commit.Outbox)
            {
                InstanceStatements.AddInsertOutbox(statements, dialect, o);
            }

            ReadModelStatements.Add(statements, dialect, commit.ReadModels);
            var changed = await session.ExecuteAsync(statements, cancellationToken).ConfigureAwait(false);

            // The update changed no row: it was decided on a version no longer stored. The rows
            // written after it in the same go are undone with the savepoint.
            if (changed[instanceRow] != 1)
            {
                throw Conflict(commit, await StoredVersionAsync(session, id).ConfigureAwait(false));
            }


            if (AfterCommitRowsWritten is { } hook)
            {
                await hook(session.Context, commit).ConfigureAwait(false);
            }
        }
        catch (DbException e)
        {
            // Duplicate keys are not told apart by provider error codes: after the rollback, a
            // stored version other than the expected one means a racing commit won (another
            // node's, on PostgreSQL: the journal's key and the version check are the database's).
            // A lock lost to another node's transaction (a deadlock between two group commits)
            // is a race too, whatever the version. Anything else is a real error and is rethrown.
            var stored = await StoredVersionAsync(session, id).ConfigureAwait(false);
            long? expected = commit.ExpectedVersion == 0 ? null : commit.ExpectedVersion;
            if (stored != expected)
            {
                throw Conflict(commit, stored);
            }

            if (session.Dialect.IsLockConflict(e))
            {
                throw new ConcurrencyConflictException(
                    id,
                    commit.ExpectedVersion,
                    $"Instance {id}: another transaction held its rows ({e.Message.Trim()}); another command acted at the same time. Nothing of this commit was written.");
            }

            throw;
        }
    }

    /// <summary>Every committed timer not yet fired or cancelled, soonest first.</summary>
    public async Task<IReadOnlyList<InstanceRecord>> ListEndedBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.Instances.AsNoTracking()
                .Where(r => r.EndedAt != null && r.EndedAt < before)
                .OrderBy(r => r.EndedAt).ThenBy(r => r.Id)
                .Take(max)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(r => r.ToRecord())];
        }
    }

    public Task<bool> DeleteAsync(Guid id, long expectedVersion, CancellationToken cancellationToken = default) =>
        _writes.RunAsync(
            async (session, ct) =>
            {
                var context = session.Context;
                // An instance with a message still to deliver is not done with, whatever its age.
                if (await context.Outbox.AnyAsync(o => o.InstanceId == id && o.DeliveredAt == null, ct).ConfigureAwait(false))
                {
                    return false;
                }

                var deleted = await context.Instances
                    .Where(r => r.Id == id && r.Version == expectedVersion && r.EndedAt != null)
                    .ExecuteDeleteAsync(ct).ConfigureAwait(false);
                if (deleted == 0)
                {
                    return false;
                }

                // The journal and timers cascade with the row where foreign keys are on; deleting them
                // here as well keeps the store whole on a connection without them. The outbox has no foreign key.
                await context.JournalEvents.Where(e => e.InstanceId == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                await context.JournalSegments.Where(e => e.InstanceId == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                await context.PendingTimers.Where(t => t.InstanceId == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                await context.Outbox.Where(o => o.InstanceId == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                await DeleteReadModelRowsAsync(context, id, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    public async Task<IReadOnlyList<TimerRecord>> ListPendingTimersAsync(CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.PendingTimers.AsNoTracking()
                .OrderBy(t => t.DueAt).ThenBy(t => t.InstanceId).ThenBy(t => t.TimerId)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(t => t.ToRecord());
        }
    }

    private static async Task<long?> StoredVersionAsync(WriteSession session, Guid id)
    {
        // Not cancellable: the caller must learn why its commit failed. Rolled back to this
        // commit's savepoint, the read sees what the racing commit left.
        await session.RollbackWriteAsync().ConfigureAwait(false);
        return await InstanceStatements.StoredVersionAsync(session, id, CancellationToken.None).ConfigureAwait(false);
    }

    private static ConcurrencyConflictException Conflict(InstanceCommit commit, long? stored)
    {
        var id = commit.Instance.Id;
        var found = stored is null ? "it does not exist" : $"its stored version is {stored}";
        var expected = commit.ExpectedVersion == 0 ? "a new instance" : $"version {commit.ExpectedVersion}";
        var message = $"Instance {id}: the commit was decided on {expected}, but {found}; another command acted first. Nothing of this commit was written.";
        return new ConcurrencyConflictException(id, commit.ExpectedVersion, message);
    }

    private static void Validate(InstanceCommit commit)
    {
        var id = commit.Instance.Id;
        if (commit.ExpectedVersion < 0)
        {
            throw new ArgumentException($"Instance {id}: expected version {commit.ExpectedVersion} is negative.", nameof(commit));
        }

        for (var i = 0; i < commit.Events.Count; i++)
        {
            var e = commit.Events[i];
            if (e.InstanceId != id)
            {
                throw new ArgumentException($"Instance {id}: event {e.Sequence} belongs to instance {e.InstanceId}.", nameof(commit));
            }

            if (e.Sequence != commit.ExpectedVersion + 1 + i)
            {
                throw new ArgumentException(
                    $"Instance {id}: event {i} has sequence {e.Sequence}, expected {commit.ExpectedVersion + 1 + i} (no gaps after version {commit.ExpectedVersion}).",
                    nameof(commit));
            }
        }

        if (commit.Instance.Version != commit.ExpectedVersion + commit.Events.Count)
        {
            throw new ArgumentException(
                $"Instance {id}: version {commit.Instance.Version} is not that of its last event ({commit.ExpectedVersion + commit.Events.Count}).",
                nameof(commit));
        }

        foreach (var t in commit.TimersArmed)
        {
            if (t.InstanceId != id)
            {
                throw new ArgumentException($"Instance {id}: timer {t.TimerId} belongs to instance {t.InstanceId}.", nameof(commit));
            }
        }
    }
}
