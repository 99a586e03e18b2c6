using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ContactCenter.Scheduling.Cluster;

/// <summary>
/// Gives each timer shard to one live node of a cluster on PostgreSQL: a shard is owned by the node
/// whose session holds the advisory lock <c>(LockSpace, shard)</c>. The lock goes with the session,
/// so a node killed outright loses its shards the moment PostgreSQL sees its connection close, and
/// the next round of a survivor takes them.
/// </summary>
/// <remarks>
/// Every <see cref="ClusterOptions.LeaseInterval"/> a node counts the live nodes (the sessions of
/// this database with the lease application name), aims for its share, ceil(shards / nodes), takes
/// free shards up to it and gives back what it holds above it (never in the middle of a drain), so
/// a node that joins gets its share within a couple of rounds. The drains then run locally at the
/// poll interval: ownership costs one statement per free shard per round, not Quartz's ~26
/// statements per firing (docs/decisions/0007). Two owners at once can only happen in the moment a
/// connection is lost and before this node notices; a timer fired twice is a no-op the second time.
/// </remarks>
public sealed class PostgresShardLeases : BackgroundService, ITimerShardOwnership
{
    /// <summary>The first key of the advisory locks of shards (the second is the shard number).</summary>
    public const int LockSpace = 0x43435453; // "CCTS"

    private readonly string _connectionString;
    private readonly int _shards;
    private readonly ClusterOptions _options;
    private readonly ILogger<PostgresShardLeases> _logger;
    private readonly bool[] _held;
    private readonly SemaphoreSlim[] _draining;
    private readonly int _offset;

    public PostgresShardLeases(string connectionString, int shards, ClusterOptions options, ILogger<PostgresShardLeases> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        _shards = shards;
        _options = options;
        _logger = logger;
        _held = new bool[shards];
        _draining = [.. Enumerable.Range(0, shards).Select(_ => new SemaphoreSlim(1, 1))];
        // Nodes try free shards from different places, so two starting together rarely race for one.
        _offset = Random.Shared.Next(shards);
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = options.LeaseApplicationName,
            // Its own session, never shared through the pool with other work: the locks live in it.
            Pooling = false,
            KeepAlive = 10,
        }.ConnectionString;
    }

    /// <summary>The shards this node owns now.</summary>
    public IReadOnlyList<int> Owned
    {
        get
        {
            lock (_held)
            {
                return [.. Enumerable.Range(0, _shards).Where(s => _held[s])];
            }
        }
    }

    /// <summary>Raised after a round that changed what this node owns (tests and logs).</summary>
    public event Action<IReadOnlyList<int>>? OwnershipChanged;

    public IDisposable? Hold(int shard)
    {
        if (!IsHeld(shard) || !_draining[shard].Wait(0))
        {
            return null;
        }

        if (!IsHeld(shard))
        {
            _draining[shard].Release();
            return null;
        }

        return new Release(_draining[shard]);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await RoundAsync(connection, stoppingToken).ConfigureAwait(false);
                    await Task.Delay(_options.LeaseInterval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // The session is gone, and its locks with it: own nothing until a new one takes some.
                LoseAll();
                _logger.LogWarning(e, "Timer shard leases lost with their database session; trying again in {Delay}", _options.LeaseInterval);
                try
                {
                    await Task.Delay(_options.LeaseInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        // Closing the session (the using above) released every lock; the drains must stop too.
        LoseAll();
    }

    /// <summary>One round: count the nodes, take free shards up to this node's share, give back any above it.</summary>
    internal async Task RoundAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (nodes, taken) = await CountAsync(connection, cancellationToken).ConfigureAwait(false);
        var share = (_shards + nodes - 1) / nodes;
        var changed = false;
        var held = Owned.Count;
        // Tries only while some shard is free: a settled cluster costs one statement per node per round.
        for (var i = 0; i < _shards && held < share && taken < _shards; i++)
        {
            var shard = (_offset + i) % _shards;
            if (IsHeld(shard))
            {
                continue;
            }

            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@space, @shard)", connection);
            take.Parameters.AddWithValue("space", LockSpace);
            take.Parameters.AddWithValue("shard", shard);
            if ((bool)(await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                SetHeld(shard, true);
                held++;
                taken++;
                changed = true;
            }
        }

        // Above its share (a node joined): give back the last ones, each once its drain is over.
        foreach (var shard in Owned.Reverse().Take(Math.Max(0, held - share)))
        {
            await _draining[shard].WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                SetHeld(shard, false);
                await using var give = new NpgsqlCommand("SELECT pg_advisory_unlock(@space, @shard)", connection);
                give.Parameters.AddWithValue("space", LockSpace);
                give.Parameters.AddWithValue("shard", shard);
                await give.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                changed = true;
            }
            finally
            {
                _draining[shard].Release();
            }
        }

        if (changed)
        {
            var owned = Owned;
            _logger.LogInformation("Timer shards owned by this node: {Shards} ({Nodes} nodes live)", string.Join(",", owned), nodes);
            OwnershipChanged?.Invoke(owned);
        }
    }

    /// <summary>The live nodes (lease sessions of this database) and how many shards are held by any of them.</summary>
    private async Task<(int Nodes, int Taken)> CountAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var count = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name),
                   (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = @space AND objsubid = 2
                      AND objid < @shards AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
            """, connection);
        count.Parameters.AddWithValue("name", _options.LeaseApplicationName);
        count.Parameters.AddWithValue("space", LockSpace);
        count.Parameters.AddWithValue("shards", _shards);
        await using var reader = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return ((int)Math.Max(1, reader.GetInt64(0)), (int)reader.GetInt64(1));
    }

    private bool IsHeld(int shard)
    {
        lock (_held)
        {
            return _held[shard];
        }
    }

    private void SetHeld(int shard, bool held)
    {
        lock (_held)
        {
            _held[shard] = held;
        }
    }

    private void LoseAll()
    {
        bool any;
        lock (_held)
        {
            any = _held.Any(h => h);
            Array.Clear(_held);
        }

        if (any)
        {
            OwnershipChanged?.Invoke([]);
        }
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
