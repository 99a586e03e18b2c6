using ContactCenter.Modules.Quality;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>Quality Control's manual reviews in the <c>quality_reviews</c> table.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived context.</remarks>
public sealed class EfQualityReviewStore(IDbContextFactory<ContactCenterDbContext> contexts) : IQualityReviewStore
{
    public async Task AddAsync(QualityReview review, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(review);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            context.QualityReviews.Add(new QualityReviewRow
            {
                Id = review.Id,
                InstanceId = review.InstanceId,
                Agent = review.Agent,
                Reviewer = review.Reviewer,
                Score = review.Score,
                Note = review.Note,
                ReviewedAt = review.ReviewedAt,
            });
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<QualityReview>> ListAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.QualityReviews.AsNoTracking()
                .Where(r => r.InstanceId == instanceId)
                .OrderBy(r => r.ReviewedAt).ThenBy(r => r.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(r => r.ToRecord());
        }
    }

    public async Task<IReadOnlyDictionary<Guid, QualityReview>> LatestAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        var latest = new Dictionary<Guid, QualityReview>();
        if (instanceIds.Count == 0)
        {
            return latest;
        }

        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            // Chunked: SQLite caps the parameters of one statement.
            foreach (var chunk in instanceIds.Distinct().Chunk(500))
            {
                var rows = await context.QualityReviews.AsNoTracking()
                    .Where(r => chunk.Contains(r.InstanceId))
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
                foreach (var row in rows.OrderBy(r => r.ReviewedAt).ThenBy(r => r.Id))
                {
                    latest[row.InstanceId] = row.ToRecord();
                }
            }
        }

        return latest;
    }
}

/// <summary>A row of <c>quality_reviews</c>.</summary>
internal sealed class QualityReviewRow
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public string? Agent { get; set; }

    public string Reviewer { get; set; } = "";

    public int Score { get; set; }

    public string? Note { get; set; }

    public DateTimeOffset ReviewedAt { get; set; }

    public QualityReview ToRecord() => new()
    {
        Id = Id,
        InstanceId = InstanceId,
        Agent = Agent,
        Reviewer = Reviewer,
        Score = Score,
        Note = Note,
        ReviewedAt = ReviewedAt,
    };

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<QualityReviewRow>(e =>
    {
        e.ToTable("quality_reviews", t => t.HasCheckConstraint("ck_quality_reviews_score", "score BETWEEN 0 AND 100"));
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).ValueGeneratedNever();
        e.Property(r => r.Agent).HasMaxLength(200);
        e.Property(r => r.Reviewer).HasMaxLength(200);
        e.Property(r => r.Note).HasMaxLength(QualityReview.MaxNoteLength);
        e.HasIndex(r => new { r.InstanceId, r.ReviewedAt });
        e.HasIndex(r => new { r.Agent, r.ReviewedAt });
        e.HasOne<InstanceRow>().WithMany().HasForeignKey(r => r.InstanceId).OnDelete(DeleteBehavior.Cascade);
    });
}
