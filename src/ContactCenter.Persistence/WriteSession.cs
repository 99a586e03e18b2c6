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
    private IDbContextTransaction? _transaction;

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
    /// writer thread). Rolled back by the transaction's <c>RollbackToSavepointAsync("write")</c>:
    /// the savepoint is SQL's, neither EF nor the provider keeps state about it.
    /// </summary>
    public Task CreateSavepointAsync() => Command("SAVEPOINT write", 0).ExecuteNonQueryAsync();

    /// <summary>Releases the savepoint <c>write</c> (the write is kept in the transaction).</summary>
    public Task ReleaseSavepointAsync() => Command("RELEASE SAVEPOINT write", 0).ExecuteNonQueryAsync();

    public ValueTask DisposeAsync() => PreparedCommands.DisposeAsync(_commands, Context);
}
