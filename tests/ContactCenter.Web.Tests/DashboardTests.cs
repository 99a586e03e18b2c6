using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// The Team Leader's dashboard on the shared server: conversations and a complaint made through
/// the runtime show up per channel and agent (counted against a baseline read first), the ticket
/// is listed with its SLA, the heatmap's badges equal the journals' counts, flow and period can be
/// switched, a new conversation appears live, and an agent gets no dashboard.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class DashboardTests(WebAppFixture app)
{
    private static readonly TimeZoneInfo Jakarta = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");

    [Fact]
    public async Task TeamLeader_SeesLoadTicketsChartsAndHeatmap_LiveWithoutReloading()
    {
        var runtime = app.Services.GetRequiredService<InstanceRuntime>();
        var stamp = Guid.NewGuid().ToString("N")[..6];
        var leader = await app.NewPageAsync();
        await leader.SignInAsync(app, "leader.rina");
        app.Clock.KeepOffLocalMidnight(Jakarta, TimeSpan.FromMinutes(15)); // "today" is read before and after
        var before = await OverviewAsync(leader);

        // Sari: a WhatsApp chat waiting for the customer, a live chat, a complaint; Budi: a WhatsApp chat and a call run to its end.
        var waiting = await StartAsync(runtime, "whatsapp", $"wa-wait-{stamp}", "agent.sari", "Sari");
        await CompleteAsync(runtime, waiting, "Task_SalamPembuka", "agent.sari");
        await StartAsync(runtime, "live-chat", $"lc-{stamp}", "agent.sari", "Sari");
        var complaint = $"Gadai emas belum cair {stamp}";
        var complaining = await StartAsync(runtime, "whatsapp", $"wa-complaint-{stamp}", "agent.sari", "Sari");
        await CompleteAsync(runtime, complaining, "Task_SalamPembuka", "agent.sari");
        await runtime.DeliverMessageAsync(complaining, complaint, $"m-{stamp}", "customer");
        foreach (var step in new[] { "Task_Verifikasi", "Task_Identifikasi", "Task_Solusi" })
        {
            await CompleteAsync(runtime, complaining, step, "agent.sari");
        }

        await CompleteAsync(runtime, complaining, "Gateway_PerluTiket", "agent.sari", "Ya", new Dictionary<string, Value>
        {
            ["kategori"] = Value.From("Transaksi"), ["prioritas"] = Value.From("Sedang"), ["deskripsi"] = Value.From(complaint),
        });
        await StartAsync(runtime, "whatsapp", $"wa-budi-{stamp}", "agent.budi", "Budi");
        var call = await StartAsync(runtime, "inbound-call", $"call-{stamp}", "agent.budi", "Budi");
        await RunToEndAsync(runtime, call, "agent.budi");

        await leader.GotoAsync("/dashboard");
        var ticket = leader.GetByTestId("dash-ticket").Filter(new() { HasText = complaint });
        await Expect(ticket).ToBeVisibleAsync(new() { Timeout = 20_000 }); // the outbox opens the ticket
        var after = await OverviewAsync(leader);

        // The server counted what was made (against the baseline), and the screen shows the server's figures.
        (Total(after) - Total(before)).Should().Be(4);
        (Waiting(after) - Waiting(before)).Should().Be(1);
        (ChannelCount(after, "whatsapp") - ChannelCount(before, "whatsapp")).Should().Be(3);
        (ChannelCount(after, "live-chat") - ChannelCount(before, "live-chat")).Should().Be(1);
        (AgentCount(after, "agent.sari") - AgentCount(before, "agent.sari")).Should().Be(3);
        (AgentCount(after, "agent.budi") - AgentCount(before, "agent.budi")).Should().Be(1);
        (Today(after, "ended") - Today(before, "ended")).Should().Be(1);
        (Today(after, "started") - Today(before, "started")).Should().Be(5);
        await Expect(leader.GetByTestId("tile-running").Locator(".value")).ToHaveTextAsync(Total(after).ToString());
        await Expect(leader.GetByTestId("tile-waiting").Locator(".value")).ToHaveTextAsync(Waiting(after).ToString());
        await Expect(Row(leader, "channel-row", "data-channel", "whatsapp")).ToHaveTextAsync(ChannelCount(after, "whatsapp").ToString());
        await Expect(Row(leader, "channel-row", "data-channel", "live-chat")).ToHaveTextAsync(ChannelCount(after, "live-chat").ToString());
        await Expect(Row(leader, "agent-row", "data-agent", "agent.sari")).ToHaveTextAsync(AgentCount(after, "agent.sari").ToString());
        await Expect(Row(leader, "agent-row", "data-agent", "agent.budi")).ToHaveTextAsync(AgentCount(after, "agent.budi").ToString());
        await Expect(leader.GetByTestId("tile-at-risk").Locator(".value")).ToHaveTextAsync(after.GetProperty("tickets").GetProperty("atRisk").GetInt32().ToString());
        await Expect(leader.GetByTestId("tile-breached").Locator(".value")).ToHaveTextAsync(after.GetProperty("tickets").GetProperty("breached").GetInt32().ToString());
        await Expect(ticket.Locator(".sla")).ToHaveAttributeAsync("data-colour", "on-track");
        await Expect(ticket.Locator("a")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/tickets/[0-9a-f-]{36}$"));
        await Expect(leader.GetByTestId("chart-hours").Locator("svg[role=img] title").First).ToHaveTextAsync("Percakapan hari ini per jam");
        await Expect(leader.GetByTestId("chart-sla").Locator("svg[role=img]")).ToBeVisibleAsync();
        await Expect(leader.GetByTestId("chart-quality").Locator("svg[role=img]")).ToBeVisibleAsync();

        // Clicking an agent shows their conversations in place (no agent-only screen).
        await leader.Locator("[data-testid=agent-row][data-agent='agent.sari']").ClickAsync();
        var list = leader.GetByTestId("agent-conversations");
        await Expect(list).ToContainTextAsync($"wa-wait-{stamp}");
        await Expect(list.Locator("li", new() { HasText = $"wa-wait-{stamp}" })).ToContainTextAsync("Menunggu nasabah");
        await Expect(list).ToContainTextAsync($"lc-{stamp}");
        leader.Url.Should().EndWith("/dashboard");

        // The heatmap of today's WhatsApp flow: the greeting's badge is the journals' count.
        var heatmap = leader.GetByTestId("heatmap");
        await Expect(heatmap).ToHaveAttributeAsync("data-ready", "true");
        await Expect(heatmap).ToHaveAttributeAsync("data-key", "whatsapp");
        await Expect(heatmap).ToHaveAttributeAsync("data-period", "today");
        var (todayFrom, todayTo) = Days(1);
        await Expect(Badge(leader, "Task_SalamPembuka")).ToHaveTextAsync((await EnteredAsync("whatsapp", "Task_SalamPembuka", todayFrom, todayTo)).ToString());
        await Expect(Badge(leader, "Task_Verifikasi")).ToHaveTextAsync((await EnteredAsync("whatsapp", "Task_Verifikasi", todayFrom, todayTo)).ToString());
        await Expect(leader.Locator(".heat-legend")).ToContainTextAsync("tidak pernah");
        await app.ScreenshotAsync(leader, "dashboard-overview");

        // Another flow over seven days.
        await leader.GetByTestId("heatmap-flow").SelectOptionAsync("live-chat");
        await Expect(heatmap).ToHaveAttributeAsync("data-key", "live-chat");
        await leader.GetByTestId("period-7d").ClickAsync();
        await Expect(heatmap).ToHaveAttributeAsync("data-period", "7d");
        await Expect(heatmap).ToHaveAttributeAsync("data-ready", "true");
        var (weekFrom, weekTo) = Days(7);
        await Expect(Badge(leader, "Task_SalamPembuka")).ToHaveTextAsync((await EnteredAsync("live-chat", "Task_SalamPembuka", weekFrom, weekTo)).ToString());
        await heatmap.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.Screenshots, "dashboard-heatmap-live-chat-7d.png") });

        // Live: a new conversation appears without a reload.
        await leader.EvaluateAsync("() => { window.__dashboardMarker = 42; }");
        var emailBefore = ChannelCount(await OverviewAsync(leader), "email");
        await StartAsync(runtime, "email", $"mail-{stamp}@example.com", "agent.budi", "Budi");
        await Expect(Row(leader, "channel-row", "data-channel", "email")).ToHaveTextAsync((emailBefore + 1).ToString());
        await Expect(Row(leader, "agent-row", "data-agent", "agent.budi")).ToHaveTextAsync((AgentCount(after, "agent.budi") + 1).ToString());
        (await leader.EvaluateAsync<int>("() => window.__dashboardMarker")).Should().Be(42);

        // English.
        await leader.GetByRole(AriaRole.Button, new() { Name = "EN", Exact = true }).ClickAsync();
        await Expect(leader.GetByRole(AriaRole.Heading, new() { Name = "Team leader dashboard" })).ToBeVisibleAsync();
        await Expect(leader.GetByTestId("heatmap")).ToHaveAttributeAsync("data-ready", "true");
        await app.ScreenshotAsync(leader, "dashboard-english");
        await leader.GetByRole(AriaRole.Button, new() { Name = "ID", Exact = true }).ClickAsync();

        // The ticket opens the ticket page.
        await leader.GetByTestId("dash-ticket").Filter(new() { HasText = complaint }).Locator("a").ClickAsync();
        await leader.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/tickets/[0-9a-f-]{36}$"));
        await Expect(leader.GetByTestId("ticket-status")).ToHaveTextAsync("Berjalan");
        await leader.Context.CloseAsync();
    }

    [Fact]
    public async Task Agent_GetsNoDashboard()
    {
        var agent = await app.NewPageAsync();
        await agent.SignInAsync(app, "agent.sari");
        await Expect(agent.Locator("nav.menu")).Not.ToContainTextAsync("Dasbor");
        await agent.GotoAsync("/dashboard");
        await Expect(agent.Locator("main")).ToContainTextAsync("Anda tidak berwenang membuka layar ini.");
        await Expect(agent.GetByTestId("heatmap")).ToHaveCountAsync(0);
        var response = await agent.APIRequest.GetAsync("/api/dashboard/overview");
        response.Status.Should().Be(403);
        await app.ScreenshotAsync(agent, "dashboard-agent-denied");
        await agent.Context.CloseAsync();
    }

    private static ILocator Row(IPage page, string testId, string attribute, string value) =>
        page.Locator($"[data-testid={testId}][{attribute}='{value}'] [data-testid=count]");

    private static ILocator Badge(IPage page, string elementId) => page.Locator($"[data-testid=heatmap] .heat-badge[data-element='{elementId}']");

    private static async Task<JsonElement> OverviewAsync(IPage page)
    {
        var response = await page.APIRequest.GetAsync("/api/dashboard/overview");
        response.Status.Should().Be(200);
        return JsonDocument.Parse(await response.TextAsync()).RootElement.Clone();
    }

    private static int Total(JsonElement o) => o.GetProperty("running").GetProperty("total").GetInt32();

    private static int Waiting(JsonElement o) => o.GetProperty("running").GetProperty("waitingOnCustomer").GetInt32();

    private static int Today(JsonElement o, string field) => o.GetProperty("today").GetProperty(field).GetInt32();

    private static int ChannelCount(JsonElement o, string channel) =>
        o.GetProperty("running").GetProperty("channels").EnumerateArray().Where(c => c.GetProperty("channel").GetString() == channel).Select(c => c.GetProperty("running").GetInt32()).SingleOrDefault();

    private static int AgentCount(JsonElement o, string agent) =>
        o.GetProperty("running").GetProperty("agents").EnumerateArray().Where(a => a.GetProperty("agent").GetString() == agent).Select(a => a.GetProperty("running").GetInt32()).SingleOrDefault();

    /// <summary>The last <paramref name="days"/> local (Jakarta) days, today included.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) Days(int days)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Jakarta);
        var midnight = new DateTimeOffset(local.Date, local.Offset);
        return (midnight.AddDays(1 - days), midnight.AddDays(1));
    }

    /// <summary>How many times the journals of the instances started in [from, to) entered <paramref name="elementId"/> of <paramref name="key"/>.</summary>
    private async Task<int> EnteredAsync(string key, string elementId, DateTimeOffset from, DateTimeOffset to)
    {
        var store = app.Services.GetRequiredService<IInstanceStore>();
        var count = 0;
        foreach (var instance in await app.Services.GetRequiredService<IInstanceQueries>().QueryAsync(new InstanceQuery { StartedFrom = from, StartedTo = to, Limit = 10_000 }))
        {
            var scopes = new Dictionary<long, string>();
            foreach (var row in await store.ReadJournalAsync(instance.Id))
            {
                using var json = JsonDocument.Parse(row.Json);
                var e = json.RootElement;
                if (row.Type == "scope-started@1")
                {
                    scopes[e.GetProperty("scopeId").GetInt64()] = e.GetProperty("definitionKey").GetString()!;
                }
                else if (row.Type == "element-entered@1" && row.At < to && scopes[e.GetProperty("scopeId").GetInt64()] == key && e.GetProperty("elementId").GetString() == elementId)
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static async Task<Guid> StartAsync(InstanceRuntime runtime, string channel, string customer, string agent, string name) =>
        (await runtime.StartAsync(new StartRequest
        {
            DefinitionKey = channel,
            Channel = channel,
            CustomerRef = customer,
            Agent = agent,
            Actor = agent,
            Variables = new Dictionary<string, Value> { ["namaAgent"] = Value.From(name) },
        })).Id;

    private static async Task CompleteAsync(InstanceRuntime runtime, Guid id, string elementId, string agent, string? outcome = null, IReadOnlyDictionary<string, Value>? data = null)
    {
        var state = await runtime.GetStateAsync(id);
        var item = state.WorkItems.Single(w => w.ElementId == elementId);
        await runtime.CompleteWorkItemAsync(id, item.Id, outcome, data ?? DocumentedData.For(item), agent);
    }

    /// <summary>Completes every step, declining the complaint and anything optional, until the conversation ends.</summary>
    private static async Task RunToEndAsync(InstanceRuntime runtime, Guid id, string agent)
    {
        for (var i = 0; i < 40; i++)
        {
            var state = await runtime.GetStateAsync(id);
            if (state.Status != InstanceStatus.Running)
            {
                return;
            }

            var item = state.WorkItems.OrderBy(w => w.Id).First();
            var outcome = item.Outcomes.Contains("Tidak") ? "Tidak" : item.Outcomes.FirstOrDefault();
            await runtime.CompleteWorkItemAsync(id, item.Id, outcome, DocumentedData.For(item), agent);
        }

        throw new InvalidOperationException($"conversation {id} did not end within 40 steps");
    }
}
