using ContactCenter.Persistence;
using ContactCenter.Engine;
using ContactCenter.Hosting;
using ContactCenter.Modules.Dashboard;
using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using Xunit;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary>
/// The read models kept inline in each commit equal those rebuilt from the journals, after a
/// realistic mix on the repo's flows: conversations on several channels (one closed by silence,
/// one cancelled), tickets dispatched, paused, resumed and closed.
/// </summary>
public abstract class ReadModelRebuildTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task Rebuild_FromTheJournals_EqualsWhatWasKeptInline()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var clock = new FakeTimeProvider(Morning);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock), scheduler: false);
        var services = fixture.Host!.Services;
        var runtime = fixture.Runtime;
        var desk = services.GetRequiredService<TicketDesk>();
        var sla = services.GetRequiredService<TicketSla>();
        var readModels = services.GetRequiredService<IReadModelStore>();

        // Conversations: WhatsApp twice (one left to silence), live chat (cancelled), e-mail, social media.
        var silent = await StartAsync(runtime, "whatsapp", "+6281300000001", "agent.sari");
        await CompleteFirstAsync(runtime, silent.Id, "agent.sari");
        var answered = await StartAsync(runtime, "whatsapp", "+6281300000002", "agent.budi");
        await CompleteFirstAsync(runtime, answered.Id, "agent.budi");
        await runtime.DeliverMessageAsync(answered.Id, "Halo, saya mau tanya gadai", "m-1");
        clock.Advance(TimeSpan.FromMinutes(40));
        var chat = await StartAsync(runtime, "live-chat", "chat-1", "agent.sari");
        await runtime.CancelAsync(chat.Id, "Salah kanal", "leader.rina");
        await StartAsync(runtime, "email", "nasabah@example.com", "agent.budi");
        await StartAsync(runtime, "social-media", "@nasabah", null);

        // The customer of the first stays silent: the flow's timers close the chat (2c), and the
        // agent documents it.
        for (var i = 0; i < 30 && (await runtime.GetAsync(silent.Id)).Status == InstanceStatus.Running; i++)
        {
            if ((await runtime.GetStateAsync(silent.Id)).WorkItems.Count > 0)
            {
                await CompleteFirstAsync(runtime, silent.Id, "agent.sari");
                continue;
            }

            clock.Advance(TimeSpan.FromMinutes(1));
            foreach (var timer in (await fixture.Queries.ListPendingTimersAsync()).Where(t => t.InstanceId == silent.Id))
            {
                await runtime.FireAsync(timer.InstanceId, timer.TimerId);
            }
        }

        (await runtime.GetAsync(silent.Id)).Status.Should().Be(InstanceStatus.Completed, "the silence closes the chat");

        // Tickets: dispatched, paused and resumed, paused, closed.
        var tickets = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            tickets.Add((await TicketDeskTests.OpenAsync(fixture, i % 2 == 0 ? "Gadai" : "Tabungan Emas", "Rendah")).Id);
            clock.Advance(TimeSpan.FromHours(1));
        }

        await desk.DispatchAsync(tickets[0], "Divisi Gadai", null, "tier2.budi");
        await sla.PauseAsync(tickets[1], "Menunggu dokumen dari nasabah", "tier2.budi");
        clock.Advance(TimeSpan.FromHours(3));
        await sla.ResumeAsync(tickets[1], "tier2.budi");
        await sla.PauseAsync(tickets[2], "Menunggu dokumen dari nasabah", "tier2.budi");
        await desk.CloseAsync(tickets[3], "Informasi sudah diberikan", "tier2.budi");

        var rows = await readModels.DumpRowsAsync();
        var counters = await readModels.DumpCountersAsync();
        rows.Where(r => r.Model == TicketQueueProjection.Model).Select(r => r.InstanceId).Should().BeEquivalentTo(tickets.Take(3), "one row per open ticket");
        rows.Single(r => r.Model == TicketQueueProjection.Model && r.InstanceId == tickets[2]).Paused.Should().BeTrue();
        rows.Single(r => r.Model == TicketQueueProjection.Model && r.InstanceId == tickets[2]).DeadlineAt.Should().Be(DateTimeOffset.MaxValue, "a paused clock cannot lapse");

        var dashboard = new TeamDashboard(fixture.Queries, readModels, desk, services.GetRequiredService<ContactCenterServiceCollectionExtensions.CalendarData>().Calendar.Zone, clock);
        var today = (await dashboard.OverviewAsync(LocalDate.FromDateTime(Morning.DateTime))).Today;
        today.Started.Should().Be(5);
        today.Ended.Should().Be(2, "the silent chat closed and the live chat was cancelled");
        today.ClosedBySilence.Should().Be(1);
        today.Hours[9].Started.Should().BeEquivalentTo(new Dictionary<string, int> { ["whatsapp"] = 2, ["live-chat"] = 1, ["email"] = 1, ["social-media"] = 1 });
        var heatmap = await dashboard.HeatmapAsync("whatsapp", Morning.AddHours(-9), Morning.AddHours(15));
        heatmap.Instances.Should().Be(2);
        heatmap.Versions.Single().Elements.Should().Contain(e => e.ElementId == "Task_SalamPembuka" && e.Entered == 2 && e.Instances == 2);

        var rebuilt = await new ReadModelRebuilder(fixture.Store, readModels, services.GetServices<ICommitProjection>()) { BatchSize = 2 }.RebuildAsync();

        rebuilt.Instances.Should().Be(9);
        (await readModels.DumpRowsAsync()).Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
        (await readModels.DumpCountersAsync()).Should().BeEquivalentTo(counters, o => o.WithStrictOrdering());
    }

    /// <summary>
    /// What a conversation entered is remembered in memory between its commits; after a restart
    /// the first commit reads it from the journal, so an element entered before and again after
    /// still counts one instance.
    /// </summary>
    [Fact]
    public async Task Counters_AcrossARestart_CountAnInstanceOncePerElement_AsTheRebuildDoes()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var clock = new FakeTimeProvider(Morning);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock), scheduler: false);
        var chat = await StartAsync(fixture.Runtime, "whatsapp", "+6281300000009", "agent.sari");
        await CompleteFirstAsync(fixture.Runtime, chat.Id, "agent.sari");
        await fixture.StopAsync();

        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock), scheduler: false);
        var readModels = fixture.Host!.Services.GetRequiredService<IReadModelStore>();
        var again = true;
        for (var i = 0; i < 30 && (await fixture.Runtime.GetAsync(chat.Id)).Status == InstanceStatus.Running; i++)
        {
            // The customer answers every wait, and once needs more help: the flow goes round again.
            var items = (await fixture.Runtime.GetStateAsync(chat.Id)).WorkItems;
            if (items.Count > 0 && items[0].ElementId == "Gateway_BantuanLain" && again)
            {
                again = false;
                await fixture.Runtime.CompleteWorkItemAsync(chat.Id, items[0].Id, "Ya", null, "agent.sari");
            }
            else if (items.Count > 0)
            {
                await CompleteFirstAsync(fixture.Runtime, chat.Id, "agent.sari");
            }
            else
            {
                await fixture.Runtime.DeliverMessageAsync(chat.Id, "Halo", $"m-{i}");
            }
        }

        again.Should().BeFalse("the customer asked for more help once");
        var inline = await readModels.DumpCountersAsync();
        inline.Where(c => c.Name == DashboardCounterProjection.EnteredBy("whatsapp")).Should().OnlyContain(c => c.Delta == 1, "one instance");
        inline.Where(c => c.Name == DashboardCounterProjection.Entered("whatsapp")).Sum(c => c.Delta)
            .Should().BeGreaterThan(inline.Where(c => c.Name == DashboardCounterProjection.EnteredBy("whatsapp")).Sum(c => c.Delta), "some element was entered again");

        await fixture.Host.Services.GetRequiredService<ReadModelRebuilder>().RebuildAsync();

        (await readModels.DumpCountersAsync()).Should().BeEquivalentTo(inline, o => o.WithStrictOrdering());
    }

    private static Task<InstanceRecord> StartAsync(InstanceRuntime runtime, string channel, string customer, string? agent) =>
        runtime.StartAsync(new StartRequest { DefinitionKey = channel, Channel = channel, CustomerRef = customer, Agent = agent, Actor = agent ?? "system" });

    private static async Task CompleteFirstAsync(InstanceRuntime runtime, Guid id, string actor)
    {
        var item = (await runtime.GetStateAsync(id)).WorkItems[0];
        var outcome = item.Outcomes.Contains("Tidak") ? "Tidak" : item.Outcomes.FirstOrDefault();
        await runtime.CompleteWorkItemAsync(id, item.Id, outcome, DocumentedData.For(item), actor);
    }
}

public sealed class ReadModelRebuildOnSqliteTests() : ReadModelRebuildTests(DatabaseProvider.Sqlite);

public sealed class ReadModelRebuildOnPostgreSqlTests() : ReadModelRebuildTests(DatabaseProvider.PostgreSql);
