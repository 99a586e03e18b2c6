using System.Collections.Concurrent;
using ContactCenter.Runtime.Cluster;
using Npgsql;

namespace ContactCenter.Scheduling.Cluster;

/// <summary>
/// <see cref="IClusterCounters"/> as PostgreSQL sequences (<c>cluster_counter_&lt;name&gt;</c>),
/// created at first use: <c>nextval</c> never returns a value twice, whichever node asks.
/// </summary>
public sealed class PostgresClusterCounters(string connectionString) : IClusterCounters
{
    private readonly ConcurrentDictionary<string, Task> _created = new(StringComparer.Ordinal);

    public async ValueTask<long> NextAsync(string name, CancellationToken cancellationToken = default)
    {
        ClusterNames.Check(name);
        var sequence = "cluster_counter_" + name;
        // Before taking a session for the draw: a creation waits for a session of its own.
        await _created.GetOrAdd(sequence, CreateAsync).ConfigureAwait(false);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        // The name is checked above (lower-case letters, digits, underscores): safe as an identifier.
        await using var next = new NpgsqlCommand($"SELECT nextval('{sequence}') - 1", connection);
        return (long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task CreateAsync(string sequence)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"CREATE SEQUENCE IF NOT EXISTS {sequence} MINVALUE 1", connection);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Another node created it at the same moment (IF NOT EXISTS is not atomic between sessions).
        }
        catch
        {
            _created.TryRemove(sequence, out _);
            throw;
        }
    }
}
