using System.Net;
using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ContactCenter.Server.Tests.Replay;

/// <summary>
/// QC's replay steps (<c>GET /api/instances/{id}/replay/steps</c>: the state after every journal
/// event, folded by the engine) and history search (<c>GET /api/quality/histories</c>) over
/// conversations run by the server.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ReplayStepsApiTests(ServerFixture server, ITestOutputHelper output)
{
    [Fact]
    public async Task Steps_StateAfterEachStep_EqualsTheFoldOfThatManyEvents()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        using var qc = await server.ClientForAsync("qc.agus");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+6281200000" + Random.Shared.Next(100, 999));
        await chat.CompleteAsync("Task_SalamPembuka");

        // The customer stays silent: the agent asks at 2a and 2b, then the ladder closes the chat (E/G) and the agent documents.
        await FireSilenceTimerAsync(chat.Id);
        await chat.AskStillConnectedAsync();
        await FireSilenceTimerAsync(chat.Id);
        await chat.AskStillConnectedAsync();
        await FireSilenceTimerAsync(chat.Id);
        await chat.CompleteAsync("Task_Dokumentasi");

        var answer = await qc.GetJsonAsync($"/api/instances/{chat.Id}/replay/steps");
        var journal = JournalSerializer.FromJsonArray((await qc.GetJsonAsync($"/api/instances/{chat.Id}/journal")).GetRawText());
        var replay = answer.GetProperty("replay");
        var steps = replay.GetProperty("steps").EnumerateArray().ToList();

        replay.GetProperty("eventCount").GetInt32().Should().Be(journal.Count);
        steps.Should().HaveCount(journal.Count);
        replay.GetProperty("foldProblem").ValueKind.Should().Be(JsonValueKind.Null);
        for (var n = 1; n <= journal.Count; n++)
        {
            var step = steps[n - 1];
            step.GetProperty("sequence").GetInt64().Should().Be(n);
            step.GetProperty("type").GetString().Should().Be(JournalSerializer.TypeNameOf(journal[n - 1]));
            ShouldEqual(step.GetProperty("state"), WorkflowEngine.Fold(journal.Take(n)), n);
        }

        // A state mid-way: after the first prompt the ladder waits for a reply or the second timer.
        var firstPrompt = steps.First(s => s.GetProperty("type").GetString() == "prompt-sent@1");
        firstPrompt.GetProperty("element").GetProperty("definitionKey").GetString().Should().Be("still-connected");
        firstPrompt.GetProperty("details").GetProperty("text").GetString().Should().Be("Apakah saat ini Bapak/Ibu masih terhubung dengan kami?");

        // The path: visit counts as the journal has them.
        var visits = replay.GetProperty("visits").EnumerateArray().ToDictionary(v => $"{v.GetProperty("definitionKey").GetString()}/{v.GetProperty("id").GetString()}", v => v.GetProperty("count").GetInt32());
        var entered = journal.OfType<ElementEntered>().Count(e => e.ElementId == "Gateway_Wait1");
        visits["still-connected/Gateway_Wait1"].Should().Be(entered).And.Be(1);
        visits["whatsapp/Task_Dokumentasi"].Should().Be(1);
        replay.GetProperty("flows").EnumerateArray().Should().Contain(f => f.GetProperty("id").GetString() == "Flow_Gateway_MergeClose_Event_Closed");
        // The agent asked twice: each question is one line, the agent's (not the same words again as a prompt).
        replay.GetProperty("conversation").EnumerateArray().Count(l => l.GetProperty("kind").GetString() == "agent" && l.GetProperty("text").GetString() == "Apakah saat ini Bapak/Ibu masih terhubung dengan kami?").Should().Be(2);
        replay.GetProperty("conversation").EnumerateArray().Count(l => l.GetProperty("kind").GetString() == "prompt").Should().Be(0);

        var facts = answer.GetProperty("instance");
        facts.GetProperty("agent").GetString().Should().Be("agent.sari");
        facts.GetProperty("status").GetString().Should().Be("Completed");
        facts.GetProperty("outcome").GetProperty("closedBySilence").GetBoolean().Should().BeTrue();
        facts.GetProperty("definitions").EnumerateArray().Select(d => d.GetProperty("key").GetString()).Should().Equal("whatsapp", "still-connected");

        // The search finds it by agent, channel and outcome, with its score.
        var found = await qc.GetJsonAsync("/api/quality/histories?agent=agent.sari&channel=whatsapp&outcome=silence&status=Completed");
        var row = found.EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == chat.Id);
        row.GetProperty("closedBySilence").GetBoolean().Should().BeTrue();
        row.GetProperty("score").ValueKind.Should().Be(JsonValueKind.Number);
        row.GetProperty("events").GetInt32().Should().Be(journal.Count);
        (await qc.GetJsonAsync("/api/quality/histories?agent=agent.sari&channel=whatsapp&outcome=ticket")).EnumerateArray()
            .Should().NotContain(r => r.GetProperty("id").GetGuid() == chat.Id);
    }

    [Fact]
    public async Task Steps_AndSearch_AreForQcTeamLeadersAndAdmins_And404ForUnknownIds()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        using var qc = await server.ClientForAsync("qc.agus");
        using var leader = await server.ClientForAsync("leader.rina");
        using var tier2 = await server.ClientForAsync("tier2.dewi");
        var chat = await Conversation.StartAsync(sari, "live-chat", "chat-roles");

        await (await sari.GetAsync($"/api/instances/{chat.Id}/replay/steps")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await tier2.GetAsync($"/api/instances/{chat.Id}/replay/steps")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await sari.GetAsync("/api/quality/histories?agent=agent.sari")).ProblemAsync(HttpStatusCode.Forbidden);
        (await server.Anonymous().GetAsync($"/api/instances/{chat.Id}/replay/steps")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await leader.GetJsonAsync($"/api/instances/{chat.Id}/replay/steps")).GetProperty("replay").GetProperty("steps").GetArrayLength().Should().BeGreaterThan(3);
        await (await qc.GetAsync($"/api/instances/{Guid.NewGuid()}/replay/steps")).ProblemAsync(HttpStatusCode.NotFound);
        (await (await qc.GetAsync("/api/quality/histories?outcome=nope&limit=0")).ProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("outcome", "limit");
    }

    [Fact]
    public async Task Steps_OfAHundredEventHistory_StayASmallPayload()
    {
        using var budi = await server.ClientForAsync("agent.budi");
        using var qc = await server.ClientForAsync("qc.agus");
        var chat = await Conversation.StartAsync(budi, "whatsapp", "+6281200001" + Random.Shared.Next(100, 999));
        await chat.CompleteAsync("Task_SalamPembuka");
        await FireSilenceTimerAsync(chat.Id);
        await chat.CustomerSaysAsync("Masih, mau tanya gadai emas", "m1");
        await chat.CompleteAsync("Task_Verifikasi");

        // Three questions in one chat: "Butuh bantuan lain?" Ya takes the agent back to B (identification).
        for (var i = 0; i < 3; i++)
        {
            await chat.CompleteAsync("Task_Identifikasi");
            await chat.CompleteAsync("Task_Solusi");
            await chat.CompleteAsync("Gateway_PerluTiket", "Tidak");
            await chat.CompleteAsync("Task_TawarkanBantuan");
            await chat.CustomerSaysAsync(i < 2 ? "Ya, satu lagi" : "Tidak, cukup", $"q{i}");
            await chat.CompleteAsync("Gateway_BantuanLain", i < 2 ? "Ya" : "Tidak");
        }

        await chat.CompleteAsync("Task_SalamPenutup");
        await chat.CompleteAsync("Gateway_Tertarik", "Tidak");
        await chat.CompleteAsync("Task_Dokumentasi");

        var response = await qc.GetAsync($"/api/instances/{chat.Id}/replay/steps");
        var bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var events = answer.GetProperty("replay").GetProperty("eventCount").GetInt32();
        output.WriteLine($"replay/steps of a {events}-event history: {bytes:N0} bytes ({bytes / events:N0} per event)");

        events.Should().BeGreaterThanOrEqualTo(100);
        answer.GetProperty("instance").GetProperty("status").GetString().Should().Be("Completed");
        answer.GetProperty("replay").GetProperty("visits").EnumerateArray()
            .Single(v => v.GetProperty("definitionKey").GetString() == "whatsapp" && v.GetProperty("id").GetString() == "Task_Identifikasi")
            .GetProperty("count").GetInt32().Should().Be(3);
        (bytes / events).Should().BeLessThan(3_000, "a step carries the state after it, not the whole history");
    }

    private async Task FireSilenceTimerAsync(Guid instanceId)
    {
        var runtime = server.Services.GetRequiredService<InstanceRuntime>();
        var state = await runtime.GetStateAsync(instanceId);
        await server.FireAtDueAsync(instanceId, state.Timers.Single(t => t.SlaPolicy is null).Id);
    }

    /// <summary>The step's state says what the engine's fold says: status, tokens, open work items, timers, waits and variables.</summary>
    private static void ShouldEqual(JsonElement actual, InstanceState folded, int n)
    {
        var because = $"the state after step {n}";
        actual.GetProperty("status").GetString().Should().Be(folded.Status.ToString(), because);
        actual.GetProperty("tokens").EnumerateArray().Select(t => (t.GetProperty("id").GetInt64(), t.GetProperty("elementId").GetString()))
            .Should().BeEquivalentTo(folded.Tokens.Select(t => (t.Id, (string?)t.ElementId)), because);
        actual.GetProperty("workItems").EnumerateArray().Select(w => (w.GetProperty("id").GetInt64(), w.GetProperty("elementId").GetString()))
            .Should().BeEquivalentTo(folded.WorkItems.Select(w => (w.Id, (string?)w.ElementId)), because);
        actual.GetProperty("timers").EnumerateArray().Select(t => (t.GetProperty("id").GetInt64(), t.GetProperty("dueAt").GetDateTimeOffset()))
            .Should().BeEquivalentTo(folded.Timers.Select(t => (t.Id, t.DueAt)), because);
        actual.GetProperty("waits").EnumerateArray().Select(s => s.GetProperty("id").GetInt64())
            .Should().BeEquivalentTo(folded.Subscriptions.Select(s => s.Id), because);
        actual.GetProperty("variables").EnumerateObject().Select(p => p.Name)
            .Should().BeEquivalentTo(folded.Variables.Keys, because);
        foreach (var (name, value) in folded.Variables)
        {
            actual.GetProperty("variables").GetProperty(name).GetRawText().Should().Be(JsonSerializer.Serialize(value, JournalSerializer.Options), $"{because}: {name}");
        }
    }
}
