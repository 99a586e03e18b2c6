using ContactCenter.Channels.Notifications;
using ContactCenter.Engine.Expressions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using FluentAssertions;

namespace ContactCenter.Channels.Tests;

/// <summary>What a notification says and whom it is for, from what the outbox message carries.</summary>
public class ServiceNotifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    private static ServicePayload Payload(string kind, string? name = null, string? text = null, string? performer = null, string? agent = null, string? unit = null) => new(
        Guid.NewGuid(), "flow", "whatsapp", "6281300000020", agent, "Task_X", kind,
        unit is null ? new Dictionary<string, Value>() : new Dictionary<string, Value> { ["unitTerkait"] = unit },
        name, text, performer);

    [Fact]
    public void ReservationRequest_InAnAgentsLane_IsForTheConversationsAgentAndTheTeamLeader_WithTheFlowsWords()
    {
        var payload = Payload("reservationRequest", "Mengirim permintaan reservasi ke outlet", "Mohon konfirmasi jadwal kunjungan nasabah.", "Agent", "agent.sari");

        var notification = ServiceNotifier.NotificationOf(Guid.NewGuid(), payload, Now);

        notification.Title.Should().Be("Mengirim permintaan reservasi ke outlet");
        notification.Text.Should().Be("Mohon konfirmasi jadwal kunjungan nasabah.", "the task's cc:script (or documentation) is what the notice says");
        notification.Audience.Should().BeEquivalentTo([NotificationAudience.Role("TeamLeader"), NotificationAudience.User("agent.sari")], "the conversation's own agent, not every agent");
        notification.Reference.Should().Be("6281300000020");
        notification.CreatedAt.Should().Be(Now);
    }

    [Fact]
    public void SlaAlert_OfADispatchedTicket_IsForTheLanesRoleTheUnitAndTheTeamLeader_DefaultWordsWhenTheFlowHasNone()
    {
        var notification = ServiceNotifier.NotificationOf(Guid.NewGuid(), Payload("slaAlert", performer: "Tier2", unit: "Divisi Gadai"), Now);

        notification.Title.Should().Be("Notifikasi SLA tiket");
        notification.Text.Should().Be("Periksa tiket ini dan tindak lanjuti sesuai SLA yang berlaku.");
        notification.Audience.Should().BeEquivalentTo([NotificationAudience.Role("TeamLeader"), NotificationAudience.Role("Tier2"), NotificationAudience.Group("divisi gadai")]);
    }

    [Fact]
    public void Handles_OnlyTheNoticeKinds()
    {
        var notifier = new ServiceNotifier(null!, [], TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ServiceNotifier>.Instance);

        new[] { "service:slaAlert", "service:dispatchTicket", "service:closeTicket", "service:reservationRequest" }.Should().OnlyContain(k => notifier.Handles(k));
        new[] { "service:createTicket", "prompt", "slaAlert" }.Should().NotContain(k => notifier.Handles(k));
    }
}
