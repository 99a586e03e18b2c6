using System.Data.Common;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Retention;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Hosting;

/// <summary>
/// The start-up sequence: apply migrations, import changed workflows, give the timer rows the
/// configured shards (a no-op unless the shard count changed), then deliver the outbox in the
/// background until shutdown. Timers that fell due while the process was down are simply due rows:
/// the first drain after start fires them.
/// </summary>
public sealed class ContactCenterStartup(
    ContactCenterOptions options,
    ContactCenterDatabase database,
    DefinitionCatalog catalog,
    ITimerStore timers,
    OutboxDispatcher outbox,
    RetentionPolicy retention,
    ILogger<ContactCenterStartup> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _outboxLoop;
    private Task? _retentionLoop;
    private int _stopped;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Database {DatabasePath} is up to date", database.DatabasePath);

        var files = Directory.Exists(options.WorkflowsFolder)
            ? Directory.EnumerateFiles(options.WorkflowsFolder, "*.bpmn").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList()
            : [];
        var results = await catalog.ImportAsync(files, options.ImportHeader, cancellationToken).ConfigureAwait(false);
        foreach (var failed in results.Where(r => r.Problems.Count > 0))
        {
            logger.LogError("Workflow {Source} was not imported: {Problems}", failed.Source, string.Join("; ", failed.Problems));
        }

        logger.LogInformation("Workflows from {WorkflowsFolder}: {Imported} imported, {Unchanged} unchanged, {Failed} invalid", Path.GetFullPath(options.WorkflowsFolder), results.Count(r => r.Imported), results.Count(r => !r.Imported && r.Problems.Count == 0), results.Count(r => r.Problems.Count > 0));

        var resharded = await timers.ReshardAsync(options.Timers.Shards, cancellationToken).ConfigureAwait(false);
        if (resharded > 0)
        {
            logger.LogInformation("Timer rows of {Count} instances moved to {Shards} shards", resharded, options.Timers.Shards);
        }

        if (options.RunOutbox)
        {
            _outboxLoop = Task.Run(() => outbox.RunAsync(_stopping.Token), CancellationToken.None);
        }

        if (options.Retention.KeepDays is not null)
        {
            _retentionLoop = Task.Run(() => RunRetentionAsync(_stopping.Token), CancellationToken.None);
        }
    }

    /// <summary>Applies the retention policy now and then every hour, until shutdown; a failed run is logged and tried again.</summary>
    private async Task RunRetentionAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await retention.ApplyAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or DbException)
            {
                logger.LogError(e, "Retention run failed; it is tried again in an hour");
            }

            try
            {
                await Task.Delay(TimeSpan.FromHours(1), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Shutting down: the wait after a failed run ends as quietly as the wait after a good one.
                return;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped twice (WebApplicationFactory stops it, and so does Program):
        // the second stop, possibly after disposal, has nothing left to do.
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var loop in new[] { _outboxLoop, _retentionLoop })
        {
            if (loop is not null)
            {
                await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Disposed without a stop (or before it): stop the outbox loop first; a stop that comes
        // after this is a no-op rather than a call on a disposed token source.
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
