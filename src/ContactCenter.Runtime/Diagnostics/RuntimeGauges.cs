using System.Diagnostics.Metrics;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Runtime.Diagnostics;

/// <summary>
/// The figures read from the database when someone observes them (a Prometheus scrape, an OTLP
/// export, <c>dotnet-counters</c>): timers armed, the outbox backlog, running conversations per
/// channel. They are read by cheap counting queries and kept for <see cref="StoreMaxAge"/>, so
/// scraping as often as anyone likes costs the database at most one read per period. A failed read
/// is logged and the last figures are reported again. Modules add their own gauges on the same
/// meter name (the ticket desk's open tickets, for one).
/// </summary>
/// <remarks>
/// The instruments are on a meter of this host (same name as <see cref="Telemetry.Meter"/>), disposed
/// with it: a stopped host's callbacks no longer run.
/// </remarks>
public sealed class RuntimeGauges : IDisposable
{
    private readonly IInstanceQueries _instances;
    private readonly ITimerStore _timers;
    private readonly IOutboxStore _outbox;
    private readonly TimeProvider _clock;
    private readonly Meter _meter = new(Telemetry.Name, Telemetry.Version);
    private readonly CachedFigure<StoreFigures> _store;
    private readonly IReadOnlySet<string> _notConversations;

    // Channels once seen running are reported at 0 when none runs, rather than vanishing.
    private readonly HashSet<string> _channelsSeen = new(StringComparer.Ordinal);

    /// <param name="channelsNotConversations">
    /// Channels whose instances are not conversations (a module's back-office flows, such as
    /// tickets): left out of <c>contactcenter.conversations.running</c>.
    /// </param>
    public RuntimeGauges(IInstanceQueries instances, ITimerStore timers, IOutboxStore outbox, TimeProvider clock, ILogger<RuntimeGauges> logger, IReadOnlySet<string> channelsNotConversations)
    {
        _instances = instances;
        _timers = timers;
        _outbox = outbox;
        _notConversations = channelsNotConversations;
        _clock = clock;
        _store = new CachedFigure<StoreFigures>(clock, logger, "store", () => StoreMaxAge, ReadStoreAsync);

        _meter.CreateObservableUpDownCounter("contactcenter.timers.armed", () => (long)(_store.Get()?.TimersArmed ?? 0), "{timer}", "Timer rows armed (committed, not yet fired or cancelled).");
        _meter.CreateObservableUpDownCounter("contactcenter.outbox.depth", () => (long)(_store.Get()?.Outbox.Undelivered ?? 0), "{message}", "Outbox rows not yet delivered, dead letters apart.");
        _meter.CreateObservableGauge("contactcenter.outbox.oldest.age", OldestAge, "s", "Age of the oldest undelivered outbox row (0 when there is none).");
        _meter.CreateObservableUpDownCounter("contactcenter.outbox.dead_letters", () => (long)(_store.Get()?.Outbox.DeadLetters ?? 0), "{message}", "Outbox rows the dispatcher gave up on, until re-queued.");
        _meter.CreateObservableUpDownCounter("contactcenter.conversations.running", RunningConversations, "{conversation}", "Conversations running, per channel.");
    }

    /// <summary>How long the timer, outbox and conversation counts are reused. Default is 5 seconds.</summary>
    public TimeSpan StoreMaxAge { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>This host's meter (tests tell its instruments from another host's by it).</summary>
    internal Meter Meter => _meter;

    public void Dispose() => _meter.Dispose();

    private double OldestAge()
    {
        var figures = _store.Get();
        return figures?.Outbox.OldestCreatedAt is { } oldest ? Math.Max(0, (figures.ReadAt - oldest).TotalSeconds) : 0;
    }

    private IEnumerable<Measurement<long>> RunningConversations()
    {
        var figures = _store.Get();
        if (figures is null)
        {
            return [];
        }

        lock (_channelsSeen)
        {
            _channelsSeen.UnionWith(figures.Running.Keys);
            return [.. _channelsSeen.Select(c => new Measurement<long>(figures.Running.GetValueOrDefault(c), new KeyValuePair<string, object?>(Telemetry.Tags.Channel, c)))];
        }
    }

    private async Task<StoreFigures> ReadStoreAsync()
    {
        var armed = await _timers.CountPendingAsync().ConfigureAwait(false);
        var outbox = await _outbox.BacklogAsync().ConfigureAwait(false);
        var running = await _instances.CountRunningByChannelAsync().ConfigureAwait(false);
        return new StoreFigures(_clock.GetUtcNow(), armed, outbox, running.Where(r => !_notConversations.Contains(r.Key)).ToDictionary(StringComparer.Ordinal));
    }

    private sealed record StoreFigures(DateTimeOffset ReadAt, int TimersArmed, OutboxBacklog Outbox, Dictionary<string, int> Running);
}
