using System.Net;
using System.Net.Http.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Quality;

/// <summary>The SOP scorecard, QC's manual review and the Team Leader's summary over HTTP, with who may do what.</summary>
[Collection(ServerCollection.Name)]
public sealed class QualityApiTests(ServerFixture server)
{
    [Fact]
    public async Task Scorecard_ReviewAndSummary_ForTheRightRoles()
    {
        using var budi = await server.ClientForAsync("agent.budi");
        using var qc = await server.ClientForAsync("qc.agus");
        using var leader = await server.ClientForAsync("leader.rina");
        var call = await Conversation.StartAsync(budi, "inbound-call", "0812-qa");
        await call.CompleteAsync("Task_SalamPembuka");

        var scorecard = await qc.GetJsonAsync($"/api/instances/{call.Id}/scorecard");
        var rules = scorecard.GetProperty("scorecard").GetProperty("rules").EnumerateArray().ToList();
        rules.Should().Contain(r => r.GetProperty("rule").GetProperty("id").GetString() == "opening-greeting" && r.GetProperty("outcome").GetString() == "Passed");
        rules.Should().OnlyContain(r => r.GetProperty("rule").GetProperty("sopSource").GetString()!.Length > 0, "every rule cites the SOP");
        await (await budi.GetAsync($"/api/instances/{call.Id}/scorecard")).ProblemAsync(HttpStatusCode.Forbidden);

        (await (await qc.PostAsJsonAsync($"/api/instances/{call.Id}/reviews", new { score = 120 })).ProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("score", out _).Should().BeTrue();
        await (await leader.PostAsJsonAsync($"/api/instances/{call.Id}/reviews", new { score = 80 })).ProblemAsync(HttpStatusCode.Forbidden);
        await qc.PostJsonAsync($"/api/instances/{call.Id}/reviews", new { score = 85, note = "Salam pembuka sesuai SOP" }, HttpStatusCode.Created);
        (await qc.GetJsonAsync($"/api/instances/{call.Id}/scorecard")).GetProperty("reviews").EnumerateArray().Single().GetProperty("score").GetInt32().Should().Be(85);
        await (await qc.PostAsJsonAsync($"/api/instances/{Guid.NewGuid()}/reviews", new { score = 85 })).ProblemAsync(HttpStatusCode.NotFound);

        var summary = await leader.GetJsonAsync("/api/quality/summary?agent=agent.budi");
        summary.GetProperty("agents").EnumerateArray().Should().Contain(a => a.GetProperty("agent").GetString() == "agent.budi");
        await (await budi.GetAsync("/api/quality/summary")).ProblemAsync(HttpStatusCode.Forbidden);
    }
}
