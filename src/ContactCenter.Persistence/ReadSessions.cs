using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>
/// Connections kept open for the hot reads of every command (an instance row, a journal), each with
/// its statements prepared once: a read rents one, runs its prepared command and gives it back,
/// instead of renting a context, opening its connection, preparing the SQL and closing it again.
/// </summary>
/// <remarks>
/// Idle sessions hold no statement open (a reader is disposed before the session goes back), so
/// they keep no WAL snapshot and do not hold back a checkpoint. A read that throws discards its
/// session. At most <see cref="MaxIdle"/> are kept; a burst beyond that opens and closes its own.
/// </remarks>
internal sealed class ReadSessions(IDbContextFactory<ContactCenterDbContext> contexts) : IAsyncDisposable
{
    private const int MaxIdle = 32;
    private readonly ConcurrentBag<ReadSession> _idle = [];
    private volatile bool _disposed;

    public async Task<T> RunAsync<T>(Func<ReadSession, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = _idle.TryTake(out var idle) ? idle : await ReadSession.OpenAsync(contexts, cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = await read(session, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (_disposed || _idle.Count >= MaxIdle)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _idle.Add(session);
            if (_disposed)
            {
                await DrainAsync().ConfigureAwait(false); // disposed meanwhile: nobody else will close it
            }
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await DrainAsync().ConfigureAwait(false);
    }

    private async Task DrainAsync()
    {
        while (_idle.TryTake(out var session))
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A context's open connection and the commands prepared on it (see <see cref="ReadSessions"/>).</summary>
internal sealed class ReadSession : IAsyncDisposable
{
    private readonly ContactCenterDbContext _context;
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    private ReadSession(ContactCenterDbContext context)
    {
        _context = context;
        Dialect = DatabaseDialect.Of(context);
    }

    /// <summary>What the statements need to know about the engine (stored forms).</summary>
    public DatabaseDialect Dialect { get; }

    public static async Task<ReadSession> OpenAsync(IDbContextFactory<ContactCenterDbContext> contexts, CancellationToken cancellationToken)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return new ReadSession(context);
        }
        catch
        {
            await context.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The prepared command for <paramref name="sql"/>, with parameters <c>@p0</c> … to be given values.</summary>
    public DbCommand Command(string sql, int parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = PreparedCommands.Create(_context.Database.GetDbConnection(), sql, parameters, transaction: null, Dialect.PrepareOnCreate);
            _commands.Add(sql, command);
        }

        return command;
    }

    public ValueTask DisposeAsync() => PreparedCommands.DisposeAsync(_commands, _context);
}

/// <summary>Plain SQL commands with parameters <c>@p0</c> … prepared on an open connection.</summary>
internal static class PreparedCommands
{
    /// <param name="prepare">Whether to prepare now (SQLite); Npgsql prepares a statement once it is used again.</param>
    public static DbCommand Create(DbConnection connection, string sql, int parameters, DbTransaction? transaction, bool prepare)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.Parameters.Add(parameter);
        }

        command.Transaction = transaction;
        if (prepare)
        {
            command.Prepare();
        }

        return command;
    }

    /// <summary>Disposes the prepared commands, then the context whose connection they were on.</summary>
    public static async ValueTask DisposeAsync(Dictionary<string, DbCommand> commands, ContactCenterDbContext context)
    {
        foreach (var command in commands.Values)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        commands.Clear();
        await context.DisposeAsync().ConfigureAwait(false);
    }
}
