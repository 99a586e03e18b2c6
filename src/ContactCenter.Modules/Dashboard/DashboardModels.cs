using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Modules.Dashboard;

/// <summary>The dashboard at <paramref name="At"/>: live conversations, open tickets and the activity of <paramref name="Date"/> (local, in <paramref name="TimeZone"/>).</summary>
public sealed record DashboardOverview(DateTimeOffset At, string Date, string TimeZone, RunningConversations Running, TicketOverview Tickets, DayActivity Today);

/// <summary>The conversations running now (tickets excluded), oldest first.</summary>
/// <param name="WaitingOnCustomer">Those with no open task that wait for the customer's message.</param>
/// <param name="Truncated">More instances were running than <see cref="TeamDashboard.MaxRunning"/>; the figures count the first ones.</param>
public sealed record RunningConversations(int Total, int WaitingOnCustomer, bool Truncated, IReadOnlyList<ChannelLoad> Channels, IReadOnlyList<AgentLoad> Agents, IReadOnlyList<RunningConversation> Conversations);

public sealed record ChannelLoad(string Channel, int Running, int WaitingOnCustomer, DateTimeOffset OldestStartedAt);

/// <param name="Agent">The agent's user name; null for conversations given to nobody.</param>
/// <param name="DisplayName">The name the customer was given (<c>namaAgent</c>).</param>
/// <param name="Channels">Running conversations per channel.</param>
public sealed record AgentLoad(string? Agent, string? DisplayName, int Running, int WaitingOnCustomer, DateTimeOffset OldestStartedAt, IReadOnlyDictionary<string, int> Channels);

/// <param name="Step">The SOP step of the open task, if any.</param>
/// <param name="TaskName">The open task's name; null while the conversation waits for the customer.</param>
/// <param name="TaskSince">When the open task was created.</param>
public sealed record RunningConversation(Guid Id, string Channel, string? Agent, string? AgentName, string? CustomerRef, DateTimeOffset StartedAt, bool WaitingOnCustomer, string? Step, string? TaskName, DateTimeOffset? TaskSince);

/// <summary>Open tickets per lane and SLA status; <paramref name="MostUrgent"/> lists the first <see cref="TeamDashboard.MostUrgentTickets"/>: breached, at risk, then on track, each by breach due.</summary>
/// <param name="NoPolicy">Open tickets no SLA policy covers.</param>
public sealed record TicketOverview(int Open, int OnTrack, int AtRisk, int Breached, int NoPolicy, IReadOnlyList<LaneTickets> Lanes, IReadOnlyList<TicketSummary> MostUrgent);

public sealed record LaneTickets(TicketQueue Lane, int Open, int OnTrack, int AtRisk, int Breached);

/// <summary>A day's conversations (tickets excluded): started and ended per local hour and channel.</summary>
/// <param name="ClosedBySilence">Of those started that day, the ones closed because the customer stopped answering (SOP step 2c).</param>
/// <param name="Truncated">Always false: the figures come from counters, which are never cut (kept for the API's shape).</param>
/// <param name="Channels">The channels that appear, in the dashboard's order.</param>
public sealed record DayActivity(int Started, int Ended, int ClosedBySilence, bool Truncated, IReadOnlyList<string> Channels, IReadOnlyList<HourActivity> Hours)
{
    /// <summary>Of the conversations started that day and documented, the contact reasons per channel and the out-of-topic share.</summary>
    public ContactReasonsOfDay Reasons { get; init; } = new(0, 0, null, []);
}

/// <summary>What the documentation step recorded (SOP §6.5, §6.11): documented conversations, those out of topic, and their share.</summary>
/// <param name="OutOfTopicShare">OutOfTopic / Documented, null when none was documented.</param>
public sealed record ContactReasonsOfDay(int Documented, int OutOfTopic, double? OutOfTopicShare, IReadOnlyList<ChannelReasons> Channels);

/// <param name="Categories">Documented conversations per contact category, most first.</param>
public sealed record ChannelReasons(string Channel, int Documented, int OutOfTopic, double? OutOfTopicShare, IReadOnlyList<ReasonCount> Categories);

public sealed record ReasonCount(string Category, int Count);

/// <param name="Hour">0-23, local.</param>
public sealed record HourActivity(int Hour, IReadOnlyDictionary<string, int> Started, IReadOnlyDictionary<string, int> Ended);

/// <summary>How often each element of a flow ran, per pinned version, for the instances started in [From, To).</summary>
public sealed record FlowHeatmap(string DefinitionKey, DateTimeOffset From, DateTimeOffset To, int Instances, IReadOnlyList<VersionElementCounts> Versions);
