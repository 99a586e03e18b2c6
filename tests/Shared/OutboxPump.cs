using ContactCenter.Runtime.Outbox;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Tests;

/// <summary>
/// For a test server that runs no scheduler (<c>RunScheduler=false</c>, so that timers fire only
/// by hand and moving the clock does not fire every test's conversations): the test drives the
/// outbox itself, delivering what is due every 50 ms, so tickets open and prompts go out as they
/// would with the scheduler's outbox job.
/// </summary>
public sealed class OutboxPump(OutboxDispatcher dispatcher) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await dispatcher.DispatchAllDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                // A failed pass (the database busy) is tried again at the next tick, as the job's would be.
            }
        }
    }
}
