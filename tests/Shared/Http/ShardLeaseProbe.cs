using ContactCenter.Scheduling.Cluster;
using Npgsql;

namespace ContactCenter.Tests.Http;

/// <summary>
/// Which database session holds which timer shard, read from PostgreSQL's lock table (the advisory
/// locks of <see cref="PostgresShardLeases"/>): how the three-node test and the cluster benchmark
/// see a killed node's shards go to the others. Linked with the rest of Shared/Http.
/// </summary>
internal static class ShardLeaseProbe
{
    public static async Task<IReadOnlyList<(int Pid, int Shard)>> ReadAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var read = new NpgsqlCommand(
            $"SELECT pid, objid::int FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = {PostgresShardLeases.LockSpace} AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", connection);
        await using var reader = await read.ExecuteReaderAsync().ConfigureAwait(false);
        var leases = new List<(int, int)>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            leases.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }

        return leases;
    }
}
