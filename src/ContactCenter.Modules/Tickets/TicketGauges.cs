using System.Diagnostics.Metrics;
using ContactCenter.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Modules.Tickets;

/// <summary>
/// <c>contactcenter.tickets.open</c>: open tickets waiting in a lane, by lane and SLA status,
/// counted by the database from the ticket-queue rows (no journal read) at most once per
/// <see cref="MaxAge"/>, on a meter of the platform's name so one scrape shows both.
/// </summary>
public sealed class TicketGauges : IDisposable
{
    /// <summary>The SLA status tag of <c>contactcenter.tickets.open</c>.</summary>
    public const string SlaTag = "contactcenter.sla.status";

    private readonly TicketDesk _tickets;
    private readonly Meter _meter = new(Telemetry.Name, Telemetry.Version);
    private readonly CachedFigure<Dictionary<(string Lane, string Sla), long>> _counts;

    public TicketGauges(TicketDesk tickets, TimeProvider clock, ILogger<TicketGauges> logger)
    {
        _tickets = tickets;
        _counts = new(clock, logger, "tickets", () => MaxAge, ReadAsync);
        _meter.CreateObservableUpDownCounter("contactcenter.tickets.open", Observe, "{ticket}", "Open tickets waiting in a lane, by lane and SLA status (on_track, at_risk, breached, none).");
    }

    /// <summary>How long the ticket figures are reused. Default is 5 seconds (one counting query over the ticket-queue rows).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>This host's meter (tests tell its instruments from another host's by it).</summary>
    internal Meter Meter => _meter;

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> Observe()
    {
        var counts = _counts.Get();
        return counts is null
            ? []
            : counts.Select(c => new Measurement<long>(
                c.Value,
                new KeyValuePair<string, object?>(Telemetry.Tags.Lane, c.Key.Lane),
                new KeyValuePair<string, object?>(SlaTag, c.Key.Sla)));
    }

    private async Task<Dictionary<(string Lane, string Sla), long>> ReadAsync()
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

        return counts;
    }
}
