using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContactCenter.Persistence;

/// <summary>
/// The runtime's tables: definition versions, instances, their journals and pending timers, and
/// the outbox. Tables and columns are snake_case so that the same names suit PostgreSQL.
/// </summary>
/// <remarks>
/// Nothing here is tied to one provider; the provider is chosen by the options the context is
/// built with (<see cref="ContactCenterDatabase.Configure"/>). This type's migrations are SQLite's;
/// PostgreSQL's belong to <see cref="PostgreSqlContactCenterDbContext"/>. Use short-lived contexts
/// from an <see cref="IDbContextFactory{TContext}"/>: a context is not thread-safe.
/// </remarks>
public class ContactCenterDbContext : DbContext
{
    public ContactCenterDbContext(DbContextOptions<ContactCenterDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context type (<see cref="PostgreSqlContactCenterDbContext"/>).</summary>
    protected ContactCenterDbContext(DbContextOptions options)
        : base(options)
    {
    }

    internal DbSet<DefinitionVersionRow> DefinitionVersions => Set<DefinitionVersionRow>();

    internal DbSet<InstanceRow> Instances => Set<InstanceRow>();

    internal DbSet<JournalEventRow> JournalEvents => Set<JournalEventRow>();

    internal DbSet<JournalSegmentRow> JournalSegments => Set<JournalSegmentRow>();

    internal DbSet<PendingTimerRow> PendingTimers => Set<PendingTimerRow>();

    internal DbSet<OutboxRow> Outbox => Set<OutboxRow>();

    internal DbSet<QualityReviewRow> QualityReviews => Set<QualityReviewRow>();

    internal DbSet<NotificationRow> Notifications => Set<NotificationRow>();

    internal DbSet<MigrationProposalRow> MigrationProposals => Set<MigrationProposalRow>();

    internal DbSet<StoreSettingRow> StoreSettings => Set<StoreSettingRow>();

    internal DbSet<HolidayYearRow> HolidayYears => Set<HolidayYearRow>();

    internal DbSet<HolidayYearChangeRow> HolidayYearChanges => Set<HolidayYearChangeRow>();

    internal DbSet<ReadModelRowEntity> ReadModelRows => Set<ReadModelRowEntity>();

    internal DbSet<ReadModelCounterRow> ReadModelCounters => Set<ReadModelCounterRow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // DateTimeOffset is stored as UTC ticks (INTEGER / bigint): the SQLite provider cannot
        // compare or ORDER BY DateTimeOffset, while integers sort and filter correctly on every
        // provider. The offset is not kept: every instant reads back in UTC (+00:00), which is the
        // same instant. The pre-convention also covers DateTimeOffset? columns.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DefinitionVersionRow>(e =>
        {
            e.ToTable("definition_versions");
            e.HasKey(r => new { r.Key, r.Version });
            e.Property(r => r.Key).HasMaxLength(200);
            // UpdateAsync replaces a row only while its status is still the expected one.
            e.Property(r => r.Status).HasMaxLength(20).IsConcurrencyToken();
            e.Property(r => r.Name).HasMaxLength(500);
            e.Property(r => r.ContentHash).HasMaxLength(100);
            e.Property(r => r.DocumentCode).HasMaxLength(100);
            e.Property(r => r.Revision).HasMaxLength(50);
            e.Property(r => r.Maker).HasMaxLength(200);
            e.Property(r => r.Checker).HasMaxLength(200);
            e.Property(r => r.Approver).HasMaxLength(200);
            e.HasIndex(r => r.Status);
        });

        modelBuilder.Entity<InstanceRow>(e =>
        {
            e.ToTable("instances");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.DefinitionKey).HasMaxLength(200);
            e.Property(r => r.Channel).HasMaxLength(50);
            e.Property(r => r.CustomerRef).HasMaxLength(200);
            e.Property(r => r.Agent).HasMaxLength(200);
            e.Property(r => r.Status).HasMaxLength(20);
            // Optimistic concurrency: an update only lands while the stored version is the one the
            // command was decided on.
            e.Property(r => r.Version).IsConcurrencyToken();
            e.HasIndex(r => r.Status);
            e.HasIndex(r => r.Agent);
            e.HasIndex(r => r.Channel);
            e.HasIndex(r => new { r.CustomerRef, r.Channel });
            e.HasIndex(r => r.StartedAt);
            e.HasIndex(r => new { r.DefinitionKey, r.DefinitionVersion });
            e.HasIndex(r => r.ParentInstanceId);
        });

        modelBuilder.Entity<JournalEventRow>(e =>
        {
            e.ToTable("journal_events");
            // The key makes a duplicate sequence impossible to write, whatever races.
            e.HasKey(r => new { r.InstanceId, r.Sequence });
            e.Property(r => r.Type).HasMaxLength(100);
            e.Property(r => r.Actor).HasMaxLength(200);
            e.HasOne<InstanceRow>().WithMany().HasForeignKey(r => r.InstanceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<JournalSegmentRow>(e =>
        {
            e.ToTable("journal_segments");
            e.HasKey(r => r.InstanceId);
            e.HasOne<InstanceRow>().WithMany().HasForeignKey(r => r.InstanceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<PendingTimerRow>(e =>
        {
            e.ToTable("pending_timers");
            e.HasKey(r => new { r.InstanceId, r.TimerId });
            e.Property(r => r.ElementId).HasMaxLength(200);
            e.Property(r => r.TraceParent).HasMaxLength(64);
            // Each shard's drain reads its due rows soonest first: one range of this index.
            e.HasIndex(r => new { r.Shard, r.DueAt });
            e.HasOne<InstanceRow>().WithMany().HasForeignKey(r => r.InstanceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<OutboxRow>(e =>
        {
            e.ToTable("outbox");
            e.HasKey(r => r.Position);
            e.Property(r => r.Position).ValueGeneratedOnAdd();
            e.HasIndex(r => r.Id).IsUnique();
            e.Property(r => r.IdempotencyKey).HasMaxLength(300);
            e.HasIndex(r => r.IdempotencyKey).IsUnique();
            e.Property(r => r.Kind).HasMaxLength(100);
            e.HasIndex(r => new { r.DeliveredAt, r.NextAttemptAt });
            e.HasIndex(r => r.InstanceId);
        });

        QualityReviewRow.Configure(modelBuilder);
        NotificationRow.Configure(modelBuilder);
        HolidayYearRow.Configure(modelBuilder);
        MigrationProposalRow.Configure(modelBuilder);

        modelBuilder.Entity<StoreSettingRow>(e =>
        {
            e.ToTable("store_settings");
            e.HasKey(r => r.Name);
            e.Property(r => r.Name).HasMaxLength(100);
            e.Property(r => r.Value).HasMaxLength(1000);
        });

        modelBuilder.Entity<ReadModelRowEntity>(e =>
        {
            e.ToTable("read_model_rows");
            e.HasKey(r => new { r.Model, r.InstanceId });
            e.Property(r => r.Model).HasMaxLength(100);
            e.Property(r => r.Queue).HasMaxLength(100);
            e.Property(r => r.Partition).HasMaxLength(200);
            e.Property(r => r.Priority).HasMaxLength(100);
            e.Property(r => r.Category).HasMaxLength(200);
            // A queue lists by deadline then age: one range of either index, with or without a partition.
            e.HasIndex(r => new { r.Model, r.Queue, r.DeadlineAt, r.EnqueuedAt });
            e.HasIndex(r => new { r.Model, r.Queue, r.Partition, r.DeadlineAt, r.EnqueuedAt });
            // "At risk" is counted by the warning instant.
            e.HasIndex(r => new { r.Model, r.Queue, r.WarningAt });
            // Retention deletes an instance's rows of every model.
            e.HasIndex(r => r.InstanceId);
        });

        modelBuilder.Entity<ReadModelCounterRow>(e =>
        {
            e.ToTable("read_model_counters");
            // A period's totals are one range of the key (counter, bucket), grouped by dimension and
            // summed over writers: each process adds to its own rows (no lock shared between nodes).
            e.HasKey(r => new { r.Counter, r.Bucket, r.Dimension, r.Writer });
            e.Property(r => r.Counter).HasMaxLength(300);
            e.Property(r => r.Dimension).HasMaxLength(300);
            e.Property(r => r.Writer).HasMaxLength(40);
        });

        ApplySnakeCaseNames(modelBuilder);
    }

    private static void ApplySnakeCaseNames(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
