using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ContactCenter.Persistence;

/// <summary>
/// What a write of the <see cref="WriteQueue"/> runs with: the writer's context, the batch's open
/// transaction, and plain ADO.NET commands prepared once on the writer's connection and reused by
/// every write after (the hot path of a commit: no change tracker, no SQL generated per write).
/// </summary>
/// <remarks>
/// The writer keeps one connection open for as long as it works; a batch that fails as a whole
/// (the disk, the file) throws the session away, and the next batch opens a new one.
/// </remarks>
internal sealed class WriteSession : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private readonly WriteStatements _statements = new();
    private readonly Dictionary<string, string> _positional = new(StringComparer.Ordinal);
    private readonly List<string> _prefix = new(2);
    private readonly System.Runtime.CompilerServices.StrongBox<bool> _prefixRan = new();
    private IDbContextTransaction? _transaction;

    // PostgreSQL, a write whose statements go as one batch: its SAVEPOINT is not sent by itself but
    // in front of the batch, and its RELEASE waits to go in front of the next batched write's (or
    // is done by COMMIT). An unreleased savepoint nests the next write's savepoint of the same name
    // inside it, which ROLLBACK TO and RELEASE (both acting on the innermost) do not mind.
    private bool _batchedWrite;
    private bool _savepointDeferred;
    private bool _releaseDeferred;
    private bool _savepointUncertain;

    private WriteSession(ContactCenterDbContext context)
    {
        Context = context;
        Dialect = DatabaseDialect.Of(context);
    }

    public ContactCenterDbContext Context { get; }

    /// <summary>What the statements need to know about the engine (stored forms, errors).</summary>
    public DatabaseDialect Dialect { get; }

    /// <summary>The batch's transaction; writes run inside their own savepoint of it.</summary>
    public IDbContextTransaction Transaction => _transaction ?? throw new InvalidOperationException("no write transaction is open");

    public static async Task<WriteSession> OpenAsync(IDbContextFactory<ContactCenterDbContext> contexts)
    {
        var context = await contexts.CreateDbContextAsync().ConfigureAwait(false);
        try
        {
            // Each write has a savepoint of ours; EF's own around SaveChanges would be a second one.
            context.Database.AutoSavepointsEnabled = false;
            await context.Database.OpenConnectionAsync().ConfigureAwait(false);
            return new WriteSession(context);
        }
        catch
        {
            await context.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<IDbContextTransaction> BeginAsync()
    {
        _batchedWrite = _savepointDeferred = _releaseDeferred = _savepointUncertain = false;
        _transaction = await Context.Database.BeginTransactionAsync().ConfigureAwait(false);
        return _transaction;
    }

    public void End()
    {
        _transaction = null;
    }

    /// <summary>
    /// The prepared command for <paramref name="sql"/>, in the open transaction, with parameters
    /// <c>@p0</c> … <c>@p{parameters - 1}</c>, to be given values. Statements are plain SQL
    /// with named parameters, which SQLite and PostgreSQL both take.
    /// </summary>
    public DbCommand Command(string sql, int parameters)
    {
        if (_savepointDeferred)
        {
            throw new InvalidOperationException("a batched write must send its batch (and with it its savepoint) before any other statement");
        }

        if (!_commands.TryGetValue(sql, out var command))
        {
            command = PreparedCommands.Create(Context.Database.GetDbConnection(), sql, parameters, Transaction.GetDbTransaction(), Dialect.PrepareOnCreate);
            _commands.Add(sql, command);
        }

        command.Transaction = Transaction.GetDbTransaction();
        return command;
    }

    /// <summary>
    /// Opens the savepoint <c>write</c> that one write runs in, by a prepared statement (EF's
    /// <c>CreateSavepointAsync</c> builds and parses the SQL each time, twice per write on the one
    /// writer thread). Rolled back by <see cref="RollbackWriteAsync"/>: the savepoint is SQL's,
    /// neither EF nor the provider keeps state about it.
    /// </summary>
    /// <param name="batched">The write sends its statements by <see cref="ExecuteAsync"/> before
    /// anything else: on PostgreSQL the savepoint goes in front of that batch instead of by itself.</param>
    public Task BeginWriteAsync(bool batched)
    {
        _batchedWrite = batched && Dialect.BatchesStatements;
        if (_batchedWrite)
        {
            _savepointDeferred = true;
            return Task.CompletedTask;
        }

        return Command("SAVEPOINT write", 0).ExecuteNonQueryAsync();
    }

    /// <summary>Releases the savepoint <c>write</c> (the write is kept in the transaction).</summary>
    public Task EndWriteAsync()
    {
        if (_batchedWrite)
        {
            _releaseDeferred = true;
            return Task.CompletedTask;
        }

        return Command("RELEASE SAVEPOINT write", 0).ExecuteNonQueryAsync();
    }

    /// <summary>Undoes what the write did since <see cref="BeginWriteAsync"/>; the savepoint stays.</summary>
    /// <exception cref="InvalidOperationException">A batch failed in a way that leaves it unknown
    /// whether the write's savepoint exists: rolling back to <c>write</c> might undo an earlier write
    /// of the transaction, so the whole transaction must fail instead.</exception>
    public async Task RollbackWriteAsync()
    {
        if (_savepointUncertain)
        {
            throw new InvalidOperationException("a write's batch failed before its savepoint was known to exist; the transaction is abandoned");
        }

        if (_savepointDeferred)
        {
            _savepointDeferred = false; // nothing of the write was sent
            return;
        }

        await Transaction.RollbackToSavepointAsync("write").ConfigureAwait(false);
    }

    /// <summary>An empty list for the statements of one write, to be sent by <see cref="ExecuteAsync"/>.</summary>
    public WriteStatements Statements()
    {
        _statements.Clear();
        return _statements;
    }

    /// <summary>
    /// Runs <paramref name="statements"/> in the open transaction, in order, stopping at the first
    /// that fails (its error thrown); the rows each one changed. PostgreSQL: one round trip, with
    /// the write's deferred savepoint statements in front; SQLite: the prepared commands in turn.
    /// </summary>
    public async Task<int[]> ExecuteAsync(WriteStatements statements, CancellationToken cancellationToken)
    {
        if (!Dialect.BatchesStatements)
        {
            var affected = new int[statements.Count];
            for (var i = 0; i < statements.Count; i++)
            {
                var (sql, values) = statements[i];
                var command = Command(sql, values.Length);
                for (var p = 0; p < values.Length; p++)
                {
                    command.Parameters[p].Value = values[p] ?? DBNull.Value;
                }

                affected[i] = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return affected;
        }

        _prefix.Clear();
        if (_savepointDeferred)
        {
            if (_releaseDeferred)
            {
                _prefix.Add("RELEASE SAVEPOINT write");
            }

            _prefix.Add("SAVEPOINT write");
        }

        _prefixRan.Value = false;
        try
        {
            var result = await PostgreSqlBatches.ExecuteAsync(
                (Npgsql.NpgsqlConnection)Context.Database.GetDbConnection(),
                (Npgsql.NpgsqlTransaction)Transaction.GetDbTransaction(),
                _prefix,
                statements,
                _positional,
                _prefixRan,
                cancellationToken).ConfigureAwait(false);
            if (_savepointDeferred)
            {
                _savepointDeferred = _releaseDeferred = false;
            }

            return result;
        }
        catch when (_savepointDeferred)
        {
            _savepointDeferred = false;
            _releaseDeferred &= !_prefixRan.Value;
            _savepointUncertain = !_prefixRan.Value;
            throw;
        }
    }

    public ValueTask DisposeAsync() => PreparedCommands.DisposeAsync(_commands, Context);
}
