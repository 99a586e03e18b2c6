using System.Net;
using System.Text.Json;
using ContactCenter.Server.Tests.Tickets;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Notifications;

/// <summary>
/// Notifications over HTTP: a ticket dispatched to a unit notifies that unit's related team, Tier 2
/// (the lane's role) and the Team Leader, nobody else; any of them acknowledges it once, and all of
/// them see who did and when.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class NotificationApiTests(ServerFixture server)
{
    [Fact]
    public async Task Dispatch_NotifiesTheUnitTier2AndTheTeamLeaderOnly_AcknowledgedOnceWithWhoAndWhen()
    {
        using var agent = await server.ClientForAsync("agent.budi");
        using var tier2 = await server.ClientForAsync("tier2.dewi");
        using var team = await server.ClientForAsync("team.gadai");
        using var leader = await server.ClientForAsync("leader.rina");
        var ticketId = await DispatchedTicketAsync(agent, tier2, "+6281277770001");

        var notice = await WaitForNotificationAsync(team, ticketId, "dispatchTicket");
        notice.GetProperty("title").GetString().Should().Be("Dispatch tiket ke tim terkait", "the service task's name in the flow");
        notice.GetProperty("text").GetString().Should().NotBeNullOrWhiteSpace();
        notice.GetProperty("reference").GetString().Should().Be("+6281277770001");
        notice.GetProperty("acknowledgedBy").ValueKind.Should().Be(JsonValueKind.Null);
        var id = notice.GetProperty("id").GetGuid();

        foreach (var reader in new[] { "tier2.dewi", "leader.rina" })
        {
            using var client = await server.ClientForAsync(reader);
            (await IdsAsync(client)).Should().Contain(id, $"{reader} is in the notice's audience");
        }

        foreach (var outsider in new[] { "agent.budi", "agent.sari", "qc.agus", "owner.gadhong", "admin" })
        {
            using var client = await server.ClientForAsync(outsider);
            (await IdsAsync(client)).Should().NotContain(id, $"{outsider} is not in the notice's audience");
            await (await client.PostAsync($"/api/notifications/{id}/acknowledge", null)).ProblemAsync(HttpStatusCode.NotFound);
        }

        var before = server.Clock.GetUtcNow();
        var acknowledged = await team.PostJsonAsync($"/api/notifications/{id}/acknowledge", new { });
        acknowledged.GetProperty("acknowledgedBy").GetString().Should().Be("team.gadai");
        var at = acknowledged.GetProperty("acknowledgedAt").GetDateTimeOffset();
        at.Should().BeOnOrAfter(before, "acknowledged now, by the server's clock").And.BeOnOrBefore(server.Clock.GetUtcNow());

        var again = await (await leader.PostAsync($"/api/notifications/{id}/acknowledge", null)).ProblemAsync(HttpStatusCode.Conflict);
        again.GetProperty("acknowledgedBy").GetString().Should().Be("team.gadai", "the first acknowledgement stands and the second caller is told whose it is");
        var seen = (await leader.GetJsonAsync("/api/notifications")).EnumerateArray().Single(n => n.GetProperty("id").GetGuid() == id);
        seen.GetProperty("acknowledgedBy").GetString().Should().Be("team.gadai");
        seen.GetProperty("acknowledgedAt").GetDateTimeOffset().Should().Be(at);

        await (await leader.PostAsync($"/api/notifications/{Guid.NewGuid()}/acknowledge", null)).ProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>Raises a complaint and dispatches its ticket to Divisi Gadai; the ticket's id.</summary>
    internal static async Task<Guid> DispatchedTicketAsync(HttpClient agent, HttpClient tier2, string customer)
    {
        var (_, ticketId) = await TicketApiTests.RaiseComplaintAsync(agent, tier2, customer);
        await tier2.PostJsonAsync($"/api/tickets/{ticketId}/dispatch", new { unit = "Divisi Gadai" });
        return ticketId;
    }

    /// <summary>Waits for the outbox to deliver a notice of <paramref name="kind"/> about <paramref name="instanceId"/> to the client's user.</summary>
    internal static async Task<JsonElement> WaitForNotificationAsync(HttpClient client, Guid instanceId, string kind)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var notice = (await client.GetJsonAsync("/api/notifications")).EnumerateArray()
                .FirstOrDefault(n => n.GetProperty("instanceId").GetGuid() == instanceId && n.GetProperty("kind").GetString() == kind);
            if (notice.ValueKind == JsonValueKind.Object)
            {
                return notice;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "the outbox delivers the notice within seconds");
            await Task.Delay(100);
        }
    }

    private static async Task<List<Guid>> IdsAsync(HttpClient client) =>
        [.. (await client.GetJsonAsync("/api/notifications")).EnumerateArray().Select(n => n.GetProperty("id").GetGuid())];
}
