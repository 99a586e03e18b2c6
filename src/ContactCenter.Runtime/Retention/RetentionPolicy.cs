using System.Text;
using System.Text.Json;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Runtime.Retention;

/// <summary>What happens to a history once it is older than the retention period.</summary>
public enum RetentionMode
{
    /// <summary>Written to the archive folder as JSON Lines, then removed from the database.</summary>
    Archive,

    /// <summary>Removed from the database without a copy.</summary>
    Purge,
}

/// <summary>How long ended histories stay in the database. The default keeps everything.</summary>
public sealed record RetentionOptions
{
    /// <summary>Days after its end that an instance is kept; null (the default) keeps every history forever.</summary>
    public int? KeepDays { get; init; }

    /// <summary>Default is <see cref="RetentionMode.Archive"/>.</summary>
    public RetentionMode Mode { get; init; } = RetentionMode.Archive;

    /// <summary>Where archived histories go (one <c>&lt;id&gt;.jsonl</c> each). Required for <see cref="RetentionMode.Archive"/>.</summary>
    public string? ArchiveFolder { get; init; }

    /// <summary>Most instances handled per run. Default is 500.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>How often the scheduler's retention job runs (the first run is at start-up). Default is 1 hour.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);
}

/// <summary>What one retention run did.</summary>
/// <param name="NotificationsRemoved">Acknowledged notifications older than the period, deleted (never archived: the journal keeps what raised them).</param>
public sealed record RetentionResult(int Archived, int Purged, int Kept, int NotificationsRemoved = 0);

/// <summary>
/// Applies the retention policy: an ended instance older than <see cref="RetentionOptions.KeepDays"/>
/// is archived (its record and whole journal as JSON Lines, which <c>replay file.jsonl</c> verifies)
/// or purged, and then deleted whole. Never partially: a kept history always has every event, so
/// a replay of what is kept never breaks. Running instances, and ended ones with a message still
/// to deliver, are kept whatever their age; a ticket and its conversation are judged each on its own end.
/// Notifications acknowledged before the same cutoff are deleted too; a waiting one stays whatever its age.
/// </summary>
public sealed class RetentionPolicy(IRetentionStore retention, IInstanceStore store, TimeProvider clock, ILogger<RetentionPolicy> logger, RetentionOptions options, INotificationStore? notifications = null)
{
    public RetentionOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public async Task<RetentionResult> ApplyAsync(CancellationToken cancellationToken = default)
    {
        if (Options.KeepDays is not { } days)
        {
            return new RetentionResult(0, 0, 0);
        }

        if (days < 0)
        {
            throw new InvalidOperationException($"retention: KeepDays must be 0 or more, not {days}");
        }

        if (Options.Mode == RetentionMode.Archive && string.IsNullOrWhiteSpace(Options.ArchiveFolder))
        {
            throw new InvalidOperationException("retention: Archive mode needs an ArchiveFolder");
        }

        var cutoff = clock.GetUtcNow().AddDays(-days);
        var due = await retention.ListEndedBeforeAsync(cutoff, Options.BatchSize, cancellationToken).ConfigureAwait(false);
        int archived = 0, purged = 0, kept = 0;
        foreach (var instance in due)
        {
            if (Options.Mode == RetentionMode.Archive)
            {
                await ArchiveAsync(instance, cancellationToken).ConfigureAwait(false);
            }

            if (await retention.DeleteAsync(instance.Id, instance.Version, cancellationToken).ConfigureAwait(false))
            {
                _ = Options.Mode == RetentionMode.Archive ? archived++ : purged++;
            }
            else
            {
                kept++;
            }
        }

        if (due.Count > 0)
        {
            logger.LogInformation("Retention (ended before {Cutoff:O}): {Archived} archived, {Purged} purged, {Kept} kept (undelivered messages or changed meanwhile)", cutoff, archived, purged, kept);
        }

        var notificationsRemoved = notifications is null ? 0 : await notifications.DeleteAcknowledgedBeforeAsync(cutoff, Options.BatchSize, cancellationToken).ConfigureAwait(false);
        if (notificationsRemoved > 0)
        {
            logger.LogInformation("Retention (acknowledged before {Cutoff:O}): {Removed} notifications removed", cutoff, notificationsRemoved);
        }

        return new RetentionResult(archived, purged, kept, notificationsRemoved);
    }

    /// <summary>Writes the journal rows exactly as stored, then the record, and only then lets the caller delete.</summary>
    private async Task ArchiveAsync(InstanceRecord instance, CancellationToken cancellationToken)
    {
        var folder = Options.ArchiveFolder!;
        Directory.CreateDirectory(folder);
        var rows = await store.ReadJournalAsync(instance.Id, cancellationToken).ConfigureAwait(false);
        var journal = new StringBuilder();
        foreach (var row in rows.OrderBy(r => r.Sequence))
        {
            journal.Append(row.Json).Append('\n');
        }

        // Written to a temporary name and moved, so an archive file is never half-written.
        var path = Path.Combine(folder, $"{instance.Id}.jsonl");
        await WriteAtomicallyAsync(path, journal.ToString(), cancellationToken).ConfigureAwait(false);
        await WriteAtomicallyAsync(Path.Combine(folder, $"{instance.Id}.instance.json"), JsonSerializer.Serialize(instance, JournalSerializer.Options), cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
