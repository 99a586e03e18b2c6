using ContactCenter.Runtime.Storage;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>Notifications in the <c>notifications</c> table.</summary>
/// <remarks>
/// Thread-safe: every call uses its own short-lived context. No foreign key to <c>instances</c>:
/// a notice outlives the history that raised it until it is acknowledged and aged out.
/// </remarks>
public sealed class EfNotificationStore(IDbContextFactory<ContactCenterDbContext> contexts) : INotificationStore
{
    public async Task<bool> AddAsync(NotificationRecord notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            if (await context.Notifications.AnyAsync(r => r.Id == notification.Id, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            context.Notifications.Add(NotificationRow.From(notification));
            try
            {
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DbUpdateException e) when (DatabaseDialect.Of(context).IsUniqueViolation(e))
            {
                // Another delivery of the same message won the race: one notification all the same.
                return false;
            }
        }
    }

    public async Task<NotificationRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var row = await context.Notifications.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
            return row?.ToRecord();
        }
    }

    public async Task<IReadOnlyList<NotificationRecord>> ListAsync(IReadOnlyCollection<string> audience, DateTimeOffset acknowledgedSince, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        if (audience.Count == 0)
        {
            return [];
        }

        var principals = audience.Distinct(StringComparer.Ordinal).ToList();
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.Notifications.AsNoTracking()
                .Where(r => r.AcknowledgedAt == null || r.AcknowledgedAt >= acknowledgedSince)
                .Where(r => r.Audience.Any(a => principals.Contains(a)))
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
                .Take(max)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(r => r.ToRecord());
        }
    }

    public async Task<AcknowledgeOutcome> AcknowledgeAsync(Guid id, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            // One statement: of two people acknowledging at once, exactly one is recorded.
            var updated = await context.Notifications
                .Where(r => r.Id == id && r.AcknowledgedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.AcknowledgedBy, by).SetProperty(r => r.AcknowledgedAt, at), cancellationToken)
                .ConfigureAwait(false);
            if (updated == 1)
            {
                return AcknowledgeOutcome.Acknowledged;
            }

            return await context.Notifications.AnyAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false)
                ? AcknowledgeOutcome.AlreadyAcknowledged
                : AcknowledgeOutcome.NotFound;
        }
    }

    public async Task<int> DeleteAcknowledgedBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var due = context.Notifications
                .Where(r => r.AcknowledgedAt != null && r.AcknowledgedAt < before)
                .OrderBy(r => r.AcknowledgedAt)
                .Take(max)
                .Select(r => r.Id);
            return await context.Notifications.Where(r => due.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>A row of <c>notifications</c>.</summary>
internal sealed class NotificationRow
{
    public Guid Id { get; set; }

    public string Kind { get; set; } = "";

    public string Title { get; set; } = "";

    public string Text { get; set; } = "";

    public Guid InstanceId { get; set; }

    public string? Reference { get; set; }

    /// <summary>Stored as a JSON array; the list query looks into it (<c>json_each</c>).</summary>
    public List<string> Audience { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public string? AcknowledgedBy { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public static NotificationRow From(NotificationRecord n) => new()
    {
        Id = n.Id,
        Kind = n.Kind,
        Title = n.Title,
        Text = n.Text,
        InstanceId = n.InstanceId,
        Reference = n.Reference,
        Audience = [.. n.Audience],
        CreatedAt = n.CreatedAt,
        AcknowledgedBy = n.AcknowledgedBy,
        AcknowledgedAt = n.AcknowledgedAt,
    };

    public NotificationRecord ToRecord() => new()
    {
        Id = Id,
        Kind = Kind,
        Title = Title,
        Text = Text,
        InstanceId = InstanceId,
        Reference = Reference,
        Audience = Audience,
        CreatedAt = CreatedAt,
        AcknowledgedBy = AcknowledgedBy,
        AcknowledgedAt = AcknowledgedAt,
    };

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<NotificationRow>(e =>
    {
        e.ToTable("notifications");
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).ValueGeneratedNever();
        e.Property(r => r.Kind).HasMaxLength(100);
        e.Property(r => r.Title).HasMaxLength(NotificationRecord.MaxTitleLength);
        e.Property(r => r.Text).HasMaxLength(NotificationRecord.MaxTextLength);
        e.Property(r => r.Reference).HasMaxLength(200);
        e.Property(r => r.AcknowledgedBy).HasMaxLength(200);
        // The list reads the waiting ones and the recently acknowledged ones, newest first.
        e.HasIndex(r => new { r.AcknowledgedAt, r.CreatedAt });
        e.HasIndex(r => r.InstanceId);
    });
}
