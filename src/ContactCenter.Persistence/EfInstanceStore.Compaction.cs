using System.Threading.Channels;

namespace ContactCenter.Persistence;

/// <summary>
/// The compaction of ended instances' journals into one segment each (<see cref="JournalSegment"/>),
/// off the writer: a background pass reads the journal and encodes it on a read connection, and
/// hands the writer only a short write (replace the segment, delete the rows it covers), group
/// committed with the commands. Until that write commits, the journal is read from its rows (and
/// any older segment) as before, so it is readable throughout and a crash anywhere leaves it whole.
/// </summary>
/// <remarks>
/// The write checks that the instance is still at the version whose journal was read (an instance's
/// version is its last event's sequence); if another command acted meanwhile, it writes nothing, and
/// that command, if it left the instance ended, queues the instance again. Ended instances whose
/// journals still hold rows (a crash before their compaction wrote, a database of an older release)
/// are found by a pass when the store is first used.
/// </remarks>
public sealed partial class EfInstanceStore
{
    private const string SelectEndedWithRows = """
        SELECT i.id FROM instances i WHERE i.ended_at IS NOT NULL AND EXISTS (SELECT 1 FROM journal_events e WHERE e.instance_id = i.id)
        """;

    private readonly Channel<Guid> _ended = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });
    // Never disposed: the store may be disposed more than once (registered under several services),
    // and a source without a timer or registrations of its own holds nothing to free.
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _compactionsLock = new();
    private TaskCompletionSource _compactionsIdle = Idle();
    private int _compactionsQueued;
    private Task? _compactor;
    private int _compactorStarted;

    /// <summary>Whether ended journals are compacted in the background (tests turn it off to drive a compaction by hand).</summary>
    internal bool CompactsEndedJournals { get; init; } = true;

    /// <summary>Test hook: runs after a compaction read and encoded a journal, before it hands the writer its write.</summary>
    internal Func<Guid, Task>? BeforeCompactionWrite { get; init; }

    /// <summary>Completes once every ended journal queued so far was compacted (or found needing nothing).</summary>
    internal Task JournalsCompactedAsync()
    {
        lock (_compactionsLock)
        {
            return _compactionsIdle.Task;
        }
    }

    /// <summary>
    /// Compacts the instance's journal into one segment if the instance is still at the version whose
    /// journal was read; false when nothing was written (nothing to compact, or another command acted).
    /// </summary>
    internal async Task<bool> CompactJournalAsync(Guid id, CancellationToken cancellationToken)
    {
        var journal = await ReadJournalAsync(id, cancellationToken).ConfigureAwait(false);
        // Contiguous from the first event: a segment and rows read while another node replaced them
        // can show a gap or an overlap, and then this pass leaves the journal to that node.
        if (journal.Count == 0 || journal[0].Sequence != 1 || !Contiguous(journal))
        {
            return false;
        }

        var last = journal[^1].Sequence;
        var segment = JournalSegment.Encode(journal);
        if (BeforeCompactionWrite is { } hook)
        {
            await hook(id).ConfigureAwait(false);
        }

        return await _writes.RunAsync(
            (session, ct) => InstanceStatements.WriteSegmentAsync(session, id, last, segment, ct),
            cancellationToken).ConfigureAwait(false);
    }

    private static bool Contiguous(IReadOnlyList<Runtime.Storage.JournalRecord> journal)
    {
        for (var i = 1; i < journal.Count; i++)
        {
            if (journal[i].Sequence != journal[i - 1].Sequence + 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Queues an ended instance's journal for compaction (after its commit is durable).</summary>
    private void QueueCompaction(Guid id)
    {
        if (!CompactsEndedJournals)
        {
            return;
        }

        CompactionQueued();
        if (!_ended.Writer.TryWrite(id))
        {
            CompactionDone(); // shut down: the start-up pass of the next run finds it
        }
    }

    private void CompactionQueued()
    {
        lock (_compactionsLock)
        {
            if (_compactionsQueued++ == 0)
            {
                _compactionsIdle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void CompactionDone()
    {
        lock (_compactionsLock)
        {
            if (--_compactionsQueued == 0)
            {
                _compactionsIdle.TrySetResult();
            }
        }
    }

    /// <summary>Starts the background compactor on the store's first use (the database is migrated by then).</summary>
    private void StartCompactor()
    {
        if (!CompactsEndedJournals || Volatile.Read(ref _compactorStarted) != 0 || Interlocked.Exchange(ref _compactorStarted, 1) != 0)
        {
            return;
        }

        // The start-up pass counts as queued work until it has queued what it found.
        CompactionQueued();

        // Not the caller's execution context (activity, async locals): the pass runs on its own.
        using (ExecutionContext.SuppressFlow())
        {
            _compactor = Task.Run(() => CompactInBackgroundAsync(_stopping.Token));
        }
    }

    private async Task CompactInBackgroundAsync(CancellationToken stopping)
    {
        try
        {
            foreach (var id in await EndedWithRowsAsync(stopping).ConfigureAwait(false))
            {
                QueueCompaction(id);
            }
        }
        catch (Exception) when (!stopping.IsCancellationRequested)
        {
            // The start-up pass is an optimisation of space: the journals stay readable as rows.
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Shut down mid-pass: a cancellation, or what the host disposed before the store (its
            // context factory) failing the read. The next start-up pass finds what is left.
            return;
        }
        finally
        {
            CompactionDone();
        }

        try
        {
            await foreach (var id in _ended.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await CompactJournalAsync(id, stopping).ConfigureAwait(false);
                }
                catch (Exception) when (!stopping.IsCancellationRequested)
                {
                    // Left as rows (readable); the next start-up pass tries again.
                }
                finally
                {
                    CompactionDone();
                }
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Shut down (cancelled, or a compaction failing on what the host disposed first);
            // what is still queued is found by the next start-up pass.
        }
    }

    private Task<List<Guid>> EndedWithRowsAsync(CancellationToken cancellationToken) =>
        _reads.RunAsync(
            async (session, ct) =>
            {
                var ids = new List<Guid>();
                var reader = await session.Command(SelectEndedWithRows, 0).ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        ids.Add(session.Dialect.ReadId(reader, 0));
                    }
                }

                return ids;
            },
            cancellationToken);

    private async Task StopCompactorAsync()
    {
        _ended.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_compactor is { } compactor)
        {
            await compactor.ConfigureAwait(false);
        }

        lock (_compactionsLock)
        {
            _compactionsIdle.TrySetResult();
        }
    }

    private static TaskCompletionSource Idle()
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        idle.TrySetResult();
        return idle;
    }
}
