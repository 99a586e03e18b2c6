using System.Diagnostics.Metrics;
using ContactCenter.Runtime.Calendar;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Tickets;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Runtime.Diagnostics;

/// <summary>
/// The figures read from the database when someone observes them (a Prometheus scrape, an OTLP
/// export, <c>dotnet-counters</c>): timers armed, the outbox backlog, running conversations per
/// channel, open tickets by lane and SLA status. Each group is read by one cheap counting query and
/// kept for <see cref="StoreMaxAge"/> (tickets <see cref="TicketsMaxAge"/>), so scraping as often as
/// anyone likes costs the database at most one query each per period. A failed read is logged and
/// the last figures are reported again.
/// </summary>
/// <remarks>
/// The instruments are on a meter of this host (same name as <see cref="Telemetry.Meter"/>), disposed
/// with it: a stopped host's callbacks no longer run.
/// </remarks>
public sealed class RuntimeGauges : IDisposable
{
    private readonly IInstanceStore _instances;
    private readonly ITimerStore _timers;
    private readonly IOutboxStore _outbox;
    private readonly TicketDesk _tickets;
    private readonly TimeProvider _clock;
    private readonly ILogger<RuntimeGauges> _logger;
    private readonly Meter _meter = new(Telemetry.Name, Telemetry.Version);
    private readonly Cached<StoreFigures> _store;
    private readonly Cached<TicketFigures> _ticketFigures;

    // Channels once seen running are reported at 0 when none runs, rather than vanishing.
    private readonly HashSet<string> _channelsSeen = new(StringComparer.Ordinal);

    public RuntimeGauges(IInstanceStore instances, ITimerStore timers, IOutboxStore outbox, TicketDesk tickets, TimeProvider clock, ILogger<RuntimeGauges> logger)
    {
        _instances = instances;
        _timers = timers;
        _outbox = outbox;
        _tickets = tickets;
        _clock = clock;
        _logger = logger;
        _store = new Cached<StoreFigures>(this, "store", () => StoreMaxAge, ReadStoreAsync);
        _ticketFigures = new Cached<TicketFigures>(this, "tickets", () => TicketsMaxAge, ReadTicketsAsync);

        _meter.CreateObservableUpDownCounter("contactcenter.timers.armed", () => (long)(_store.Get()?.TimersArmed ?? 0), "{timer}", "Timer rows armed (committed, not yet fired or cancelled).");
        _meter.CreateObservableUpDownCounter("contactcenter.outbox.depth", () => (long)(_store.Get()?.Outbox.Undelivered ?? 0), "{message}", "Outbox rows not yet delivered, dead letters apart.");
        _meter.CreateObservableGauge("contactcenter.outbox.oldest.age", OldestAge, "s", "Age of the oldest undelivered outbox row (0 when there is none).");
        _meter.CreateObservableUpDownCounter("contactcenter.outbox.dead_letters", () => (long)(_store.Get()?.Outbox.DeadLetters ?? 0), "{message}", "Outbox rows the dispatcher gave up on, until re-queued.");
        _meter.CreateObservableUpDownCounter("contactcenter.conversations.running", RunningConversations, "{conversation}", "Conversations running, per channel.");
        _meter.CreateObservableUpDownCounter("contactcenter.tickets.open", OpenTickets, "{ticket}", "Open tickets waiting in a lane, by lane and SLA status (on_track, at_risk, breached, none).");
    }

    /// <summary>How long the timer, outbox and conversation counts are reused. Default is 5 seconds.</summary>
    public TimeSpan StoreMaxAge { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the ticket figures are reused. Default is 5 seconds (one counting query over the ticket-queue rows).</summary>
    public TimeSpan TicketsMaxAge { get; init; } = TimeSpan.FromSeconds(5);

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

    private IEnumerable<Measurement<long>> OpenTickets()
    {
        var figures = _ticketFigures.Get();
        return figures is null
            ? []
            : figures.Counts.Select(c => new Measurement<long>(
                c.Value,
                new KeyValuePair<string, object?>(Telemetry.Tags.Lane, c.Key.Lane),
                new KeyValuePair<string, object?>(TicketSlaTag, c.Key.Sla)));
    }

    /// <summary>The SLA status tag of <c>contactcenter.tickets.open</c>.</summary>
    public const string TicketSlaTag = "contactcenter.sla.status";

    private async Task<StoreFigures> ReadStoreAsync()
    {
        var armed = await _timers.CountPendingAsync().ConfigureAwait(false);
        var outbox = await _outbox.BacklogAsync().ConfigureAwait(false);
        var running = await _instances.CountRunningByChannelAsync().ConfigureAwait(false);
        return new StoreFigures(_clock.GetUtcNow(), armed, outbox, running.Where(r => r.Key != Quality.QualityService.TicketChannel).ToDictionary(StringComparer.Ordinal));
    }

    /// <summary>Open tickets per lane and SLA band, counted by the database from the ticket-queue rows (no journal read).</summary>
    private async Task<TicketFigures> ReadTicketsAsync()
    {
        var counts = new Dictionary<(string Lane, string Sla), long>();
        var byQueue = await _tickets.CountAsync().ConfigureAwait(false);
        foreach (var lane in new[] { TicketQueue.Tier2, TicketQueue.RelatedTeam })
        {
            var laneName = lane == TicketQueue.Tier2 ? "tier2" : "related_team";
            var count = byQueue.FirstOrDefault(c => c.Queue == TicketQueueProjection.QueueName(lane));
            counts[(laneName, "on_track")] = count?.Running ?? 0;
            counts[(laneName, "at_risk")] = count?.Warned ?? 0;
            counts[(laneName, "breached")] = count?.Lapsed ?? 0;
            counts[(laneName, "none")] = count?.NoDeadline ?? 0;
        }

        return new TicketFigures(counts);
    }

    private sealed record StoreFigures(DateTimeOffset ReadAt, int TimersArmed, OutboxBacklog Outbox, Dictionary<string, int> Running);

    private sealed record TicketFigures(Dictionary<(string Lane, string Sla), long> Counts);

    /// <summary>A value read at most once per period, by whichever callback comes first.</summary>
    private sealed class Cached<T>(RuntimeGauges owner, string what, Func<TimeSpan> maxAge, Func<Task<T>> read)
        where T : class
    {
        private readonly Lock _lock = new();
        private T? _value;
        private DateTimeOffset _readAt = DateTimeOffset.MinValue;

        public T? Get()
        {
            lock (_lock)
            {
                var now = owner._clock.GetUtcNow();
                if (_value is null || now - _readAt >= maxAge())
                {
                    try
                    {
                        // Observable callbacks are synchronous; this runs at most once per period.
                        _value = read().GetAwaiter().GetResult();
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        owner._logger.LogWarning(e, "Reading the {What} figures for the metrics failed; the last ones are reported", what);
                    }

                    // A failure waits a period too: a scrape must not hammer a failing database.
                    _readAt = now;
                }

                return _value;
            }
        }
    }
}
