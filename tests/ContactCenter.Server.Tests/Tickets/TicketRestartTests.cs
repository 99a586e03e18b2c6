using System.Text.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Tickets;

/// <summary>A server of its own, restarted with a dispatched ticket and a paused SLA in flight.</summary>
public sealed class TicketRestartTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Restart_DispatchedTicketWithPausedSla_KeepsItsQueueSlaAndNotes_AndClosesAfterwards()
    {
        Guid ticketId;
        using (var agent = await _server.ClientForAsync("agent.budi"))
        using (var tier2 = await _server.ClientForAsync("tier2.dewi"))
        {
            (_, ticketId) = await TicketApiTests.RaiseComplaintAsync(agent, tier2, "+6281299990001", "Produk", "Sedang", "Transaksi gagal di outlet");
            await tier2.PostJsonAsync($"/api/tickets/{ticketId}/dispatch", new { unit = "Divisi Gadai" });
            await tier2.PostJsonAsync($"/api/tickets/{ticketId}/sla/pause", new { reason = "Menunggu bukti transaksi dari nasabah" });
        }

        await _server.RestartAsync();

        using var team = await _server.ClientForAsync("team.gadai");
        using var tier2Again = await _server.ClientForAsync("tier2.dewi");
        var queued = (await team.GetJsonAsync("/api/tickets")).EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == ticketId);
        queued.GetProperty("sla").GetProperty("snapshot").GetProperty("isPaused").GetBoolean().Should().BeTrue("the pause is in the journal, not in memory");
        await tier2Again.PostJsonAsync($"/api/tickets/{ticketId}/sla/resume", new { });
        var resumed = await team.GetJsonAsync($"/api/tickets/{ticketId}");
        resumed.GetProperty("ticket").GetProperty("sla").GetProperty("snapshot").GetProperty("breachDue").ValueKind.Should().Be(JsonValueKind.String);

        for (var i = 0; i < 4; i++)
        {
            var current = await team.GetJsonAsync($"/api/tickets/{ticketId}");
            var task = current.GetProperty("tasks").EnumerateArray().Single();
            var data = task.GetProperty("step").GetString() == "19" ? new Dictionary<string, object> { ["catatan"] = "Dana sudah dikembalikan" } : null;
            await team.PostJsonAsync($"/api/tickets/{ticketId}/tasks/{task.GetProperty("id").GetInt64()}/complete", new { data });
        }

        var closed = await tier2Again.PostJsonAsync($"/api/tickets/{ticketId}/close", new { memo = "Selesai setelah restart" });
        closed.GetProperty("ticket").GetProperty("status").GetString().Should().Be("Completed");
        var journal = await tier2Again.GetJsonAsync($"/api/instances/{ticketId}/journal");
        journal.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).Should().Equal(Enumerable.Range(1, journal.GetArrayLength()).Select(i => (long)i));
        using var qc = await _server.ClientForAsync("qc.agus");
        (await qc.GetJsonAsync($"/api/instances/{ticketId}/replay")).GetProperty("matches").GetBoolean().Should().BeTrue("the history replays exactly across the restart");
    }
}
