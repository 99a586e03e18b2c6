using ContactCenter.Runtime.Storage;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>Proposals to move running instances between versions, in the <c>migration_proposals</c> table.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived context.</remarks>
public sealed class EfMigrationProposalStore(IDbContextFactory<ContactCenterDbContext> contexts) : IMigrationProposalStore
{
    public async Task AddAsync(MigrationProposalRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            context.MigrationProposals.Add(MigrationProposalRow.From(record));
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<MigrationProposalRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var row = await context.MigrationProposals.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
            return row?.ToRecord();
        }
    }

    public async Task<IReadOnlyList<MigrationProposalRecord>> ListAsync(string? key, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var query = context.MigrationProposals.AsNoTracking();
            if (key is not null)
            {
                query = query.Where(r => r.DefinitionKey == key);
            }

            var rows = await query.OrderByDescending(r => r.ProposedAt).ThenByDescending(r => r.Id).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(r => r.ToRecord());
        }
    }

    public async Task<bool> UpdateAsync(MigrationProposalRecord record, MigrationStatus expectedStatus, DateTimeOffset? expectedDryRunAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var row = MigrationProposalRow.From(record);
            var expected = expectedStatus.ToString();
            var query = context.MigrationProposals.Where(r => r.Id == record.Id && r.Status == expected);
            query = expectedDryRunAt is { } dryRunAt ? query.Where(r => r.DryRunAt == dryRunAt) : query.Where(r => r.DryRunAt == null);
            var changed = await query.ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, row.Status)
                    .SetProperty(r => r.Mapping, row.Mapping)
                    .SetProperty(r => r.InstanceIds, row.InstanceIds)
                    .SetProperty(r => r.Note, row.Note)
                    .SetProperty(r => r.DryRun, row.DryRun)
                    .SetProperty(r => r.DryRunBy, row.DryRunBy)
                    .SetProperty(r => r.DryRunAt, row.DryRunAt)
                    .SetProperty(r => r.DecidedBy, row.DecidedBy)
                    .SetProperty(r => r.DecidedAt, row.DecidedAt)
                    .SetProperty(r => r.AppliedBy, row.AppliedBy)
                    .SetProperty(r => r.AppliedAt, row.AppliedAt)
                    .SetProperty(r => r.Result, row.Result),
                cancellationToken).ConfigureAwait(false);
            return changed == 1;
        }
    }
}

/// <summary>A row of <c>migration_proposals</c>.</summary>
internal sealed class MigrationProposalRow
{
    public Guid Id { get; set; }

    public string DefinitionKey { get; set; } = "";

    public int FromVersion { get; set; }

    public int ToVersion { get; set; }

    public string Status { get; set; } = "";

    public string Mapping { get; set; } = "";

    public string InstanceIds { get; set; } = "";

    public string ProposedBy { get; set; } = "";

    public DateTimeOffset ProposedAt { get; set; }

    public string? Note { get; set; }

    public string? DryRun { get; set; }

    public string? DryRunBy { get; set; }

    public DateTimeOffset? DryRunAt { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? AppliedBy { get; set; }

    public DateTimeOffset? AppliedAt { get; set; }

    public string? Result { get; set; }

    public static MigrationProposalRow From(MigrationProposalRecord r) => new()
    {
        Id = r.Id,
        DefinitionKey = r.DefinitionKey,
        FromVersion = r.FromVersion,
        ToVersion = r.ToVersion,
        Status = r.Status.ToString(),
        Mapping = r.Mapping,
        InstanceIds = r.InstanceIds,
        ProposedBy = r.ProposedBy,
        ProposedAt = r.ProposedAt,
        Note = r.Note,
        DryRun = r.DryRun,
        DryRunBy = r.DryRunBy,
        DryRunAt = r.DryRunAt,
        DecidedBy = r.DecidedBy,
        DecidedAt = r.DecidedAt,
        AppliedBy = r.AppliedBy,
        AppliedAt = r.AppliedAt,
        Result = r.Result,
    };

    public MigrationProposalRecord ToRecord() => new()
    {
        Id = Id,
        DefinitionKey = DefinitionKey,
        FromVersion = FromVersion,
        ToVersion = ToVersion,
        Status = Enum.Parse<MigrationStatus>(Status),
        Mapping = Mapping,
        InstanceIds = InstanceIds,
        ProposedBy = ProposedBy,
        ProposedAt = ProposedAt,
        Note = Note,
        DryRun = DryRun,
        DryRunBy = DryRunBy,
        DryRunAt = DryRunAt,
        DecidedBy = DecidedBy,
        DecidedAt = DecidedAt,
        AppliedBy = AppliedBy,
        AppliedAt = AppliedAt,
        Result = Result,
    };

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<MigrationProposalRow>(e =>
    {
        e.ToTable("migration_proposals");
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).ValueGeneratedNever();
        e.Property(r => r.DefinitionKey).HasMaxLength(200);
        e.Property(r => r.Status).HasMaxLength(20);
        e.Property(r => r.ProposedBy).HasMaxLength(200);
        e.Property(r => r.DryRunBy).HasMaxLength(200);
        e.Property(r => r.DecidedBy).HasMaxLength(200);
        e.Property(r => r.AppliedBy).HasMaxLength(200);
        e.Property(r => r.Note).HasMaxLength(2000);
        e.HasIndex(r => new { r.DefinitionKey, r.ProposedAt });
    });
}
