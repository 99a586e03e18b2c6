using ContactCenter.Runtime.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ContactCenter.Persistence;

/// <summary>Instances, their journals, pending timers and outbox rows, committed together.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived context.</remarks>
public sealed partial class EfInstanceStore(IDbContextFactory<ContactCenterDbContext> contexts, ContactCenterPersistenceOptions? options = null) : IInstanceStore, IAsyncDisposable
{
    // SQLite lets one writer in at a time: every write of this store goes through one queue, and
    // what has queued up commits in one transaction (group commit; see WriteQueue).
    private readonly WriteQueue _writes = new(contexts, (options ?? new ContactCenterPersistenceOptions()).MaxCommitsPerTransaction);

    /// <summary>How many write transactions have committed so far (writes per transaction = commits / this).</summary>
    public long WriteTransactions => _writes.Transactions;

    public ValueTask DisposeAsync() => _writes.DisposeAsync();

    public async Task<InstanceRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var row = await context.Instances.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
            return row?.ToRecord();
        }
    }

    /// <summary>Instances matching every given filter, newest start first (then by id), at most <see cref="InstanceQuery.Limit"/>.</summary>
    /// <remarks><see cref="InstanceQuery.StartedFrom"/> is inclusive, <see cref="InstanceQuery.StartedTo"/> exclusive.</remarks>
    public async Task<IReadOnlyList<InstanceRecord>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = context.Instances.AsNoTracking();
            if (query.Status is { } status)
            {
                var name = status.ToString();
                rows = rows.Where(r => r.Status == name);
            }

            if (query.Agent is { } agent)
            {
                rows = rows.Where(r => r.Agent == agent);
            }

            if (query.Channel is { } channel)
            {
                rows = rows.Where(r => r.Channel == channel);
            }

            if (query.CustomerRef is { } customer)
            {
                rows = rows.Where(r => r.CustomerRef == customer);
            }

            if (query.ParentInstanceId is { } parent)
            {
                rows = rows.Where(r => r.ParentInstanceId == parent);
            }

            if (query.DefinitionKey is { } key)
            {
                rows = rows.Where(r => r.DefinitionKey == key);
            }

            if (query.StartedFrom is { } from)
            {
                rows = rows.Where(r => r.StartedAt >= from);
            }

            if (query.StartedTo is { } to)
            {
                rows = rows.Where(r => r.StartedAt < to);
            }

            var list = await rows
                .OrderByDescending(r => r.StartedAt).ThenBy(r => r.Id)
                .Take(Math.Max(0, query.Limit))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return list.ConvertAll(r => r.ToRecord());
        }
    }

    /// <summary>The instance's journal in sequence order; empty for an unknown instance.</summary>
    public async Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.JournalEvents.AsNoTracking()
                .Where(r => r.InstanceId == id)
                .OrderBy(r => r.Sequence)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(r => r.ToRecord());
        }
    }

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
        await _writes.RunAsync(
            async (context, transaction, ct) =>
            {
                await WriteCommitAsync(context, transaction, commit, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One commit inside the queue's transaction, in a savepoint the queue rolls back if this throws.</summary>
    private static async Task WriteCommitAsync(ContactCenterDbContext context, IDbContextTransaction transaction, InstanceCommit commit, CancellationToken cancellationToken)
    {
        var id = commit.Instance.Id;
        try
        {
            if (commit.TimersRemoved.Count > 0)
            {
                var removed = commit.TimersRemoved.ToArray();
                await context.PendingTimers
                    .Where(t => t.InstanceId == id && removed.Contains(t.TimerId))
                    .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            }

            var row = commit.Instance.ToRow();
            if (commit.ExpectedVersion == 0)
            {
                context.Instances.Add(row);
            }
            else
            {
                var entry = context.Instances.Attach(row);
                entry.State = EntityState.Modified;
                entry.Property(r => r.Version).OriginalValue = commit.ExpectedVersion;
            }

            context.JournalEvents.AddRange(commit.Events.Select(e => e.ToRow()));
            context.PendingTimers.AddRange(commit.TimersArmed.Select(t => t.ToRow()));
            context.Outbox.AddRange(commit.Outbox.Select(o => o.ToRow()));
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await WriteReadModelsAsync(context, commit.ReadModels, cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Conflict(commit, await StoredVersionAsync(context, transaction, id).ConfigureAwait(false));
        }
        catch (DbUpdateException)
        {
            // Duplicate keys are not told apart by provider error codes (PostgreSQL will
            // follow): after the rollback, a stored version other than the expected one
            // means a racing commit won; anything else is a real error and is rethrown.
            var stored = await StoredVersionAsync(context, transaction, id).ConfigureAwait(false);
            long? expected = commit.ExpectedVersion == 0 ? null : commit.ExpectedVersion;
            if (stored != expected)
            {
                throw Conflict(commit, stored);
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
            async (context, _, ct) =>
            {
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

    private static async Task<long?> StoredVersionAsync(ContactCenterDbContext context, IDbContextTransaction transaction, Guid id)
    {
        // Not cancellable: the caller must learn why its commit failed. Rolled back to this
        // commit's savepoint, the read sees what the racing commit left.
        await transaction.RollbackToSavepointAsync("write", CancellationToken.None).ConfigureAwait(false);
        context.ChangeTracker.Clear();
        return await context.Instances.AsNoTracking()
            .Where(r => r.Id == id)
            .Select(r => (long?)r.Version)
            .SingleOrDefaultAsync(CancellationToken.None).ConfigureAwait(false);
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
