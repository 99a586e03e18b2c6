using ContactCenter.Modules.Calendar;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>
/// Maintained holiday years in <c>holiday_years</c> (one row a year, in the calendar file format)
/// and their change log in <c>holiday_year_changes</c>, written in one transaction.
/// </summary>
/// <remarks>Thread-safe: every call uses its own short-lived context.</remarks>
public sealed class EfHolidayYearStore(IDbContextFactory<ContactCenterDbContext> contexts) : IHolidayYearStore
{
    public async Task<IReadOnlyList<MaintainedHolidayYear>> ListAsync(CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.HolidayYears.AsNoTracking().OrderBy(r => r.Year).ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(r => r.ToRecord());
        }
    }

    public async Task<MaintainedHolidayYear?> SaveAsync(HolidayYear year, long expectedRevision, HolidayYearChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(year);
        ArgumentNullException.ThrowIfNull(change);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var row = await context.HolidayYears.FindAsync([year.Year], cancellationToken).ConfigureAwait(false);
                if ((row?.Revision ?? 0) != expectedRevision)
                {
                    return null;
                }

                if (row is null)
                {
                    row = new HolidayYearRow { Year = year.Year };
                    context.HolidayYears.Add(row);
                }

                row.Data = HolidayCalendarLoader.Write(year);
                row.Revision = expectedRevision + 1;
                row.ChangedBy = change.Actor;
                row.ChangedAt = change.At;
                context.HolidayYearChanges.Add(new HolidayYearChangeRow
                {
                    Year = year.Year,
                    Actor = change.Actor,
                    At = change.At,
                    Action = change.Action,
                    Details = change.Details,
                });
                try
                {
                    await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (DbUpdateException)
                {
                    // Another writer added the year or moved its revision between the read and the write.
                    return null;
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return row.ToRecord();
            }
        }
    }

    public async Task<IReadOnlyList<HolidayYearChange>> ChangesAsync(int? year, int limit, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var query = context.HolidayYearChanges.AsNoTracking();
            if (year is { } wanted)
            {
                query = query.Where(r => r.Year == wanted);
            }

            var rows = await query.OrderByDescending(r => r.Id).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(r => new HolidayYearChange(r.Id, r.Year, r.Actor, r.At, r.Action, r.Details));
        }
    }
}

internal sealed class HolidayYearRow
{
    public int Year { get; set; }

    /// <summary>The year in the calendar file format (<see cref="HolidayCalendarLoader"/>).</summary>
    public string Data { get; set; } = "";

    public long Revision { get; set; }

    public string ChangedBy { get; set; } = "";

    public DateTimeOffset ChangedAt { get; set; }

    public MaintainedHolidayYear ToRecord() =>
        new(HolidayCalendarLoader.Parse(Data, $"holiday_years[{Year}]"), Revision, ChangedBy, ChangedAt);

    internal static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HolidayYearRow>(e =>
        {
            e.ToTable("holiday_years");
            e.HasKey(r => r.Year);
            e.Property(r => r.Year).ValueGeneratedNever();
            // Two saves from the same revision: the second finds the revision moved and writes nothing.
            e.Property(r => r.Revision).IsConcurrencyToken();
            e.Property(r => r.ChangedBy).HasMaxLength(200);
        });
        modelBuilder.Entity<HolidayYearChangeRow>(e =>
        {
            e.ToTable("holiday_year_changes");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedOnAdd();
            e.Property(r => r.Actor).HasMaxLength(200);
            e.Property(r => r.Action).HasMaxLength(50);
            e.HasIndex(r => r.Year);
        });
    }
}

internal sealed class HolidayYearChangeRow
{
    public long Id { get; set; }

    public int Year { get; set; }

    public string Actor { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string Action { get; set; } = "";

    public string Details { get; set; } = "";
}
