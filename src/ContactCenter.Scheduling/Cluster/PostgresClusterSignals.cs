using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using ContactCenter.Runtime.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ContactCenter.Scheduling.Cluster;

/// <summary>
/// <see cref="IClusterSignals"/> on PostgreSQL LISTEN/NOTIFY: one session of this node listens on
/// <see cref="ClusterOptions.SignalChannel"/>, another sends what <see cref="Publish"/> queued, in
/// batches. A notification carries the sending node, so a node ignores its own.
/// </summary>
/// <remarks>
/// A NOTIFY payload is limited to 8,000 bytes: a longer payload goes in numbered parts that the
/// others put back together (one sending session, so its parts arrive in order). The queue is
/// bounded: when the database is slower than the commits, the oldest signals are dropped and
/// counted (a live view can be reloaded; a commit must not wait for it).
/// </remarks>
public sealed class PostgresClusterSignals : BackgroundService, IClusterSignals
{
    /// <summary>Characters per part: at most 3 UTF-8 bytes each, with the header well under 8,000 bytes.</summary>
    internal const int PartLength = 2_000;

    private readonly string _connectionString;
    private readonly ClusterOptions _options;
    private readonly ILogger<PostgresClusterSignals> _logger;
    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly Channel<string> _outgoing;
    private readonly ConcurrentDictionary<string, Action<string>[]> _handlers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?[]> _partial = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;
    private long _dropped;

    public PostgresClusterSignals(string connectionString, ClusterOptions options, ILogger<PostgresClusterSignals> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        Runtime.Cluster.ClusterNames.Check(options.SignalChannel);
        _options = options;
        _logger = logger;
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 10 }.ConnectionString;
        _outgoing = Channel.CreateBounded<string>(
            new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Signals dropped because the database fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Completes once this node listens (a signal sent before that does not reach it).</summary>
    public Task Listening => _listening.Task;

    public void Publish(string topic, string payload)
    {
        Runtime.Cluster.ClusterNames.Check(topic);
        ArgumentNullException.ThrowIfNull(payload);
        var sequence = Interlocked.Increment(ref _sequence);
        var parts = Math.Max(1, (payload.Length + PartLength - 1) / PartLength);
        var start = 0;
        for (var part = 0; part < parts; part++)
        {
            var length = Math.Min(PartLength, payload.Length - start);
            // Never split a surrogate pair: a lone half does not survive the trip as UTF-8.
            if (length > 0 && start + length < payload.Length && char.IsHighSurrogate(payload[start + length - 1]))
            {
                length--;
            }

            var last = part == parts - 1;
            var text = last ? payload[start..] : payload.Substring(start, length);
            _outgoing.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"{_node}:{sequence}:{part}:{parts}:{topic}\n{text}"));
            start += length;
        }
    }

    public IDisposable Subscribe(string topic, Action<string> handler)
    {
        Runtime.Cluster.ClusterNames.Check(topic);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.AddOrUpdate(topic, _ => [handler], (_, old) => [.. old, handler]);
        return new Unsubscribe(this, topic, handler);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Task.Run(() => ListenAsync(stoppingToken), stoppingToken), Task.Run(() => SendAsync(stoppingToken), stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                connection.Notification += (_, e) => Received(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {_options.SignalChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                _listening.TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                _logger.LogWarning(e, "Cluster signals: listening session lost; listening again shortly");
                await Pause(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        var batch = new List<string>(64);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                while (await _outgoing.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
                {
                    batch.Clear();
                    while (batch.Count < 64 && _outgoing.Reader.TryRead(out var message))
                    {
                        batch.Add(message);
                    }

                    await using var send = new NpgsqlBatch(connection);
                    foreach (var message in batch)
                    {
                        var command = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
                        command.Parameters.AddWithValue(_options.SignalChannel);
                        command.Parameters.AddWithValue(message);
                        send.BatchCommands.Add(command);
                    }

                    await send.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // What this batch held is lost: signals are at most once.
                Interlocked.Add(ref _dropped, batch.Count);
                _logger.LogWarning(e, "Cluster signals: sending session lost; {Count} signals dropped", batch.Count);
                await Pause(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void Received(string message)
    {
        // "<node>:<sequence>:<part>:<parts>:<topic>\n<payload>"
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        var header = newline < 0 ? [] : message[..newline].Split(':');
        if (header.Length != 5
            || !int.TryParse(header[2], NumberStyles.None, CultureInfo.InvariantCulture, out var part)
            || !int.TryParse(header[3], NumberStyles.None, CultureInfo.InvariantCulture, out var parts)
            || parts < 1 || part >= parts)
        {
            _logger.LogWarning("Cluster signals: a notification on {Channel} not in this version's form was ignored", _options.SignalChannel);
            return;
        }

        if (string.Equals(header[0], _node, StringComparison.Ordinal))
        {
            return;
        }

        var payload = message[(newline + 1)..];
        if (parts > 1)
        {
            var key = header[0] + ":" + header[1];
            lock (_partial)
            {
                if (!_partial.TryGetValue(key, out var pieces))
                {
                    // Parts of a sender that died half-way never complete: keep the table small.
                    if (_partial.Count > 1_000)
                    {
                        _partial.Clear();
                    }

                    _partial[key] = pieces = new string?[parts];
                }

                pieces[part] = payload;
                if (pieces.Any(p => p is null))
                {
                    return;
                }

                _partial.Remove(key);
                payload = string.Concat(pieces);
            }
        }

        if (_handlers.TryGetValue(header[4], out var handlers))
        {
            foreach (var handler in handlers)
            {
                try
                {
                    handler(payload);
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "Cluster signals: a handler of {Topic} failed", header[4]);
                }
            }
        }
    }

    private static async Task Pause(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private sealed class Unsubscribe(PostgresClusterSignals signals, string topic, Action<string> handler) : IDisposable
    {
        public void Dispose() =>
            signals._handlers.AddOrUpdate(topic, _ => [], (_, old) => [.. old.Where(h => h != handler)]);
    }
}
