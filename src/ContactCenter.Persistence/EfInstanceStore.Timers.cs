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

    public async Task<int> ReshardAsync(int shards, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        List<(Guid InstanceId, int Shard)> instances;
        await using (context.ConfigureAwait(false))
        {
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

        return moved;
    }

    /// <summary>One write through the store's write queue (group commit).</summary>
    private Task<int> WriteAsync(Func<ContactCenterDbContext, Task<int>> write, CancellationToken cancellationToken) =>
        _writes.RunAsync((session, _) => write(session.Context), cancellationToken);
}
