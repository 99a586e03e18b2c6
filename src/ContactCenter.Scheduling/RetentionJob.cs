using ContactCenter.Runtime.Retention;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContactCenter.Scheduling;

/// <summary>
/// Applies the retention policy (<see cref="RetentionPolicy.ApplyAsync"/>) at start-up and then
/// every <see cref="RetentionOptions.Interval"/>. A failed run (the disk, the database, the archive
/// folder) is logged and the next run tries again: the job never dies.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(RetentionPolicy retention, ILogger<RetentionJob> logger) : IJob
{
    /// <summary>The job's key in the scheduler.</summary>
    public static readonly JobKey Key = new("retention", "periodic");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await retention.ApplyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: an instance is deleted whole or not at all, so the next run resumes.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Retention run failed; the next run tries again");
        }
    }
}
