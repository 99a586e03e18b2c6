using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>
/// Group commit: every write of the process goes through one writer, which takes what has queued
/// up (at most <c>maxPerTransaction</c>) and runs it in one transaction on the connection it keeps
/// open (<see cref="WriteSession"/>, with its prepared statements), each write in a savepoint
/// of its own. A write that fails is rolled back to its savepoint and fails alone; the others
/// commit together, with one sync of the WAL for all of them. A caller is answered only after the
/// transaction holding its write committed, so acknowledged means on disk (with synchronous=FULL).
/// </summary>
/// <remarks>
/// SQLite has one writer at a time anyway; queuing here instead of letting connections sleep in
/// SQLite's busy back-off is fairer and quicker, and batching turns N syncs into one. A queue of
/// one (an idle server) costs one transaction per write, as before.
/// </remarks>
internal sealed class WriteQueue : IAsyncDisposable
{
    private readonly IDbContextFactory<ContactCenterDbContext> contexts;
    private readonly int maxPerTransaction;
    private readonly Channel<IWrite> queue = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;
    private long transactions;
    private WriteSession? session;

    public WriteQueue(IDbContextFactory<ContactCenterDbContext> contexts, int maxPerTransaction)
    {
        this.contexts = contexts;
        this.maxPerTransaction = Math.Max(1, maxPerTransaction);
        // The writer must not inherit a caller's execution context (activity, culture, async locals).
        using (ExecutionContext.SuppressFlow())
        {
            writer = Task.Run(RunAsync);
        }
    }

    /// <summary>How many write transactions have committed (for benchmarks: writes per transaction).</summary>
    public long Transactions => Interlocked.Read(ref transactions);

    /// <summary>Runs <paramref name="work"/> in the next write transaction; completes once that transaction committed.</summary>
    /// <param name="batched">The write's first statements are one <see cref="WriteSession.ExecuteAsync"/>
    /// (its savepoint may go with them, see <see cref="WriteSession.BeginWriteAsync"/>).</param>
    public Task<T> RunAsync<T>(Func<WriteSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken, bool batched = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new Write<T>(work, batched);
        if (!queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(WriteQueue), "the store is shut down");
        }

        return write.Result;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer.ConfigureAwait(false);
        await CloseSessionAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<IWrite>(maxPerTransaction);
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < maxPerTransaction && queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await CommitAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<IWrite> batch)
    {
        try
        {
            session ??= await WriteSession.OpenAsync(contexts).ConfigureAwait(false);
            var transaction = await session.BeginAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                foreach (var write in batch)
                {
                    await session.BeginWriteAsync(write.Batched).ConfigureAwait(false);
                    try
                    {
                        await write.RunAsync(session).ConfigureAwait(false);
                        await session.EndWriteAsync().ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        await session.RollbackWriteAsync().ConfigureAwait(false);
                        write.Fail(e);
                    }
                    finally
                    {
                        session.Context.ChangeTracker.Clear();
                    }
                }

                await transaction.CommitAsync().ConfigureAwait(false);
            }

            session.End();
            Interlocked.Increment(ref transactions);
        }
        catch (Exception e)
        {
            // The transaction itself failed (the disk, the file): nothing of the batch was written,
            // and the connection is not trusted any more.
            foreach (var write in batch)
            {
                write.Fail(e);
            }

            await CloseSessionAsync().ConfigureAwait(false);
        }

        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    private async Task CloseSessionAsync()
    {
        if (session is null)
        {
            return;
        }

        try
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A connection that failed may fail again on close; the next batch opens a new one.
        }

        session = null;
    }

    private interface IWrite
    {
        bool Batched { get; }

        Task RunAsync(WriteSession session);

        void Fail(Exception error);

        /// <summary>Answers the caller: its result, or the first error its write met.</summary>
        void Complete();
    }

    private sealed class Write<T>(Func<WriteSession, CancellationToken, Task<T>> work, bool batched) : IWrite
    {
        public bool Batched => batched;

        private readonly TaskCompletionSource<T> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Exception? error;
        private T? value;

        public Task<T> Result => done.Task;

        public async Task RunAsync(WriteSession session) =>
            value = await work(session, CancellationToken.None).ConfigureAwait(false);

        public void Fail(Exception error) => this.error ??= error;

        public void Complete()
        {
            if (error is not null)
            {
                done.TrySetException(error);
            }
            else
            {
                done.TrySetResult(value!);
            }
        }
    }
}
