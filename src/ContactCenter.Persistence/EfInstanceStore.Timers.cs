using System.Globalization;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Timers;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>The timer rows' firing side (<see cref="ITimerStore"/>).</summary>
public sealed partial class EfInstanceStore : ITimerStore
{
    public async Task<IReadOnlyList<TimerRecord>> ListDueAsync(int shard, DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.PendingTimers.AsNoTracking()
                .Where(t => t.Shard == shard && t.DueAt <= now)
                .OrderBy(t => t.DueAt)
                .Take(max)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(t => t.ToRecord());
        }
    }

    public async Task<bool> DeferAsync(TimerRecord timer, DateTimeOffset dueAt, int attempts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return await WriteAsync(
            context => context.PendingTimers
                .Where(t => t.InstanceId == timer.InstanceId && t.TimerId == timer.TimerId && t.DueAt == timer.DueAt)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.DueAt, dueAt).SetProperty(t => t.Attempts, attempts), cancellationToken),
            cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<bool> RemoveAsync(TimerRecord timer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return await WriteAsync(
            context => context.PendingTimers
                .Where(t => t.InstanceId == timer.InstanceId && t.TimerId == timer.TimerId && t.DueAt == timer.DueAt)
                .ExecuteDeleteAsync(cancellationToken),
            cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>The <see cref="StoreSettingRow"/> holding the shard count the rows were last given.</summary>
    internal const string TimerShardsSetting = "timer_shards";

    /// <remarks>
    /// Cheap when nothing changed: the shard count the rows were last given is kept in
    /// <c>store_settings</c>, and when it is the count asked for, one indexed probe for a row of a
    /// shard that would not exist (a process that wrote rows under a larger count) is all that is
    /// read. Otherwise (a changed count, or a database from before the setting) every row is read
    /// and moved, as before, and the count is recorded.
    /// </remarks>
    public async Task<int> ReshardAsync(int shards, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var count = shards.ToString(CultureInfo.InvariantCulture);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        List<(Guid InstanceId, int Shard)> instances;
        await using (context.ConfigureAwait(false))
        {
            var recorded = await context.StoreSettings.AsNoTracking()
                .Where(s => s.Name == TimerShardsSetting).Select(s => s.Value)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (recorded == count && !await context.PendingTimers.AnyAsync(t => t.Shard >= shards, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            instances = (await context.PendingTimers.AsNoTracking()
                    .Select(t => new { t.InstanceId, t.Shard })
                    .Distinct()
                    .ToListAsync(cancellationToken).ConfigureAwait(false))
                .ConvertAll(t => (t.InstanceId, t.Shard));
        }

        var moved = 0;
        foreach (var group in instances.Where(i => i.Shard != TimerShards.Of(i.InstanceId, shards)).GroupBy(i => TimerShards.Of(i.InstanceId, shards)))
        {
            foreach (var chunk in group.Select(i => i.InstanceId).Chunk(500))
            {
                var target = group.Key;
                moved += await WriteAsync(
                    c => c.PendingTimers.Where(t => chunk.Contains(t.InstanceId)).ExecuteUpdateAsync(u => u.SetProperty(t => t.Shard, target), cancellationToken),
                    cancellationToken).ConfigureAwait(false);
            }
        }

        // Recorded after the rows moved: a crash in between reshards again at the next start.
        await WriteAsync(
            async c =>
            {
                var setting = await c.StoreSettings.FindAsync([TimerShardsSetting], cancellationToken).ConfigureAwait(false);
                if (setting is null)
                {
                    c.StoreSettings.Add(new StoreSettingRow { Name = TimerShardsSetting, Value = count });
                }
                else
                {
                    setting.Value = count;
                }

                return await c.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return moved;
    }

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            // COUNT(*) walks the smallest index (shard, due_at), not the rows.
            return await context.PendingTimers.CountAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One write through the store's write queue (group commit).</summary>
    private Task<int> WriteAsync(Func<ContactCenterDbContext, Task<int>> write, CancellationToken cancellationToken) =>
        _writes.RunAsync((session, _) => write(session.Context), cancellationToken);
}
