using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Replay;

/// <summary>Quality Control's exact replay over HTTP, and a conversation that arrives through the loopback channel simulator.</summary>
[Collection(ServerCollection.Name)]
public sealed class ReplayApiTests(ServerFixture server)
{
    [Fact]
    public async Task Replay_ConversationRunOverHttp_MatchesItsJournal_ForQcOnly()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        using var qc = await server.ClientForAsync("qc.agus");
        var chat = await Conversation.StartAsync(sari, "email", "nasabah@example.com");
        await chat.CompleteAsync("Task_SalamPembuka");

        var report = await qc.GetJsonAsync($"/api/instances/{chat.Id}/replay");

        report.GetProperty("matches").GetBoolean().Should().BeTrue(report.ToString());
        report.GetProperty("replay").GetProperty("eventsChecked").GetInt32().Should().Be(report.GetProperty("replay").GetProperty("eventsInJournal").GetInt32()).And.BeGreaterThan(5);
        await (await sari.GetAsync($"/api/instances/{chat.Id}/replay")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await qc.GetAsync($"/api/instances/{Guid.NewGuid()}/replay")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Simulator_CustomerMessage_StartsAConversationForADemoAgent_WhoSeesIt()
    {
        using var admin = await server.ClientForAsync("admin");
        var customer = "+6281300000" + Random.Shared.Next(1000, 9999);

        var sent = await admin.PostAsJsonAsync($"/api/simulator/whatsapp/{Uri.EscapeDataString(customer)}/messages", new { text = "Halo, saya mau tanya gadai emas" });
        sent.IsSuccessStatusCode.Should().BeTrue(await sent.Content.ReadAsStringAsync());
        var body = await sent.Content.ReadFromJsonAsync<JsonElement>();
        var instanceId = body.GetProperty("instanceId").GetGuid();

        var leader = await server.ClientForAsync("leader.rina");
        var state = await leader.GetJsonAsync($"/api/instances/{instanceId}");
        state.GetProperty("channel").GetString().Should().Be("whatsapp");
        state.GetProperty("customerRef").GetString().Should().Be(customer);
        var agent = state.GetProperty("agent").GetString();
        agent.Should().BeOneOf("agent.sari", "agent.budi");
        using var owner = await server.ClientForAsync(agent!);
        (await owner.GetJsonAsync("/api/instances")).EnumerateArray().Should().Contain(i => i.GetProperty("id").GetGuid() == instanceId);
        var journal = await owner.GetJsonAsync($"/api/instances/{instanceId}/journal");
        journal.EnumerateArray().Should().Contain(e => e.GetProperty("type").GetString() == "message-received@1");
    }
}
