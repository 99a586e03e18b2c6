using System.Globalization;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Model;
using ContactCenter.Modules.Calendar;
using ContactCenter.Modules.Quality;
using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;
using NodaTime;

namespace ContactCenter.Modules.Dashboard;

/// <summary>
/// The Team Leader's dashboard: the conversations running now per channel and agent, the open
/// tickets per lane with their SLA, a day's conversations per hour, and how often each element of
/// a flow ran over a period. The tickets, the day and the heatmap are read from the read models
/// kept in each commit's transaction (<see cref="TicketQueueProjection"/>,
/// <see cref="DashboardCounterProjection"/>); nothing here is cached, so a reload after a live
/// event shows the new state.
/// </summary>
/// <param name="zone">The zone days and hours are read in (the working calendar's, Asia/Jakarta).</param>
public sealed class TeamDashboard(IInstanceQueries queries, IReadModelStore readModels, TicketDesk desk, DateTimeZone zone, TimeProvider clock)
{
    /// <summary>Most running instances (conversations and tickets) read for the live figures.</summary>
    public const int MaxRunning = 5000;

    /// <summary>How many open tickets the overview lists, the most urgent first.</summary>
    public const int MostUrgentTickets = 10;

    /// <summary>The channel of ticket-escalation instances: not a conversation.</summary>
    public const string TicketChannel = QualityService.TicketChannel;

    /// <summary>The channels in the order the dashboard shows them; others follow by name.</summary>
    public static IReadOnlyList<string> ChannelOrder { get; } = ["whatsapp", "live-chat", "social-media", "email", "inbound-call", "outlet-reservation"];

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

    /// <summary>
    /// How often each element of <paramref name="definitionKey"/> ran for the instances started in
    /// [from, to), per pinned version: summed from the hour buckets of the counters (an instance's
    /// events count in the local hour it started). The period is whole hours: <paramref name="from"/>
    /// is taken back and <paramref name="to"/> on to the hour, and the heatmap says so in its
    /// <see cref="FlowHeatmap.From"/> and <see cref="FlowHeatmap.To"/>.
    /// </summary>
    public async Task<FlowHeatmap> HeatmapAsync(string definitionKey, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        from = DashboardCounterProjection.HourOf(zone, from);
        var hourOfTo = DashboardCounterProjection.HourOf(zone, to);
        to = hourOfTo == to ? to : hourOfTo.AddHours(1);
        var instances = await readModels.SumCountersAsync(DashboardCounterProjection.VersionInstances(definitionKey), from, to, cancellationToken).ConfigureAwait(false);
        var entered = Split(await readModels.SumCountersAsync(DashboardCounterProjection.Entered(definitionKey), from, to, cancellationToken).ConfigureAwait(false));
        var enteredBy = Split(await readModels.SumCountersAsync(DashboardCounterProjection.EnteredBy(definitionKey), from, to, cancellationToken).ConfigureAwait(false))
            .ToDictionary(e => (e.Version, e.Id), e => e.Total);
        var flows = Split(await readModels.SumCountersAsync(DashboardCounterProjection.FlowTaken(definitionKey), from, to, cancellationToken).ConfigureAwait(false));
        var versions = instances
            .Select(v => (Version: int.Parse(v.Key, CultureInfo.InvariantCulture), v.Total))
            .Where(v => v.Total > 0)
            .OrderBy(v => v.Version)
            .Select(v => new VersionElementCounts(
                v.Version,
                (int)v.Total,
                [.. entered.Where(e => e.Version == v.Version).OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => new ElementCount(e.Id, (int)e.Total, (int)enteredBy.GetValueOrDefault((e.Version, e.Id))))],
                [.. flows.Where(f => f.Version == v.Version).OrderBy(f => f.Id, StringComparer.Ordinal).Select(f => new FlowCount(f.Id, (int)f.Total))]))
            .ToList();
        return new FlowHeatmap(definitionKey, from, to, versions.Sum(v => v.Instances), versions);

        // Dimensions are "version|id".
        static List<(int Version, string Id, long Total)> Split(IReadOnlyList<ReadModelCounterTotal> totals) =>
            [.. totals.Select(t => (Version: int.Parse(t.Key.AsSpan(0, t.Key.IndexOf('|', StringComparison.Ordinal)), CultureInfo.InvariantCulture), Id: t.Key[(t.Key.IndexOf('|', StringComparison.Ordinal) + 1)..], t.Total))];
    }

    private async Task<RunningConversations> RunningAsync(CancellationToken cancellationToken)
    {
        var rows = await queries.QueryAsync(new InstanceQuery { Status = InstanceStatus.Running, Limit = MaxRunning + 1 }, cancellationToken).ConfigureAwait(false);
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

    /// <summary>A day's conversations per local hour and channel, from the counters' hour buckets.</summary>
    private async Task<DayActivity> DayAsync(LocalDate date, CancellationToken cancellationToken)
    {
        var (start, end) = DayWindow(date);
        var started = await readModels.ListCountersAsync(DashboardCounterProjection.Started, start, end, cancellationToken).ConfigureAwait(false);
        var ended = await readModels.ListCountersAsync(DashboardCounterProjection.Ended, start, end, cancellationToken).ConfigureAwait(false);
        var closedBySilence = await readModels.SumCountersAsync(DashboardCounterProjection.ClosedBySilence, start, end, cancellationToken).ConfigureAwait(false);
        var channels = started.Concat(ended).Where(c => c.Value != 0).Select(c => c.Key).Distinct(StringComparer.Ordinal)
            .OrderBy(ChannelRank).ThenBy(c => c, StringComparer.Ordinal).ToList();
        var hours = Enumerable.Range(0, 24).Select(hour => new HourActivity(hour, PerChannel(started, hour), PerChannel(ended, hour))).ToList();
        return new DayActivity((int)started.Sum(c => c.Value), (int)ended.Sum(c => c.Value), (int)closedBySilence.Sum(c => c.Total), false, channels, hours)
        {
            Reasons = await ReasonsAsync(start, end, cancellationToken).ConfigureAwait(false),
        };

        IReadOnlyDictionary<string, int> PerChannel(IReadOnlyList<ReadModelCounterValue> counters, int hour) =>
            counters.Where(c => c.Value != 0 && Instant.FromDateTimeOffset(c.Bucket).InZone(zone).Hour == hour)
                .GroupBy(c => c.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (int)g.Sum(c => c.Value), StringComparer.Ordinal);
    }

    /// <summary>Contact reasons per channel and the OOT share of the conversations started in [start, end), from the documentation counters.</summary>
    private async Task<ContactReasonsOfDay> ReasonsAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var reasons = await readModels.SumCountersAsync(DashboardCounterProjection.ContactReasons, start, end, cancellationToken).ConfigureAwait(false);
        var outOfTopic = (await readModels.SumCountersAsync(DashboardCounterProjection.OutOfTopic, start, end, cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => c.Key, c => (int)c.Total, StringComparer.Ordinal);
        var channels = reasons.Where(c => c.Total != 0)
            .Select(c => (Channel: c.Key[..Math.Max(0, c.Key.IndexOf('|', StringComparison.Ordinal))], Category: c.Key[(c.Key.IndexOf('|', StringComparison.Ordinal) + 1)..], Count: (int)c.Total))
            .GroupBy(c => c.Channel, StringComparer.Ordinal)
            .OrderBy(g => ChannelRank(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var documented = g.Sum(c => c.Count);
                var oot = outOfTopic.GetValueOrDefault(g.Key);
                return new ChannelReasons(g.Key, documented, oot, Share(oot, documented), [.. g.OrderByDescending(c => c.Count).ThenBy(c => c.Category, StringComparer.Ordinal).Select(c => new ReasonCount(c.Category, c.Count))]);
            })
            .ToList();
        var total = channels.Sum(c => c.Documented);
        var totalOot = channels.Sum(c => c.OutOfTopic);
        return new ContactReasonsOfDay(total, totalOot, Share(totalOot, total), channels);

        static double? Share(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
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
