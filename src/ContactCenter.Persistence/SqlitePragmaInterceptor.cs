using System.Data.Common;
using System.Globalization;
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
/// switching to WAL needs a lock another connection may hold.
/// </remarks>
internal sealed class SqlitePragmaInterceptor(TimeSpan busyTimeout, SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    private readonly string _pragmas = string.Create(
        CultureInfo.InvariantCulture,
        $"PRAGMA busy_timeout={(long)busyTimeout.TotalMilliseconds}; PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()};");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
