using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Tickets;

/// <summary>
/// A complaint raised in a WhatsApp conversation becomes a ticket that Tier 2, a related team and
/// the others work over HTTP: queues per role, dispatch, notes, the related team's steps, close,
/// the SLA and who may do what.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TicketApiTests(ServerFixture server)
{
    [Fact]
    public async Task Complaint_BecomesATicket_DispatchedWorkedAndClosed_WithRolesEnforced()
    {
        using var agent = await server.ClientForAsync("agent.budi");
        using var tier2 = await server.ClientForAsync("tier2.dewi");
        using var team = await server.ClientForAsync("team.gadai");
        using var qc = await server.ClientForAsync("qc.agus");
        using var leader = await server.ClientForAsync("leader.rina");
        var (conversation, ticketId) = await RaiseComplaintAsync(agent, tier2, "+6281200000001");

        // Tier 2 sees it in its queue with its SLA; the related team does not yet; an agent reads no tickets.
        var ticket = await tier2.GetJsonAsync($"/api/tickets/{ticketId}");
        ticket.GetProperty("ticket").GetProperty("category").GetString().Should().Be("Transaksi");
        ticket.GetProperty("ticket").GetProperty("conversationId").GetGuid().Should().Be(conversation.Id);
        ticket.GetProperty("ticket").GetProperty("queue").GetString().Should().Be("Tier2");
        ticket.GetProperty("ticket").GetProperty("sla").GetProperty("snapshot").GetProperty("status").GetString().Should().Be("OnTrack");
        (await team.GetJsonAsync("/api/tickets")).EnumerateArray().Should().NotContain(t => t.GetProperty("id").GetGuid() == ticketId);
        await (await team.GetAsync($"/api/tickets/{ticketId}")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await team.GetAsync("/api/tickets?queue=tier2")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await agent.GetAsync("/api/tickets")).ProblemAsync(HttpStatusCode.Forbidden);

        // Dispatch: Tier 2 only; a bad body names its field; then it is in the unit's queue.
        await (await team.PostAsJsonAsync($"/api/tickets/{ticketId}/dispatch", new { unit = "Divisi Gadai" })).ProblemAsync(HttpStatusCode.Forbidden);
        var bad = await (await tier2.PostAsJsonAsync($"/api/tickets/{ticketId}/dispatch", new { unit = " " })).ProblemAsync(HttpStatusCode.BadRequest);
        bad.GetProperty("errors").TryGetProperty("unit", out _).Should().BeTrue();
        await tier2.PostJsonAsync($"/api/tickets/{ticketId}/dispatch", new { unit = "Divisi Gadai", note = "Mohon cek transaksi top up" });
        var queue = await team.GetJsonAsync("/api/tickets");
        queue.EnumerateArray().Should().Contain(t => t.GetProperty("id").GetGuid() == ticketId && t.GetProperty("unit").GetString() == "Divisi Gadai");
        await (await tier2.PostAsJsonAsync($"/api/tickets/{ticketId}/close", new { memo = "terlalu cepat" })).ProblemAsync(HttpStatusCode.Conflict);

        // The related team adds a note and works steps 16-19; QC changes nothing.
        await (await qc.PostAsJsonAsync($"/api/tickets/{ticketId}/notes", new { text = "QC mencoba" })).ProblemAsync(HttpStatusCode.Forbidden);
        await team.PostJsonAsync($"/api/tickets/{ticketId}/notes", new { text = "Sudah dicek ke sistem emas" });
        foreach (var step in new[] { "16", "17", "18", "19" })
        {
            var current = await team.GetJsonAsync($"/api/tickets/{ticketId}");
            var task = current.GetProperty("tasks").EnumerateArray().Single();
            task.GetProperty("step").GetString().Should().Be(step);
            await (await tier2.PostAsJsonAsync($"/api/tickets/{ticketId}/tasks/{task.GetProperty("id").GetInt64()}/complete", new { })).ProblemAsync(HttpStatusCode.Forbidden);
            var data = step == "19" ? new Dictionary<string, object> { ["catatan"] = "Saldo sudah dikoreksi" } : null;
            await team.PostJsonAsync($"/api/tickets/{ticketId}/tasks/{task.GetProperty("id").GetInt64()}/complete", new { data, expectedVersion = current.GetProperty("version").GetInt64() });
        }

        // Back with Tier 2, who closes it with a memo; everyone who reads tickets sees the history.
        var closed = await tier2.PostJsonAsync($"/api/tickets/{ticketId}/close", new { memo = "Nasabah sudah dikonfirmasi" });
        closed.GetProperty("ticket").GetProperty("status").GetString().Should().Be("Completed");
        var notes = (await leader.GetJsonAsync($"/api/tickets/{ticketId}")).GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("text").GetString()).ToList();
        notes.Should().Equal("Mohon cek transaksi top up", "Sudah dicek ke sistem emas", "Saldo sudah dikoreksi", "Nasabah sudah dikonfirmasi");
        var journal = (await qc.GetJsonAsync($"/api/instances/{ticketId}/journal")).EnumerateArray().ToList();
        journal.Should().Contain(e => e.GetProperty("type").GetString() == "annotated@1" && e.GetProperty("actor").GetString() == "team.gadai");
        journal[^1].GetProperty("type").GetString().Should().Be("instance-completed@1");
        server.SecurityEvents().Should().Contain(e => e.GetProperty("UserName").GetString() == "qc.agus");
    }

    [Fact]
    public async Task Sla_PauseResumeAndOneExtension_OverHttp()
    {
        using var agent = await server.ClientForAsync("agent.budi");
        using var tier2 = await server.ClientForAsync("tier2.dewi");
        using var leader = await server.ClientForAsync("leader.rina");
        var (_, ticketId) = await RaiseComplaintAsync(agent, tier2, "+6281200000002");

        await (await leader.PostAsJsonAsync($"/api/tickets/{ticketId}/sla/pause", new { reason = "x" })).ProblemAsync(HttpStatusCode.Forbidden);
        (await (await tier2.PostAsJsonAsync($"/api/tickets/{ticketId}/sla/pause", new { })).ProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("reason", out _).Should().BeTrue();
        await tier2.PostJsonAsync($"/api/tickets/{ticketId}/sla/pause", new { reason = "Menunggu dokumen dari nasabah" });
        var paused = await leader.GetJsonAsync($"/api/tickets/{ticketId}/sla");
        paused.GetProperty("state").GetProperty("snapshot").GetProperty("isPaused").GetBoolean().Should().BeTrue();
        paused.GetProperty("state").GetProperty("snapshot").GetProperty("breachDue").ValueKind.Should().Be(JsonValueKind.Null);
        await (await tier2.PostAsJsonAsync($"/api/tickets/{ticketId}/sla/pause", new { reason = "lagi" })).ProblemAsync(HttpStatusCode.Conflict);

        await tier2.PostJsonAsync($"/api/tickets/{ticketId}/sla/resume", new { });
        var extended = await tier2.PostJsonAsync($"/api/tickets/{ticketId}/sla/extend", new { reason = "Investigasi unit kerja" });
        extended.GetProperty("ticket").GetProperty("sla").GetProperty("extension").GetProperty("reason").GetString().Should().Be("Investigasi unit kerja");
        await (await tier2.PostAsJsonAsync($"/api/tickets/{ticketId}/sla/extend", new { reason = "sekali lagi" })).ProblemAsync(HttpStatusCode.Conflict);

        var sla = await leader.GetJsonAsync($"/api/tickets/{ticketId}/sla");
        sla.GetProperty("colour").GetString().Should().Be("on-track");
        sla.GetProperty("state").GetProperty("snapshot").GetProperty("target").GetString().Should().Be("7.12:00:00", "20 working days of 9 hours");
    }

    [Fact]
    public async Task UnknownTicket_Is404_AndAConversationIsNotATicket()
    {
        using var tier2 = await server.ClientForAsync("tier2.dewi");
        using var sari = await server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "live-chat", "+6281200000003");

        await (await tier2.GetAsync($"/api/tickets/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await tier2.GetAsync($"/api/tickets/{chat.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await tier2.GetAsync("/api/tickets?queue=bogus")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>Runs a WhatsApp conversation to its complaint (the customer's words are the description) and waits for the outbox to open the ticket.</summary>
    internal static async Task<(Conversation Conversation, Guid TicketId)> RaiseComplaintAsync(
        HttpClient agent, HttpClient tier2, string customer, string category = "Transaksi", string priority = "Tinggi", string description = "Saldo tabungan emas tidak bertambah setelah top up")
    {
        var chat = await AtComplaintDecisionAsync(agent, customer, description);
        await chat.CompleteAsync("Gateway_PerluTiket", "Ya", new { kategori = category, prioritas = priority, deskripsi = description });

        return (chat, await WaitForTicketAsync(tier2, chat.Id));
    }

    /// <summary>Runs a WhatsApp conversation up to the complaint decision ("Perlu eskalasi tiket pengaduan?"), the customer's words first.</summary>
    internal static async Task<Conversation> AtComplaintDecisionAsync(HttpClient agent, string customer, string words)
    {
        var chat = await Conversation.StartAsync(agent, "whatsapp", customer);
        await chat.CompleteAsync("Task_SalamPembuka");
        await chat.CustomerSaysAsync(words, customer + "-1");
        await chat.CompleteAsync("Task_Verifikasi");
        await chat.CompleteAsync("Task_Identifikasi");
        await chat.CompleteAsync("Task_Solusi");
        return chat;
    }

    /// <summary>Waits for the outbox to open the ticket of a conversation's complaint; its id.</summary>
    internal static async Task<Guid> WaitForTicketAsync(HttpClient tier2, Guid conversationId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var ticket = (await tier2.GetJsonAsync("/api/tickets?queue=tier2")).EnumerateArray()
                .FirstOrDefault(t => t.GetProperty("conversationId").ValueKind == JsonValueKind.String && t.GetProperty("conversationId").GetGuid() == conversationId);
            if (ticket.ValueKind == JsonValueKind.Object)
            {
                return ticket.GetProperty("id").GetGuid();
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "the outbox opens the ticket within seconds");
            await Task.Delay(100);
        }
    }
}
