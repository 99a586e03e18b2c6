using ContactCenter.Engine;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>Counting queries for the runtime's gauges: done by the database, not by loading rows.</summary>
public sealed partial class EfInstanceStore
{
    /// <remarks>Reads the status index's running range; the channel comes from each running row.</remarks>
    public async Task<IReadOnlyDictionary<string, int>> CountRunningByChannelAsync(CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var running = nameof(InstanceStatus.Running);
            var counts = await context.Instances.AsNoTracking()
                .Where(r => r.Status == running)
                .GroupBy(r => r.Channel)
                .Select(g => new { Channel = g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return counts.ToDictionary(c => c.Channel, c => c.Count, StringComparer.Ordinal);
        }
    }
}
