using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContactCenter.Persistence;

/// <summary>
/// Sets SQLite's pragmas on every connection EF Core opens: <c>busy_timeout</c> and
/// <c>synchronous</c> are per connection, so setting them once at migration would not be enough.
/// </summary>
/// <remarks>
/// <c>journal_mode=WAL</c> is persistent in the file; it is set here too (a no-op once the file is in
/// WAL) so that a store used on a file that was never migrated still runs in WAL. WAL lets readers
/// go on while one writer commits. <c>synchronous</c> is FULL by default (a commit is on disk when it
/// returns), NORMAL on request (durable against process crashes only); see
/// <see cref="ContactCenterPersistenceOptions.Synchronous"/>. busy_timeout is set first because
/// switching to WAL needs a lock another connection may hold. The pragmas stay with the native
/// connection, which Microsoft.Data.Sqlite pools: one that already has them (every open but its
/// first) is not sent them again, which saved three statements on each of a command's reads.
/// </remarks>
internal sealed class SqlitePragmaInterceptor(TimeSpan busyTimeout, SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    private readonly string _pragmas = string.Create(
        CultureInfo.InvariantCulture,
        $"PRAGMA busy_timeout={(long)busyTimeout.TotalMilliseconds}; PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()};");

    // Native connection (pooled, outlives the SqliteConnection that opened it) → the pragmas it was given.
    private static readonly ConditionalWeakTable<object, string> Configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (AlreadyConfigured(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        Remember(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (AlreadyConfigured(connection))
        {
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        Remember(connection);
    }

    /// <summary>Whether the native connection under <paramref name="connection"/> has these pragmas already.</summary>
    private bool AlreadyConfigured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Configured.TryGetValue(handle, out var applied) && applied == _pragmas;

    private void Remember(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            Configured.AddOrUpdate(handle, _pragmas);
        }
    }
}
