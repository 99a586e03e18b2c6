using ContactCenter.Modules.Calendar;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace ContactCenter.Hosting;

/// <summary>
/// Reads the maintained holiday years at start (after the migrations) and then every
/// <see cref="Interval"/>, so a year an administrator saved on another node reaches this one; says at
/// start, and on each day it is still true, which years are missing (<see cref="HolidayYears.CoverageOn"/>).
/// </summary>
public sealed class HolidayYearsRefresh(HolidayYears years, DateTimeZone zone, TimeProvider clock, ILogger<HolidayYearsRefresh> logger) : IHostedService, IDisposable
{
    /// <summary>How soon another node's change is seen here.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private LocalDate? _warnedOn;
    private bool _disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await years.RefreshAsync(cancellationToken).ConfigureAwait(false);
        WarnOncePerDay();
        _loop = LoopAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped again after it was disposed (a test server stopped by its own run
        // and by its factory): the second stop has nothing left to do.
        if (Volatile.Read(ref _disposed))
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            // The loop ends as soon as it sees the cancellation (it catches its own); a stop in a
            // hurry (its token already cancelled) does not wait for it.
            try
            {
                await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _stopping.Dispose();
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await years.RefreshAsync(stopping).ConfigureAwait(false);
                    WarnOncePerDay();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database away for a moment: the calendar in memory stays as it was; try again next tick.
                    logger.LogWarning(e, "The maintained holiday years could not be read; the calendar stays as it was");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void WarnOncePerDay()
    {
        var coverage = years.Coverage(zone);
        if (coverage.Complete || _warnedOn == coverage.Today)
        {
            return;
        }

        _warnedOn = coverage.Today;
        logger.LogWarning("Calendar: {Problem}", coverage.Problem);
    }
}
