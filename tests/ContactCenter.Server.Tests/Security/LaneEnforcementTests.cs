using System.Net;
using System.Net.Http.Json;
using ContactCenter.Engine;
using ContactCenter.Runtime.Instances;
using ContactCenter.Server.Tests.Tickets;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests.Security;

/// <summary>
/// Lanes and starts as the flows declare them (cc:performer, cc:startableBy): an agent starts only
/// the channel flows, completes only Agent-lane tasks, and the complaint decision carries its
/// ticket's fields, checked against the SLA policies.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LaneEnforcementTests(ServerFixture server)
{
    [Theory]
    [InlineData("ticket-escalation")]
    [InlineData("still-connected")]
    public async Task Start_CalledOrInternalFlowByHand_Is403(string definitionKey)
    {
        using var agent = await server.ClientForAsync("agent.sari");

        var response = await agent.PostAsJsonAsync("/api/instances", new { channel = "whatsapp", customerRef = "+6281200009001", definitionKey });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden);
        problem.GetProperty("detail").GetString().Should().Contain(definitionKey).And.Contain("not by hand");
        (await agent.GetJsonAsync("/api/instances?definitionKey=" + definitionKey)).EnumerateArray()
            .Should().NotContain(i => i.GetProperty("customerRef").GetString() == "+6281200009001", "nothing was started");
    }

    [Fact]
    public async Task Complete_Tier2LaneTaskOfAnAgentsOwnInstance_Is403()
    {
        // An escalation that names the agent as its owner (as one started by hand before the fix did).
        var runtime = server.Services.GetRequiredService<InstanceRuntime>();
        var record = await runtime.StartAsync(new StartRequest
        {
            DefinitionKey = "ticket-escalation",
            Channel = "ticket",
            Agent = "agent.sari",
            Actor = "agent.sari",
            CustomerRef = "+6281200009002",
            Variables = new Dictionary<string, Engine.Expressions.Value> { ["kategori"] = "Transaksi", ["prioritas"] = "Tinggi", ["deskripsi"] = "uji" },
        });
        var task = InstanceState.FromJson(record.Snapshot).WorkItems.Single();
        task.Lane.Should().Be("Tier 2");
        using var agent = await server.ClientForAsync("agent.sari");

        var response = await agent.PostAsJsonAsync($"/api/instances/{record.Id}/tasks/{task.Id}/complete", new { });

        (await response.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString().Should().Contain("Tier2");
        (await runtime.GetAsync(record.Id)).Version.Should().Be(record.Version, "nothing moved");
    }

    [Fact]
    public async Task Complete_RelatedTeamLaneTaskByTier2_Is403_AndByTheUnit_IsAllowed()
    {
        using var agent = await server.ClientForAsync("agent.budi");
        using var tier2 = await server.ClientForAsync("tier2.dewi");
        using var team = await server.ClientForAsync("team.gadai");
        var (_, ticketId) = await TicketApiTests.RaiseComplaintAsync(agent, tier2, "+6281200009003");
        var ticket = await tier2.GetJsonAsync($"/api/tickets/{ticketId}");
        await tier2.PostJsonAsync($"/api/tickets/{ticketId}/dispatch", new { unit = "Divisi Gadai", expectedVersion = ticket.GetProperty("version").GetInt64() });
        var dispatched = await team.GetJsonAsync($"/api/tickets/{ticketId}");
        var taskId = dispatched.GetProperty("tasks")[0].GetProperty("id").GetInt64();

        var byTier2 = await tier2.PostAsJsonAsync($"/api/tickets/{ticketId}/tasks/{taskId}/complete", new { });
        (await byTier2.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString().Should().Contain("RelatedTeam");

        await team.PostJsonAsync($"/api/tickets/{ticketId}/tasks/{taskId}/complete", new { });
    }

    [Fact]
    public async Task ComplaintDecision_WithoutTicketFields_Is400NamingEachField()
    {
        using var agent = await server.ClientForAsync("agent.sari");
        var chat = await AtComplaintDecisionAsync(agent, "+6281200009004");
        var state = await chat.StateAsync();
        var gateway = Conversation.TaskOf(state, "Gateway_PerluTiket")!.Value;
        gateway.GetProperty("outcomeFields").GetProperty("Ya").EnumerateArray().Select(f => f.GetString()).Should().Equal("kategori", "prioritas", "deskripsi");

        var response = await agent.PostAsJsonAsync($"{chat.Url}/tasks/{gateway.GetProperty("id").GetInt64()}/complete", new { outcome = "Ya" });

        var errors = (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("data.kategori", "data.prioritas", "data.deskripsi");
        Conversation.TaskOf(await chat.StateAsync(), "Gateway_PerluTiket").Should().NotBeNull("the decision is still open");
    }

    [Theory]
    [InlineData("Pengaduan", "Tinggi", "data.kategori")]
    [InlineData("Transaksi", "Darurat", "data.prioritas")]
    [InlineData("Transaksi", "Tinggi", "data.deskripsi")]
    public async Task ComplaintDecision_CategoryOrPriorityOutsideThePolicies_Is400(string kategori, string prioritas, string field)
    {
        using var agent = await server.ClientForAsync("agent.sari");
        var chat = await AtComplaintDecisionAsync(agent, "+62812000091" + field.Length);
        var state = await chat.StateAsync();
        var gateway = Conversation.TaskOf(state, "Gateway_PerluTiket")!.Value.GetProperty("id").GetInt64();

        var response = await agent.PostAsJsonAsync($"{chat.Url}/tasks/{gateway}/complete", new { outcome = "Ya", data = new { kategori, prioritas, deskripsi = field == "data.deskripsi" ? "  " : "Saldo tidak bertambah" } });

        var errors = (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).Should().Equal(field);
    }

    [Fact]
    public async Task ComplaintDecision_Tidak_NeedsNoFields()
    {
        using var agent = await server.ClientForAsync("agent.sari");
        var chat = await AtComplaintDecisionAsync(agent, "+6281200009005");

        var state = await chat.CompleteAsync("Gateway_PerluTiket", "Tidak");

        Conversation.TaskOf(state, "Task_TawarkanBantuan").Should().NotBeNull();
    }

    [Fact]
    public async Task Simulator_OnlyTheConversationsAgentPlaysItsCustomer()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        using var budi = await server.ClientForAsync("agent.budi");
        using var leader = await server.ClientForAsync("leader.rina");
        using var admin = await server.ClientForAsync("admin");
        const string customer = "+6281200009006";
        await Conversation.StartAsync(sari, "whatsapp", customer);
        var url = $"/api/simulator/whatsapp/{Uri.EscapeDataString(customer)}/messages";

        await (await budi.PostAsJsonAsync(url, new { text = "Halo" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.PostAsJsonAsync(url, new { text = "Halo" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await leader.PostAsJsonAsync(url, new { text = "Halo" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await budi.GetAsync($"/api/simulator/conversations/whatsapp/{Uri.EscapeDataString(customer)}")).ProblemAsync(HttpStatusCode.Forbidden);

        (await sari.PostAsJsonAsync(url, new { text = "Halo" })).IsSuccessStatusCode.Should().BeTrue();
        server.SecurityEvents().Where(e => e.TryGetProperty("UserName", out var u) && u.GetString() == "agent.budi" && e.TryGetProperty("Path", out var p) && p.GetString()!.Contains("6281200009006", StringComparison.Ordinal))
            .Should().NotBeEmpty("a denied simulator call is a security event");
    }

    private static Task<Conversation> AtComplaintDecisionAsync(HttpClient agent, string customer) =>
        TicketApiTests.AtComplaintDecisionAsync(agent, customer, "Saldo tidak bertambah");
}
