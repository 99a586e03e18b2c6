using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Model;
using ContactCenter.Runtime.Calendar;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Quality;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Tickets;
using NodaTime;

namespace ContactCenter.Runtime.Dashboard;

/// <summary>
/// The Team Leader's dashboard: the conversations running now per channel and agent, the open
/// tickets per lane with their SLA, a day's conversations per hour, and how often each element of
/// a flow ran over a period. Everything is counted from the store; nothing here is cached, so a
/// reload after a live event shows the new state.
/// </summary>
/// <param name="zone">The zone days and hours are read in (the working calendar's, Asia/Jakarta).</param>
public sealed class TeamDashboard(IInstanceStore store, DefinitionCatalog catalog, TicketDesk desk, DateTimeZone zone, TimeProvider clock, ScorecardOptions? scorecard = null)
{
    /// <summary>Most running instances (conversations and tickets) read for the live figures.</summary>
    public const int MaxRunning = 5000;

    /// <summary>Most instances started in a day (and the day before) read for the hourly figures.</summary>
    public const int MaxDayActivity = 50_000;

    /// <summary>How many open tickets the overview lists, the most urgent first.</summary>
    public const int MostUrgentTickets = 10;

    /// <summary>The channel of ticket-escalation instances: not a conversation.</summary>
    public const string TicketChannel = QualityService.TicketChannel;

    /// <summary>The channels in the order the dashboard shows them; others follow by name.</summary>
    public static IReadOnlyList<string> ChannelOrder { get; } = ["whatsapp", "live-chat", "social-media", "email", "inbound-call", "outlet-reservation"];

    private readonly string _closeStep = (scorecard ?? new ScorecardOptions()).CloseStep;

    public DateTimeZone Zone => zone;

    /// <summary>Today's date in the dashboard's zone.</summary>
    public LocalDate Today() => Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(zone).Date;

    /// <summary>[start, end) of a local date in the dashboard's zone.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) DayWindow(LocalDate date) =>
        (date.AtStartOfDayInZone(zone).ToDateTimeOffset(), date.PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeOffset());

    public async Task<DashboardOverview> OverviewAsync(LocalDate? date = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var day = date ?? Today();
        var running = await RunningAsync(cancellationToken).ConfigureAwait(false);
        var tickets = await TicketsAsync(cancellationToken).ConfigureAwait(false);
        var activity = await DayAsync(day, cancellationToken).ConfigureAwait(false);
        return new DashboardOverview(now, day.ToString("yyyy-MM-dd", null), zone.Id, running, tickets, activity);
    }

    /// <summary>How often each element of <paramref name="definitionKey"/> ran for the instances started in [from, to).</summary>
    public async Task<FlowHeatmap> HeatmapAsync(string definitionKey, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var counts = await store.CountElementsAsync(new ElementCountQuery { DefinitionKey = definitionKey, StartedFrom = from, StartedTo = to }, cancellationToken).ConfigureAwait(false);
        return new FlowHeatmap(definitionKey, from, to, counts.Versions.Sum(v => v.Instances), counts.Versions);
    }

    private async Task<RunningConversations> RunningAsync(CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync(new InstanceQuery { Status = InstanceStatus.Running, Limit = MaxRunning + 1 }, cancellationToken).ConfigureAwait(false);
        var truncated = rows.Count > MaxRunning;
        var conversations = new List<RunningConversation>();
        foreach (var record in rows.Take(MaxRunning).Where(r => r.Channel != TicketChannel))
        {
            var state = InstanceState.FromJson(record.Snapshot);
            var task = state.WorkItems.OrderBy(w => w.Id).FirstOrDefault();
            var waiting = task is null && state.Subscriptions.Count > 0;
            var name = state.Get("namaAgent");
            conversations.Add(new RunningConversation(
                record.Id, record.Channel, record.Agent, name.Kind == ValueKind.String ? name.AsString : null, record.CustomerRef, record.StartedAt, waiting, task?.Step, task?.Name, task?.CreatedAt));
        }

        conversations.Sort((a, b) => a.StartedAt.CompareTo(b.StartedAt));
        var channels = conversations.GroupBy(c => c.Channel, StringComparer.Ordinal)
            .Select(g => new ChannelLoad(g.Key, g.Count(), g.Count(c => c.WaitingOnCustomer), g.Min(c => c.StartedAt)))
            .OrderBy(c => ChannelRank(c.Channel)).ThenBy(c => c.Channel, StringComparer.Ordinal)
            .ToList();
        var agents = conversations.GroupBy(c => c.Agent ?? string.Empty, StringComparer.Ordinal)
            .Select(g => new AgentLoad(
                g.Key.Length == 0 ? null : g.Key,
                g.Select(c => c.AgentName).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)),
                g.Count(),
                g.Count(c => c.WaitingOnCustomer),
                g.Min(c => c.StartedAt),
                g.GroupBy(c => c.Channel, StringComparer.Ordinal).OrderBy(c => ChannelRank(c.Key)).ToDictionary(c => c.Key, c => c.Count(), StringComparer.Ordinal)))
            .OrderByDescending(a => a.Running).ThenBy(a => a.Agent ?? "\uffff", StringComparer.Ordinal)
            .ToList();
        return new RunningConversations(conversations.Count, conversations.Count(c => c.WaitingOnCustomer), truncated, channels, agents, conversations);
    }

    /// <summary>Open tickets per lane by SLA status at the desk's clock, counted in the ticket queue's read model; the most urgent listed from it.</summary>
    private async Task<TicketOverview> TicketsAsync(CancellationToken cancellationToken)
    {
        var counts = await desk.CountAsync(cancellationToken).ConfigureAwait(false);
        var lanes = new List<LaneTickets>();
        foreach (var lane in new[] { TicketQueue.Tier2, TicketQueue.RelatedTeam })
        {
            var count = counts.FirstOrDefault(c => c.Queue == TicketQueueProjection.QueueName(lane)) ?? new ReadModelQueueCount(string.Empty, 0, 0, 0, 0, 0);
            lanes.Add(new LaneTickets(lane, count.Rows, count.Running, count.Warned, count.Lapsed));
        }

        // Breached first (the earliest breach), then at risk, then the rest by their breach due,
        // then those without a policy.
        var urgent = new List<TicketSummary>();
        foreach (var band in new[] { DeadlineBand.Lapsed, DeadlineBand.Warned, DeadlineBand.Running, DeadlineBand.None })
        {
            if (urgent.Count < MostUrgentTickets)
            {
                urgent.AddRange(await desk.InBandAsync(band, MostUrgentTickets - urgent.Count, cancellationToken).ConfigureAwait(false));
            }
        }

        return new TicketOverview(
            counts.Sum(c => c.Rows), counts.Sum(c => c.Running), counts.Sum(c => c.Warned), counts.Sum(c => c.Lapsed), counts.Sum(c => c.NoDeadline), lanes, urgent);
    }

    private async Task<DayActivity> DayAsync(LocalDate date, CancellationToken cancellationToken)
    {
        var (start, end) = DayWindow(date);
        // Conversations that ended on the day may have started the day before (not earlier: a
        // conversation closes within minutes of silence).
        var rows = await store.ListActivityAsync(start.AddDays(-1), end, MaxDayActivity + 1, cancellationToken).ConfigureAwait(false);
        var conversations = rows.Take(MaxDayActivity).Where(r => r.Channel != TicketChannel).ToList();
        var started = conversations.Where(r => r.StartedAt >= start && r.StartedAt < end).ToList();
        var ended = conversations.Where(r => r.EndedAt is { } e && e >= start && e < end).ToList();
        var channels = started.Select(r => r.Channel).Concat(ended.Select(r => r.Channel)).Distinct(StringComparer.Ordinal)
            .OrderBy(ChannelRank).ThenBy(c => c, StringComparer.Ordinal).ToList();
        var hours = Enumerable.Range(0, 24).Select(hour => new HourActivity(
            hour,
            PerChannel(started.Where(r => HourOf(r.StartedAt) == hour)),
            PerChannel(ended.Where(r => HourOf(r.EndedAt!.Value) == hour)))).ToList();
        var closedBySilence = await ClosedBySilenceAsync(start, end, cancellationToken).ConfigureAwait(false);
        return new DayActivity(started.Count, ended.Count, closedBySilence, rows.Count > MaxDayActivity, channels, hours);

        int HourOf(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(zone).Hour;

        static IReadOnlyDictionary<string, int> PerChannel(IEnumerable<InstanceActivity> rows) =>
            rows.GroupBy(r => r.Channel, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Conversations started in [from, to) whose wait for the customer was closed at the SOP's
    /// close step (2c, "tidak ada respon: chat diakhiri"): the instances that entered an end event
    /// with that <c>cc:step</c>, in every definition that has one.
    /// </summary>
    private async Task<int> ClosedBySilenceAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var closes = new Dictionary<string, HashSet<(int Version, string ElementId)>>(StringComparer.Ordinal);
        foreach (var version in await catalog.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            WorkflowDefinition definition;
            try
            {
                definition = await catalog.LoadAsync(version.Key, version.Version, cancellationToken).ConfigureAwait(false);
            }
            catch (CatalogException)
            {
                continue; // a draft that does not parse runs nowhere
            }

            foreach (var node in definition.Nodes.Values.Where(n => n.Kind == NodeKind.EndEvent && n.Step == _closeStep))
            {
                if (!closes.TryGetValue(version.Key, out var set))
                {
                    closes[version.Key] = set = [];
                }

                set.Add((version.Version, node.Id));
            }
        }

        var total = 0;
        foreach (var (key, elements) in closes)
        {
            var counts = await store.CountElementsAsync(new ElementCountQuery { DefinitionKey = key, StartedFrom = from, StartedTo = to }, cancellationToken).ConfigureAwait(false);
            total += counts.Versions.Sum(v => v.Elements.Where(e => elements.Contains((v.Version, e.ElementId))).Sum(e => e.Instances));
        }

        return total;
    }

    private static int ChannelRank(string channel)
    {
        for (var i = 0; i < ChannelOrder.Count; i++)
        {
            if (ChannelOrder[i] == channel)
            {
                return i;
            }
        }

        return ChannelOrder.Count;
    }
}
