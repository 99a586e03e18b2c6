using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Tests.Tickets;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Server.Tests.Dashboard;

/// <summary>
/// A server of its own whose ticket desk reads a clock the test moves (the SLA colours), while
/// conversations run on the real one; every dashboard figure is checked against what the
/// journals, the instances and the ticket API say.
/// </summary>
public sealed class DashboardServerFixture : ServerFixture
{
    /// <summary>The clock the ticket queues (and so the dashboard's SLA colours) are read at.</summary>
    public FakeTimeProvider TicketClock { get; } = new(DateTimeOffset.UtcNow);

    public override Task InitializeAsync() => RestartAsync(services => services.AddSingleton(sp =>
        new TicketDesk(sp.GetRequiredService<InstanceRuntime>(), sp.GetRequiredService<DefinitionCatalog>(), sp.GetRequiredService<TicketSla>(), TicketClock, sp.GetRequiredService<IReadModelStore>(), sp.GetRequiredService<TicketQueueProjection>())));
}

public sealed class DashboardApiTests(DashboardServerFixture server) : IClassFixture<DashboardServerFixture>
{
    private static readonly TimeZoneInfo Jakarta = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");

    [Fact]
    public async Task Overview_CountsRunningConversationsPerChannelAndAgent_AndTheDayPerHour()
    {
        using var leader = await server.ClientForAsync("leader.rina");
        using var sari = await server.ClientForAsync("agent.sari");
        using var budi = await server.ClientForAsync("agent.budi");
        StayWithinOneLocalDay();
        var date = Today();
        var before = await leader.GetJsonAsync($"/api/dashboard/overview?date={date}");

        var waiting = await Conversation.StartAsync(sari, "whatsapp", "+6281300000001");
        await waiting.CompleteAsync("Task_SalamPembuka"); // now waiting for the customer's reply
        var chat = await Conversation.StartAsync(sari, "live-chat", "ov-chat-1");
        var budiWa = await Conversation.StartAsync(budi, "whatsapp", "+6281300000002");
        var mail = await Conversation.StartAsync(budi, "email", "ov@example.com");
        await leader.PostJsonAsync($"{mail.Url}/cancel", new { reason = "Salah kanal" });
        var after = await leader.GetJsonAsync($"/api/dashboard/overview?date={date}");

        after.GetProperty("date").GetString().Should().Be(date);
        after.GetProperty("timeZone").GetString().Should().Be("Asia/Jakarta");
        var running = after.GetProperty("running");
        Delta(before, after, r => r.GetProperty("running").GetProperty("total").GetInt32()).Should().Be(3);
        Delta(before, after, r => r.GetProperty("running").GetProperty("waitingOnCustomer").GetInt32()).Should().Be(1);
        Delta(before, after, r => Channel(r, "whatsapp")).Should().Be(2);
        Delta(before, after, r => Channel(r, "live-chat")).Should().Be(1);
        Delta(before, after, r => Channel(r, "email")).Should().Be(0);
        Delta(before, after, r => Agent(r, "agent.sari")?.GetProperty("running").GetInt32() ?? 0).Should().Be(2);
        Delta(before, after, r => Agent(r, "agent.budi")?.GetProperty("running").GetInt32() ?? 0).Should().Be(1);
        Delta(before, after, r => Agent(r, "agent.sari")?.GetProperty("waitingOnCustomer").GetInt32() ?? 0).Should().Be(1);
        Agent(after, "agent.sari")!.Value.GetProperty("displayName").GetString().Should().Be("Sari");
        Agent(after, "agent.sari")!.Value.GetProperty("channels").GetProperty("live-chat").GetInt32().Should().BeGreaterThanOrEqualTo(1);

        // The oldest running conversation per agent and channel is the earliest start among them.
        var conversations = running.GetProperty("conversations").EnumerateArray().ToList();
        foreach (var agent in running.GetProperty("agents").EnumerateArray().Where(a => a.GetProperty("agent").ValueKind == JsonValueKind.String))
        {
            var own = conversations.Where(c => c.GetProperty("agent").GetString() == agent.GetProperty("agent").GetString()).Select(c => c.GetProperty("startedAt").GetDateTimeOffset()).ToList();
            agent.GetProperty("oldestStartedAt").GetDateTimeOffset().Should().Be(own.Min());
            agent.GetProperty("running").GetInt32().Should().Be(own.Count);
        }

        var mine = conversations.Where(c => new[] { waiting.Id, chat.Id, budiWa.Id }.Contains(c.GetProperty("id").GetGuid())).ToList();
        mine.Should().HaveCount(3);
        mine.Single(c => c.GetProperty("id").GetGuid() == waiting.Id).GetProperty("waitingOnCustomer").GetBoolean().Should().BeTrue();
        mine.Single(c => c.GetProperty("id").GetGuid() == chat.Id).GetProperty("taskName").GetString().Should().NotBeNullOrEmpty();
        conversations.Should().NotContain(c => c.GetProperty("id").GetGuid() == mail.Id);

        // The day: four started, one ended, each in the local hour of its start and end.
        Delta(before, after, r => r.GetProperty("today").GetProperty("started").GetInt32()).Should().Be(4);
        Delta(before, after, r => r.GetProperty("today").GetProperty("ended").GetInt32()).Should().Be(1);
        var records = new List<JsonElement>();
        foreach (var c in new[] { waiting, chat, budiWa, mail })
        {
            records.Add(await leader.GetJsonAsync(c.Url));
        }

        foreach (var group in records.GroupBy(r => (Hour(r.GetProperty("startedAt").GetDateTimeOffset()), r.GetProperty("channel").GetString()!)))
        {
            Delta(before, after, r => HourCount(r, group.Key.Item1, "started", group.Key.Item2)).Should().Be(group.Count(), "hour {0} {1}", group.Key.Item1, group.Key.Item2);
        }

        var ended = records.Single(r => r.GetProperty("id").GetGuid() == mail.Id).GetProperty("endedAt").GetDateTimeOffset();
        Delta(before, after, r => HourCount(r, Hour(ended), "ended", "email")).Should().Be(1);
        after.GetProperty("today").GetProperty("hours").GetArrayLength().Should().Be(24);
    }

    [Fact]
    public async Task Overview_CountsAConversationClosedBySilence()
    {
        using var leader = await server.ClientForAsync("leader.rina");
        using var sari = await server.ClientForAsync("agent.sari");
        StayWithinOneLocalDay();
        var date = Today();
        var before = await leader.GetJsonAsync($"/api/dashboard/overview?date={date}");
        var chat = await Conversation.StartAsync(sari, "live-chat", "silent-1");
        await chat.CompleteAsync("Task_SalamPembuka");

        // No answer: the one-minute timer fires three times (2a and 2b, each asked by the agent, then the close), each at its due time.
        var runtime = server.Services.GetRequiredService<InstanceRuntime>();
        for (var rung = 0; rung < 3; rung++)
        {
            var state = await runtime.GetStateAsync(chat.Id);
            await server.FireAtDueAsync(chat.Id, state.Timers.Single(t => t.SlaPolicy is null).Id);
            if (rung < 2)
            {
                await chat.AskStillConnectedAsync();
            }
        }

        var after = await leader.GetJsonAsync($"/api/dashboard/overview?date={date}");
        Delta(before, after, r => r.GetProperty("today").GetProperty("closedBySilence").GetInt32()).Should().Be(1);
        var journal = (await leader.GetJsonAsync($"{chat.Url}/journal")).EnumerateArray();
        journal.Should().Contain(e => e.GetProperty("type").GetString() == "element-entered@1" && e.GetProperty("elementId").GetString() == "Event_Closed");
    }

    [Fact]
    public async Task Heatmap_EqualsTheJournals_ForTheFlowAndTheFlowItCalls()
    {
        using var leader = await server.ClientForAsync("leader.rina");
        using var sari = await server.ClientForAsync("agent.sari");
        var from = server.Clock.GetUtcNow();
        var first = await Conversation.StartAsync(sari, "whatsapp", "+6281300000011");
        await first.CompleteAsync("Task_SalamPembuka");
        await first.CustomerSaysAsync("Saya mau tanya gadai emas", "hm-1");
        await first.CompleteAsync("Task_Verifikasi");
        var second = await Conversation.StartAsync(sari, "whatsapp", "+6281300000012");
        await second.CompleteAsync("Task_SalamPembuka");
        await second.CustomerSaysAsync("Halo", "hm-2");
        var to = server.Clock.GetUtcNow().AddMilliseconds(1);

        foreach (var key in new[] { "whatsapp", "still-connected" })
        {
            var heatmap = await leader.GetJsonAsync($"/api/dashboard/heatmap?definitionKey={key}&from={Q(from)}&to={Q(to)}");
            // The heatmap counts whole local hours (its counters' buckets) and says which.
            var (hourFrom, hourTo) = (heatmap.GetProperty("from").GetDateTimeOffset(), heatmap.GetProperty("to").GetDateTimeOffset());
            hourFrom.Should().BeOnOrBefore(from).And.BeAfter(from.AddHours(-1));
            hourTo.Should().BeOnOrAfter(to).And.BeBefore(to.AddHours(1));
            var expected = await CountJournalsAsync(leader, key, hourFrom, hourTo);
            var versions = heatmap.GetProperty("versions").EnumerateArray().ToList();
            versions.Select(v => v.GetProperty("version").GetInt32()).Should().Equal(expected.Keys.Order());
            foreach (var v in versions)
            {
                var e = expected[v.GetProperty("version").GetInt32()];
                v.GetProperty("instances").GetInt32().Should().Be(e.Instances.Count, key);
                v.GetProperty("elements").EnumerateArray().ToDictionary(x => x.GetProperty("elementId").GetString()!, x => (x.GetProperty("entered").GetInt32(), x.GetProperty("instances").GetInt32()))
                    .Should().BeEquivalentTo(e.Elements.ToDictionary(x => x.Key, x => (x.Value.Entered, x.Value.Instances.Count)), key);
                v.GetProperty("flows").EnumerateArray().ToDictionary(x => x.GetProperty("flowId").GetString()!, x => x.GetProperty("taken").GetInt32())
                    .Should().BeEquivalentTo(e.Flows, key);
            }

            heatmap.GetProperty("instances").GetInt32().Should().Be(expected.Values.Sum(v => v.Instances.Count));
        }

        // Both conversations greeted and waited for the customer once (the call into still-connected).
        var whatsapp = await leader.GetJsonAsync($"/api/dashboard/heatmap?definitionKey=whatsapp&from={Q(from)}&to={Q(to)}");
        var greet = whatsapp.GetProperty("versions")[0].GetProperty("elements").EnumerateArray().Single(x => x.GetProperty("elementId").GetString() == "Task_SalamPembuka");
        greet.GetProperty("entered").GetInt32().Should().BeGreaterThanOrEqualTo(2, "the hour may hold other tests' conversations too");
        whatsapp.GetProperty("name").GetString().Should().NotBeNullOrEmpty();
        whatsapp.GetProperty("versionInEffect").GetInt32().Should().Be(1);

        // A named period is whole local days, today included.
        var week = await leader.GetJsonAsync("/api/dashboard/heatmap?definitionKey=whatsapp&period=7d");
        week.GetProperty("period").GetString().Should().Be("7d");
        var weekFrom = week.GetProperty("from").GetDateTimeOffset();
        var weekTo = week.GetProperty("to").GetDateTimeOffset();
        TimeZoneInfo.ConvertTime(weekFrom, Jakarta).TimeOfDay.Should().Be(TimeSpan.Zero);
        (weekTo - weekFrom).Should().Be(TimeSpan.FromDays(7));
        weekTo.Should().BeAfter(server.Clock.GetUtcNow());
        week.GetProperty("instances").GetInt32().Should().BeGreaterThanOrEqualTo(2);
        var today = await leader.GetJsonAsync("/api/dashboard/heatmap?definitionKey=whatsapp");
        today.GetProperty("period").GetString().Should().Be("today");
        (today.GetProperty("to").GetDateTimeOffset() - today.GetProperty("from").GetDateTimeOffset()).Should().Be(TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task Tickets_PerLaneAndSlaStatus_EqualTheTicketQueues_AsTheSlaRunsOut()
    {
        using var leader = await server.ClientForAsync("leader.rina");
        using var budi = await server.ClientForAsync("agent.budi");
        using var tier2 = await server.ClientForAsync("tier2.dewi");
        server.TicketClock.AdjustTime(server.Clock.GetUtcNow());
        var (_, ticketId) = await TicketApiTests.RaiseComplaintAsync(budi, tier2, "+6281300000021", priority: "Sedang");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var now = server.Clock.GetUtcNow();
        for (var hours = 0; hours <= 40 * 24 && !seen.Contains("Breached"); hours += 6)
        {
            server.TicketClock.AdjustTime(now.AddHours(hours));
            var tier2Queue = (await leader.GetJsonAsync("/api/tickets?queue=tier2")).EnumerateArray().ToList();
            var relatedQueue = (await leader.GetJsonAsync("/api/tickets?queue=related")).EnumerateArray().ToList();
            var overview = await leader.GetJsonAsync("/api/dashboard/overview");
            var tickets = overview.GetProperty("tickets");

            var status = tier2Queue.Single(t => t.GetProperty("id").GetGuid() == ticketId).GetProperty("sla").GetProperty("snapshot").GetProperty("status").GetString()!;
            seen.Add(status);
            var all = tier2Queue.Concat(relatedQueue).ToList();
            tickets.GetProperty("open").GetInt32().Should().Be(all.Count);
            foreach (var (field, value) in new[] { ("onTrack", "OnTrack"), ("atRisk", "AtRisk"), ("breached", "Breached") })
            {
                tickets.GetProperty(field).GetInt32().Should().Be(all.Count(t => SlaStatus(t) == value), "{0} after {1} h", field, hours);
                var lane = tickets.GetProperty("lanes").EnumerateArray().Single(l => l.GetProperty("lane").GetString() == "Tier2");
                lane.GetProperty(field).GetInt32().Should().Be(tier2Queue.Count(t => SlaStatus(t) == value));
            }

            var urgent = tickets.GetProperty("mostUrgent").EnumerateArray().ToList();
            urgent.Should().Contain(t => t.GetProperty("id").GetGuid() == ticketId);
            urgent.Select(t => Rank(SlaStatus(t))).Should().BeInAscendingOrder();
        }

        seen.Should().Equal("OnTrack", "AtRisk", "Breached");
        server.TicketClock.AdjustTime(server.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Endpoints_AreForTeamLeadersAndAdmins()
    {
        using var anonymous = server.Anonymous();
        foreach (var path in new[] { "/api/dashboard/overview", "/api/dashboard/heatmap?definitionKey=whatsapp" })
        {
            foreach (var user in new[] { "leader.rina", "admin" })
            {
                using var allowed = await server.ClientForAsync(user);
                (await allowed.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK, "{0} {1}", user, path);
            }

            foreach (var user in new[] { "agent.sari", "tier2.dewi", "qc.agus", "owner.gadhong" })
            {
                using var denied = await server.ClientForAsync(user);
                await (await denied.GetAsync(path)).ProblemAsync(HttpStatusCode.Forbidden);
            }

            await (await anonymous.GetAsync(path)).ProblemAsync(HttpStatusCode.Unauthorized);
        }

        server.SecurityEvents().Where(e => Text(e, "Path") == "/api/dashboard/overview").Select(e => Text(e, "UserName")).Should().Contain("agent.sari");
    }

    [Theory]
    [InlineData("/api/dashboard/heatmap", "definitionKey")]
    [InlineData("/api/dashboard/heatmap?definitionKey=Not_A_Key", "definitionKey")]
    [InlineData("/api/dashboard/heatmap?definitionKey=no-such-flow", "definitionKey")]
    [InlineData("/api/dashboard/heatmap?definitionKey=whatsapp&period=year", "period")]
    [InlineData("/api/dashboard/heatmap?definitionKey=whatsapp&period=7d&from=2026-03-01T00:00:00Z", "period")]
    [InlineData("/api/dashboard/heatmap?definitionKey=whatsapp&from=yesterday", "from")]
    [InlineData("/api/dashboard/heatmap?definitionKey=whatsapp&from=2026-03-02T00:00:00Z&to=noon", "to")]
    [InlineData("/api/dashboard/heatmap?definitionKey=whatsapp&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "to")]
    [InlineData("/api/dashboard/heatmap?definitionKey=whatsapp&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "from")]
    [InlineData("/api/dashboard/overview?date=24-11-2026", "date")]
    public async Task BadParameters_Are400NamingTheField(string path, string field)
    {
        using var leader = await server.ClientForAsync("leader.rina");
        var problem = await (await leader.GetAsync(path)).ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
    }

    private sealed record Expected(HashSet<Guid> Instances, Dictionary<string, (int Entered, HashSet<Guid> Instances)> Elements, Dictionary<string, int> Flows);

    /// <summary>The heatmap counted by hand: every journal of the instances started in [from, to), its events before <paramref name="to"/>, by scope.</summary>
    private static async Task<Dictionary<int, Expected>> CountJournalsAsync(HttpClient leader, string key, DateTimeOffset from, DateTimeOffset to)
    {
        var result = new Dictionary<int, Expected>();
        var instances = (await leader.GetJsonAsync($"/api/instances?from={Q(from)}&to={Q(to)}&limit=500")).EnumerateArray().ToList();
        foreach (var instance in instances)
        {
            var id = instance.GetProperty("id").GetGuid();
            var scopes = new Dictionary<long, (string Key, int Version)>();
            foreach (var e in (await leader.GetJsonAsync($"/api/instances/{id}/journal")).EnumerateArray())
            {
                var type = e.GetProperty("type").GetString();
                if (type == "scope-started@1")
                {
                    scopes[e.GetProperty("scopeId").GetInt64()] = (e.GetProperty("definitionKey").GetString()!, e.GetProperty("definitionVersion").GetInt32());
                }
                else if (type == "element-entered@1" && e.GetProperty("at").GetDateTimeOffset() < to && scopes[e.GetProperty("scopeId").GetInt64()] is var (scopeKey, version) && scopeKey == key)
                {
                    if (!result.TryGetValue(version, out var counts))
                    {
                        result[version] = counts = new Expected([], new(StringComparer.Ordinal), new(StringComparer.Ordinal));
                    }

                    counts.Instances.Add(id);
                    var elementId = e.GetProperty("elementId").GetString()!;
                    var element = counts.Elements.GetValueOrDefault(elementId, (0, []));
                    element.Instances.Add(id);
                    counts.Elements[elementId] = (element.Entered + 1, element.Instances);
                    if (e.GetProperty("flowId").GetString() is { } flow)
                    {
                        counts.Flows[flow] = counts.Flows.GetValueOrDefault(flow) + 1;
                    }
                }
            }
        }

        return result;
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var p) ? p.GetString() : null;

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    /// <summary>The silence ladder moves the clock three minutes on; a quarter of an hour is ample.</summary>
    private void StayWithinOneLocalDay() => server.Clock.KeepOffLocalMidnight(Jakarta, TimeSpan.FromMinutes(15));

    private string Today() => TimeZoneInfo.ConvertTime(server.Clock.GetUtcNow(), Jakarta).ToString("yyyy-MM-dd");

    private static int Hour(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Jakarta).Hour;

    private static int Delta(JsonElement before, JsonElement after, Func<JsonElement, int> read) => read(after) - read(before);

    private static int Channel(JsonElement overview, string channel) =>
        overview.GetProperty("running").GetProperty("channels").EnumerateArray().Where(c => c.GetProperty("channel").GetString() == channel).Select(c => c.GetProperty("running").GetInt32()).SingleOrDefault();

    private static JsonElement? Agent(JsonElement overview, string agent) =>
        overview.GetProperty("running").GetProperty("agents").EnumerateArray().Cast<JsonElement?>().SingleOrDefault(a => a!.Value.GetProperty("agent").GetString() == agent);

    private static int HourCount(JsonElement overview, int hour, string kind, string channel) =>
        overview.GetProperty("today").GetProperty("hours")[hour].GetProperty(kind).TryGetProperty(channel, out var n) ? n.GetInt32() : 0;

    private static string SlaStatus(JsonElement ticket) => ticket.GetProperty("sla").GetProperty("snapshot").GetProperty("status").GetString()!;

    private static int Rank(string status) => status switch { "Breached" => 0, "AtRisk" => 1, _ => 2 };
}
