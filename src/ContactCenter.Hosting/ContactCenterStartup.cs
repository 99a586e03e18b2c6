using ContactCenter.Persistence;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Hosting;

/// <summary>
/// The start-up sequence: apply migrations, import changed workflows, give the timer rows the
/// configured shards (a no-op unless the shard count changed), finish the instance migrations a
/// crash left Applying (each instance's journal says whether it already moved). It runs before the scheduler starts;
/// the periodic work (timer drains, outbox delivery, retention) is Quartz jobs
/// (<c>AddContactCenterScheduling</c>). Timers that fell due while the process was down are simply
/// due rows: the first drain after start fires them.
/// </summary>
public sealed class ContactCenterStartup(
    ContactCenterOptions options,
    ContactCenterDatabase database,
    DefinitionCatalog catalog,
    ITimerStore timers,
    InstanceMigrations migrations,
    ILogger<ContactCenterStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Database {Database} ({Provider}) is up to date", database.Location, database.Provider);

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
            logger.LogInformation("{Count} timer rows moved to their shard of {Shards}", resharded, options.Timers.Shards);
        }

        // Before the scheduler starts, so a resumed move commits before any timer of its instances fires.
        var resumed = await migrations.ResumeInterruptedAsync(cancellationToken).ConfigureAwait(false);
        if (resumed > 0)
        {
            logger.LogInformation("{Count} interrupted instance migration(s) finished", resumed);
        }
    }

    // Nothing of its own runs after start: stopping is the scheduler's (it waits for running jobs).
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
