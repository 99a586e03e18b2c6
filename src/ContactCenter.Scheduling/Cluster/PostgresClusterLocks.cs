using ContactCenter.Runtime.Cluster;
using Npgsql;

namespace ContactCenter.Scheduling.Cluster;

/// <summary>
/// <see cref="IClusterLocks"/> as PostgreSQL advisory locks, keyed by a stable hash of the key:
/// a pooled session takes <c>pg_advisory_lock(LockSpace, hash)</c> and keeps it until released. A
/// node that dies releases its locks with its sessions. Two keys with the same hash only wait for
/// each other.
/// </summary>
public sealed class PostgresClusterLocks(string connectionString) : IClusterLocks
{
    /// <summary>The first key of these advisory locks.</summary>
    public const int LockSpace = 0x43434B4C; // "CCKL"

    public async ValueTask<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken = default)
    {
        var hash = unchecked((int)StableHash.Of(key));
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(@space, @key)", connection);
            take.Parameters.AddWithValue("space", LockSpace);
            take.Parameters.AddWithValue("key", hash);
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new Held(connection, hash);
        }
        catch
        {
            // A wait cancelled on the server side leaves no lock; closing the session releases one taken.
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection, int hash) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                await using var give = new NpgsqlCommand("SELECT pg_advisory_unlock(@space, @key)", connection);
                give.Parameters.AddWithValue("space", LockSpace);
                give.Parameters.AddWithValue("key", hash);
                await give.ExecuteNonQueryAsync().ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
                // The session broke: PostgreSQL released the lock with it. Never back to the pool with a lock on it.
                NpgsqlConnection.ClearPool(connection);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
