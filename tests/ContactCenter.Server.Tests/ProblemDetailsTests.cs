using System.Net;
using System.Net.Http.Json;
using System.Text;
using FluentAssertions;

namespace ContactCenter.Server.Tests;

/// <summary>A client's mistakes answer RFC 7807 problem details with the right status, never a 500.</summary>
[Collection(ServerCollection.Name)]
public sealed class ProblemDetailsTests(ServerFixture server)
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("{\"channel\": \"whatsapp\",", "$")]
    [InlineData("{\"channel\": 42}", "$.channel")]
    [InlineData("{\"channel\": \"whatsapp\", \"chanel\": \"x\"}", "$")]
    [InlineData("{\"channel\": \"whatsapp\", \"variables\": {\"a\": [1]}}", "$.variables.a")]
    public async Task Start_MalformedJson_Is400WithTheField(string body, string fieldPrefix)
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var problem = await (await sari.PostAsync("/api/instances", Json(body))).ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Should().Contain(e => e.Name.StartsWith(fieldPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_InvalidFields_IsValidationProblemPerField()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var problem = await (await sari.PostAsync("/api/instances", Json("{\"channel\":\"Not A Channel\",\"customerRef\":\"" + new string('x', 201) + "\",\"variables\":{\"1bad\":\"x\"}}"))).ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty("channel", out _).Should().BeTrue();
        errors.TryGetProperty("customerRef", out _).Should().BeTrue();
        errors.TryGetProperty("variables.1bad", out _).Should().BeTrue();
        await (await sari.PostAsync("/api/instances", Json("{}"))).ProblemAsync(HttpStatusCode.BadRequest);
        await (await sari.PostAsync("/api/instances", Json("{\"channel\":\"ticket\"}"))).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Start_UnknownWorkflow_Is404()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        await (await sari.PostAsJsonAsync("/api/instances", new { channel = "fax" })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task JsonBody_OverTheLimit_Is413()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var body = "{\"channel\":\"whatsapp\",\"customerRef\":\"" + new string('x', 300 * 1024) + "\"}";
        await (await sari.PostAsync("/api/instances", Json(body))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task UnknownInstance_Is404_OnEveryInstanceRoute()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var url = $"/api/instances/{Guid.NewGuid()}";
        await (await sari.GetAsync(url)).ProblemAsync(HttpStatusCode.NotFound);
        await (await sari.GetAsync($"{url}/journal")).ProblemAsync(HttpStatusCode.NotFound);
        await (await sari.GetAsync($"{url}/journal/export")).ProblemAsync(HttpStatusCode.NotFound);
        await (await sari.PostAsJsonAsync($"{url}/tasks/1/complete", new { })).ProblemAsync(HttpStatusCode.NotFound);
        await (await sari.PostAsJsonAsync($"{url}/messages", new { text = "hi" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await sari.PostAsJsonAsync($"{url}/cancel", new { reason = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await sari.GetAsync("/api/instances/not-a-guid")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Complete_StaleVersion_Is409_UnknownTask404_ClosedTask409_WrongOutcome400()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "whatsapp");
        var state = await chat.StateAsync();
        var version = state.GetProperty("version").GetInt64();
        var greeting = Conversation.TaskOf(state, "Task_SalamPembuka")!.Value.GetProperty("id").GetInt64();

        var stale = await (await sari.PostAsJsonAsync($"{chat.Url}/tasks/{greeting}/complete", new { expectedVersion = version - 1 })).ProblemAsync(HttpStatusCode.Conflict);
        stale.GetProperty("detail").GetString().Should().Contain("reload");
        await (await sari.PostAsJsonAsync($"{chat.Url}/tasks/999999/complete", new { })).ProblemAsync(HttpStatusCode.NotFound);

        await sari.PostJsonAsync($"{chat.Url}/tasks/{greeting}/complete", new { expectedVersion = version });
        await (await sari.PostAsJsonAsync($"{chat.Url}/tasks/{greeting}/complete", new { })).ProblemAsync(HttpStatusCode.Conflict);

        await chat.CustomerSaysAsync("Halo", "pd-1");
        await chat.CompleteAsync("Task_Verifikasi");
        await chat.CompleteAsync("Task_Identifikasi");
        state = await chat.CompleteAsync("Task_Solusi");
        var gateway = Conversation.TaskOf(state, "Gateway_PerluTiket")!.Value.GetProperty("id").GetInt64();
        var wrong = await (await sari.PostAsJsonAsync($"{chat.Url}/tasks/{gateway}/complete", new { outcome = "Mungkin" })).ProblemAsync(HttpStatusCode.BadRequest);
        wrong.GetProperty("errors").TryGetProperty("outcome", out _).Should().BeTrue();
        var missing = await (await sari.PostAsJsonAsync($"{chat.Url}/tasks/{gateway}/complete", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        missing.GetProperty("errors").TryGetProperty("outcome", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Catalogue_WrongStatus_Is409()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        var problem = await (await owner.PostAsync("/api/definitions/whatsapp/versions/1/submit", null)).ProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString().Should().Contain("Published");
    }

    [Fact]
    public async Task QueryParameters_Invalid_AreValidationProblems()
    {
        using var leader = await server.ClientForAsync("leader.rina");
        var problem = await (await leader.GetAsync("/api/instances?status=Sleeping&limit=0")).ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("status", out _).Should().BeTrue();
        problem.GetProperty("errors").TryGetProperty("limit", out _).Should().BeTrue();
        await (await leader.GetAsync("/api/instances?from=yesterday")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await leader.GetAsync("/api/calendar/holidays?year=99999")).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
