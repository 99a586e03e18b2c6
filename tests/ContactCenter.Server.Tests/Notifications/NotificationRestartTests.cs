using FluentAssertions;

namespace ContactCenter.Server.Tests.Notifications;

/// <summary>A server of its own, restarted with a notification waiting.</summary>
public sealed class NotificationRestartTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Restart_WaitingNotification_IsStillThereAndIsAcknowledgedAfterwards()
    {
        Guid ticketId;
        Guid notificationId;
        using (var agent = await _server.ClientForAsync("agent.budi"))
        using (var tier2 = await _server.ClientForAsync("tier2.dewi"))
        using (var leader = await _server.ClientForAsync("leader.rina"))
        {
            ticketId = await NotificationApiTests.DispatchedTicketAsync(agent, tier2, "+6281277770002");
            notificationId = (await NotificationApiTests.WaitForNotificationAsync(leader, ticketId, "dispatchTicket")).GetProperty("id").GetGuid();
        }

        await _server.RestartAsync();

        using var team = await _server.ClientForAsync("team.gadai");
        var waiting = (await team.GetJsonAsync("/api/notifications")).EnumerateArray().Where(n => n.GetProperty("instanceId").GetGuid() == ticketId).ToList();
        waiting.Should().ContainSingle("the notice is a row, not memory, and the restart delivered nothing twice")
            .Which.GetProperty("id").GetGuid().Should().Be(notificationId);
        var acknowledged = await team.PostJsonAsync($"/api/notifications/{notificationId}/acknowledge", new { });
        acknowledged.GetProperty("acknowledgedBy").GetString().Should().Be("team.gadai");
    }
}
