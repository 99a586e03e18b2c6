using System.Net;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;
using FluentAssertions;

namespace ContactCenter.Channels.Tests;

/// <summary>Server-sent events at /api/live over real HTTP, filtered by role.</summary>
public class LiveUpdatesTests
{
    [Fact]
    public async Task Live_AgentSubscriber_GetsOwnConversationsEventsAndNotAnotherAgents()
    {
        await using var host = await ChannelsHost.StartAsync();
        await using var sari = await SseClient.ConnectAsync(host.Http, "agent.sari", "Agent");

        var others = await host.StartWhatsAppAsync("6281300000001", "agent.budi");
        var own = await host.StartWhatsAppAsync("6281300000002", "agent.sari");

        var started = await sari.WaitForAsync(m => m.Event == "instance-started");
        started.InstanceId.Should().Be(own.Id, "agent.budi's conversation started first and would have come first");
        var task = await sari.WaitForAsync(m => m.Event == "task-created");
        task.InstanceId.Should().Be(own.Id);
        task.Json.GetProperty("elementId").GetString().Should().Be("Task_SalamPembuka");
        task.Json.GetProperty("agent").GetString().Should().Be("agent.sari");
        task.Json.GetProperty("channel").GetString().Should().Be("whatsapp");
        sari.Seen.Should().NotContain(m => m.InstanceId == others.Id);
    }

    [Fact]
    public async Task Live_RelatedTeam_GetsOnlyItsUnitsTicketEvents_AsTheTicketRoutesAllow()
    {
        await using var host = await ChannelsHost.StartAsync();
        await using var gadai = await SseClient.ConnectAsync(host.Http, "team.gadai", "RelatedTeam", unit: "Divisi Gadai");
        await using var tier2 = await SseClient.ConnectAsync(host.Http, "t2.andi", "Tier2");

        var otherUnit = await StartTicketAsync(host, "6281300000011", "Divisi Emas");
        var undispatched = await StartTicketAsync(host, "6281300000012", null);
        var own = await StartTicketAsync(host, "6281300000013", " divisi gadai ");

        (await gadai.WaitForAsync(m => m.Event == "instance-started")).InstanceId.Should().Be(own.Id, "the other unit's and the undispatched ticket started first and would have come first");
        await tier2.WaitForAsync(m => m.Event == "instance-started" && m.InstanceId == own.Id);
        tier2.Seen.Should().Contain(m => m.InstanceId == otherUnit.Id).And.Contain(m => m.InstanceId == undispatched.Id, "Tier 2 reads every ticket");
        gadai.Seen.Should().NotContain(m => m.InstanceId == otherUnit.Id || m.InstanceId == undispatched.Id);
    }

    private static Task<Runtime.Storage.InstanceRecord> StartTicketAsync(ChannelsHost host, string customer, string? unit)
    {
        var variables = new Dictionary<string, Value> { ["kategori"] = "Transaksi", ["prioritas"] = "Tinggi", ["deskripsi"] = "Catatan rahasia" };
        if (unit is not null)
        {
            variables["unitTerkait"] = unit;
        }

        return host.Runtime.StartAsync(new StartRequest { DefinitionKey = "ticket-escalation", Channel = "ticket", CustomerRef = customer, Actor = "system", Variables = variables });
    }

    [Fact]
    public async Task Live_TeamLeader_GetsEveryAgentsEventsWithPromptsAndTimerDeadlines()
    {
        await using var host = await ChannelsHost.StartAsync();
        await using var leader = await SseClient.ConnectAsync(host.Http, "tl.rina", "TeamLeader");

        var budi = await host.StartWhatsAppAsync("6281300000003", "agent.budi");
        var sari = await host.StartWhatsAppAsync("6281300000004", "agent.sari");
        await leader.WaitForAsync(m => m.Event == "instance-started" && m.InstanceId == budi.Id);
        await leader.WaitForAsync(m => m.Event == "instance-started" && m.InstanceId == sari.Id);

        await host.GreetLetAMinutePassAndAskAsync(sari.Id, "agent.sari");

        var completed = await leader.WaitForAsync(m => m.Event == "task-completed" && m.InstanceId == sari.Id);
        completed.Json.GetProperty("actor").GetString().Should().Be("agent.sari");
        var armed = await leader.WaitForAsync(m => m.Event == "timer-armed" && m.InstanceId == sari.Id);
        var timer = (await host.Runtime.ReadJournalAsync(sari.Id)).OfType<TimerScheduled>().First();
        armed.Json.GetProperty("dueAt").GetDateTimeOffset().Should().Be(timer.DueAt, "the browser counts down to it");
        armed.Json.GetProperty("timerId").GetInt64().Should().Be(timer.TimerId);
        await leader.WaitForAsync(m => m.Event == "timer-fired" && m.InstanceId == sari.Id);
        var prompt = await leader.WaitForAsync(m => m.Event == "prompt" && m.InstanceId == sari.Id);
        prompt.Json.GetProperty("text").GetString().Should().Be("Apakah saat ini Bapak/Ibu masih terhubung dengan kami?");
        prompt.Json.GetProperty("step").GetString().Should().Be("2a");
        prompt.Id.Should().BeGreaterThan(armed.Id!.Value, "ids grow in the order of the events");
    }

    [Fact]
    public async Task Live_SlaAlertOnATicket_IsANotificationForTeamLeaderAndTier2NotAgentsAndIsDeliveredOnce()
    {
        await using var host = await ChannelsHost.StartAsync();
        await using var leader = await SseClient.ConnectAsync(host.Http, "tl.rina", "TeamLeader");
        await using var tier2 = await SseClient.ConnectAsync(host.Http, "t2.andi", "Tier2");
        await using var agent = await SseClient.ConnectAsync(host.Http, "agent.sari", "Agent");
        var ticket = await host.Runtime.StartAsync(new StartRequest
        {
            DefinitionKey = "ticket-escalation",
            Channel = "ticket",
            CustomerRef = "6281300000005",
            Actor = "system",
            Variables = new Dictionary<string, Value> { ["kategori"] = "Gadai", ["prioritas"] = "Tinggi", ["deskripsi"] = "Dana pencairan belum masuk", ["agentPelapor"] = "agent.sari" },
        });
        var warning = (await host.Runtime.ReadJournalAsync(ticket.Id)).OfType<TimerScheduled>().Single(t => t.ElementId == "Event_SlaWarning");
        host.Clock.SetUtcNow(warning.DueAt);

        await host.Runtime.FireAsync(ticket.Id, warning.TimerId);
        (await host.Outbox.DispatchDueAsync()).Should().Be(1);

        (await host.OutboxStore.ListDueAsync(host.Clock.GetUtcNow().AddDays(30), 50)).Should().BeEmpty("an alert is delivered, not retried forever");
        var alert = await leader.WaitForAsync(m => m.Event == "notification");
        alert.Json.GetProperty("kind").GetString().Should().Be("slaAlert");
        alert.Json.GetProperty("title").GetString().Should().Be("Kirim peringatan SLA", "the service task's name in the flow, not a guess from its id");
        alert.Json.GetProperty("text").GetString().Should().Be("Periksa tiket ini dan tindak lanjuti sesuai SLA yang berlaku.", "the flow declares no text: the kind's default");
        alert.Json.GetProperty("instanceId").GetGuid().Should().Be(ticket.Id);
        (await tier2.WaitForAsync(m => m.Event == "notification")).Json.GetProperty("kind").GetString().Should().Be("slaAlert");
        (await tier2.WaitForAsync(m => m.Event == "service")).Json.GetProperty("serviceKind").GetString().Should().Be("slaAlert");

        // The agent's stream carries on (a conversation of theirs shows up) without the ticket's events.
        var own = await host.StartWhatsAppAsync("6281300000006", "agent.sari");
        await agent.WaitForAsync(m => m.InstanceId == own.Id);
        agent.Seen.Should().NotContain(m => m.Event == "notification" || m.InstanceId == ticket.Id);

        var stored = await host.Notifications.ListAsync([NotificationAudience.Role("TeamLeader")], DateTimeOffset.MinValue, 10);
        stored.Should().ContainSingle().Which.Id.Should().Be(alert.Json.GetProperty("id").GetGuid());
        stored[0].Audience.Should().BeEquivalentTo([NotificationAudience.Role("TeamLeader"), NotificationAudience.Role("Tier2")], "the Team Leader and the lane's role; the ticket is not dispatched to a unit yet");
    }

    [Fact]
    public async Task Notification_RedeliveredAfterACrash_IsStoredOnce_AndPushedToTheBrowsersOfNow()
    {
        await using var host = await ChannelsHost.StartAsync();
        var ticket = await StartTicketAsync(host);
        var warning = (await host.Runtime.ReadJournalAsync(ticket.Id)).OfType<TimerScheduled>().Single(t => t.ElementId == "Event_SlaWarning");
        host.Clock.SetUtcNow(warning.DueAt);
        await host.Runtime.FireAsync(ticket.Id, warning.TimerId);
        var message = (await host.OutboxStore.ListDueAsync(host.Clock.GetUtcNow(), 10)).Single(m => m.Kind == "service:slaAlert");
        var notifier = host.App.Services.GetServices<IOutboxHandler>().Single(h => h.Handles(message.Kind));

        // The crash came after the notice was stored and before the row was marked delivered; its
        // push went to the streams of the process that died (none here). The Team Leader's browser
        // reconnects to the process that redelivers it.
        await notifier.HandleAsync(message, CancellationToken.None);
        await using var leader = await SseClient.ConnectAsync(host.Http, "tl.rina", "TeamLeader");
        (await host.Outbox.DispatchDueAsync()).Should().Be(1);

        (await host.Notifications.ListAsync([NotificationAudience.Role("TeamLeader")], DateTimeOffset.MinValue, 10)).Should().ContainSingle();
        await leader.WaitForAsync(m => m.Event == "notification");
        await host.StartWhatsAppAsync("6281300000016", "agent.sari");
        await leader.WaitForAsync(m => m.Event == "instance-started");
        leader.Seen.Count(m => m.Event == "notification").Should().Be(1);
    }

    [Fact]
    public async Task Notification_StoreFails_DeliveryFailsAndIsRetried()
    {
        await using var host = await ChannelsHost.StartAsync();
        var ticket = await StartTicketAsync(host);
        var warning = (await host.Runtime.ReadJournalAsync(ticket.Id)).OfType<TimerScheduled>().Single(t => t.ElementId == "Event_SlaWarning");
        host.Clock.SetUtcNow(warning.DueAt);
        await host.Runtime.FireAsync(ticket.Id, warning.TimerId);
        await host.ExecuteSqlAsync("ALTER TABLE notifications RENAME TO notifications_away");

        await host.Outbox.DispatchDueAsync();

        var due = (await host.OutboxStore.ListDueAsync(host.Clock.GetUtcNow().AddDays(1), 10)).Should().ContainSingle(m => m.Kind == "service:slaAlert").Subject;
        due.Attempts.Should().Be(1, "a notice that could not be stored is a failed delivery");
        due.LastError.Should().Contain("notifications");

        await host.ExecuteSqlAsync("ALTER TABLE notifications_away RENAME TO notifications");
        host.Clock.SetUtcNow(due.NextAttemptAt);
        (await host.Outbox.DispatchDueAsync()).Should().Be(1);
        (await host.Notifications.ListAsync([NotificationAudience.Role("Tier2")], DateTimeOffset.MinValue, 10)).Should().ContainSingle().Which.InstanceId.Should().Be(ticket.Id);
    }

    private static Task<InstanceRecord> StartTicketAsync(ChannelsHost host) => host.Runtime.StartAsync(new StartRequest
    {
        DefinitionKey = "ticket-escalation",
        Channel = "ticket",
        CustomerRef = "6281300000015",
        Actor = "system",
        Variables = new Dictionary<string, Value> { ["kategori"] = "Gadai", ["prioritas"] = "Tinggi", ["deskripsi"] = "Dana pencairan belum masuk", ["agentPelapor"] = "agent.sari" },
    });

    [Fact]
    public async Task Live_ReconnectWithLastEventId_ReplaysWhatWasMissed()
    {
        await using var host = await ChannelsHost.StartAsync();
        long lastSeen;
        await using (var first = await SseClient.ConnectAsync(host.Http, "tl.rina", "TeamLeader"))
        {
            var a = await host.StartWhatsAppAsync("6281300000007", "agent.sari");
            lastSeen = (await first.WaitForAsync(m => m.Event == "task-created" && m.InstanceId == a.Id)).Id!.Value;
        }

        var missed = await host.StartWhatsAppAsync("6281300000008", "agent.sari");
        await using var again = await SseClient.ConnectAsync(host.Http, "tl.rina", "TeamLeader", lastEventId: lastSeen);

        var replayed = await again.WaitForAsync(m => m.Event == "instance-started");
        replayed.InstanceId.Should().Be(missed.Id);
        replayed.Id.Should().BeGreaterThan(lastSeen);
    }

    [Fact]
    public async Task Live_QuietStream_SendsHeartbeatsAndUnsubscribesOnDisconnect()
    {
        await using var host = await ChannelsHost.StartAsync(live: o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(200));
        var client = await SseClient.ConnectAsync(host.Http, "qc.dewi", "QualityControl");
        await ChannelsHost.EventuallyAsync(() => Task.FromResult(host.Hub.SubscriberCount == 1), "the stream subscribed");

        (await client.WaitForAsync(m => m.Event == ":" && m.Data == "heartbeat")).Should().NotBeNull();

        await client.DisposeAsync();
        await ChannelsHost.EventuallyAsync(() => Task.FromResult(host.Hub.SubscriberCount == 0), "the stream's subscription is gone after the browser left");
    }

    [Fact]
    public async Task Live_SlowSubscriber_DropsOldestAndIsToldHowMany()
    {
        await using var host = await ChannelsHost.StartAsync(live: o => o.SubscriberCapacity = 2);
        var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.Role, "Admin")], "Test"));
        using var subscription = host.Hub.Subscribe(user, null);

        await host.StartWhatsAppAsync("6281300000009", "agent.sari");
        var newest = await host.StartWhatsAppAsync("6281300000010", "agent.sari");

        subscription.Dropped.Should().Be(2, "four events (started, greeting task) x 2 went into a buffer of two");
        host.Hub.Dropped.Should().Be(subscription.Dropped);
        var kept = new List<LiveEventView>();
        while (subscription.Reader.TryRead(out var e))
        {
            kept.Add(new LiveEventView(e.Name, e.Json.Contains(newest.Id.ToString(), StringComparison.Ordinal)));
        }

        kept.Should().Equal([new("instance-started", true), new("task-created", true)], "the newest events are kept");
    }

    [Fact]
    public async Task Live_WithoutSignIn_Is401()
    {
        await using var host = await ChannelsHost.StartAsync();

        using var response = await host.Http.GetAsync("/api/live");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private sealed record LiveEventView(string Name, bool OfNewest);
}
