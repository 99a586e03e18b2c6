using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Conversations;

/// <summary>SOP §5.3 over HTTP: who may ask, who may answer, what is refused, and what the journal keeps.</summary>
[Collection(ServerCollection.Name)]
public sealed class HelpRequestApiTests(ServerFixture server)
{
    [Fact]
    public async Task Request_IsJournaled_ListedOpen_AnsweredOnce_AndLeavesTheOpenList()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        using var leader = await server.ClientForAsync("leader.rina");
        using var tier2 = await server.ClientForAsync("tier2.dewi");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+6281277700001");

        var asked = await sari.PostJsonAsync($"{chat.Url}/help", new { to = "tier2", text = "  Status eskalasi tiket kemarin?  " }, HttpStatusCode.Created);
        var requestId = asked.GetProperty("id").GetString()!;
        asked.GetProperty("to").GetString().Should().Be("Tier2");
        asked.GetProperty("text").GetString().Should().Be("Status eskalasi tiket kemarin?");
        asked.GetProperty("requestedBy").GetString().Should().Be("agent.sari");

        (await leader.GetJsonAsync("/api/help")).EnumerateArray().Should().Contain(r => r.GetProperty("id").GetString() == requestId && r.GetProperty("channel").GetString() == "whatsapp");
        (await tier2.GetJsonAsync("/api/help")).EnumerateArray().Should().Contain(r => r.GetProperty("id").GetString() == requestId, "it is addressed to Tier 2");

        var answered = await tier2.PostJsonAsync($"{chat.Url}/help/{requestId}/answer", new { text = "Sedang diproses tim terkait" });
        answered.GetProperty("answer").GetString().Should().Be("Sedang diproses tim terkait");
        answered.GetProperty("answeredBy").GetString().Should().Be("tier2.dewi");
        await (await leader.PostAsJsonAsync($"{chat.Url}/help/{requestId}/answer", new { text = "lagi" })).ProblemAsync(HttpStatusCode.Conflict);
        (await leader.GetJsonAsync("/api/help")).EnumerateArray().Should().NotContain(r => r.GetProperty("id").GetString() == requestId);

        var listed = (await sari.GetJsonAsync($"{chat.Url}/help")).EnumerateArray().Single();
        listed.GetProperty("answer").GetString().Should().Be("Sedang diproses tim terkait");
        var journal = (await sari.GetJsonAsync($"{chat.Url}/journal")).EnumerateArray().Where(e => e.GetProperty("type").GetString() == "annotated@1").ToList();
        journal.Select(e => e.GetProperty("kind").GetString()).Should().Equal("help-requested", "help-answered");
        journal[0].GetProperty("actor").GetString().Should().Be("agent.sari");
    }

    [Fact]
    public async Task Refusals_NameTheField_OrTheRule()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        using var budi = await server.ClientForAsync("agent.budi");
        using var leader = await server.ClientForAsync("leader.rina");
        using var tier2 = await server.ClientForAsync("tier2.dewi");
        var chat = await Conversation.StartAsync(sari, "live-chat", "help-api-2");

        var bad = await (await sari.PostAsJsonAsync($"{chat.Url}/help", new { to = "Supervisor", text = " " })).ProblemAsync(HttpStatusCode.BadRequest);
        bad.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo("to", "text");
        var tooLong = await (await sari.PostAsJsonAsync($"{chat.Url}/help", new { to = "TeamLeader", text = new string('x', 1001) })).ProblemAsync(HttpStatusCode.BadRequest);
        tooLong.GetProperty("errors").GetProperty("text")[0].GetString().Should().Be("at most 1000 characters");
        await (await budi.PostAsJsonAsync($"{chat.Url}/help", new { to = "TeamLeader", text = "bukan percakapan saya" })).ProblemAsync(HttpStatusCode.Forbidden);

        var asked = await sari.PostJsonAsync($"{chat.Url}/help", new { to = "TeamLeader", text = "Nasabah marah, mohon bantuan" }, HttpStatusCode.Created);
        var requestId = asked.GetProperty("id").GetString()!;
        await (await tier2.PostAsJsonAsync($"{chat.Url}/help/{requestId}/answer", new { text = "x" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await sari.PostAsJsonAsync($"{chat.Url}/help/{requestId}/answer", new { text = "x" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await leader.PostAsJsonAsync($"{chat.Url}/help/nope/answer", new { text = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        (await tier2.GetJsonAsync("/api/help")).EnumerateArray().Should().NotContain(r => r.GetProperty("id").GetString() == requestId, "Tier 2 lists only what is addressed to Tier 2");

        // A conversation that ends takes its open requests off the list; no help is asked after it.
        await leader.PostJsonAsync($"{chat.Url}/cancel", new { reason = "Tes" });
        (await leader.GetJsonAsync("/api/help")).EnumerateArray().Should().NotContain(r => r.GetProperty("id").GetString() == requestId);
        await (await sari.PostAsJsonAsync($"{chat.Url}/help", new { to = "TeamLeader", text = "masih?" })).ProblemAsync(HttpStatusCode.Conflict);
    }
}
