using System.Text.Json;
using System.Text.RegularExpressions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Server.Tests.Tickets;
using ContactCenter.Tests;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests.Contracts;

/// <summary>A server whose workflows are the repository's with every element id renamed bpmn-js style (<see cref="RenamedFlows"/>).</summary>
public sealed class RenamedFlowsFixture : ServerFixture
{
    public RenamedFlowsFixture()
        : this(RenamedFlows.Create())
    {
    }

    private RenamedFlowsFixture(string workflowsFolder)
        : base(workflowsFolder)
    {
        WorkflowsFolder = workflowsFolder;
    }

    public string WorkflowsFolder { get; }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(WorkflowsFolder, recursive: true);
    }
}

/// <summary>
/// A test that cannot be fooled by names: the code finds steps by their declared purpose, so the
/// flows redrawn with random ids run the golden conversations, the ticket desk, the scorecard,
/// the dashboard and what-if exactly as the repository's do (compared with the shared server on the originals).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class RenamedFlowsTests(ServerFixture original, RenamedFlowsFixture renamed) : IClassFixture<RenamedFlowsFixture>
{
    private static readonly TimeZoneInfo Jakarta = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");

    /// <summary>Every scripted sample that needs no timer (those are below, fired at their due time).</summary>
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        var root = Path.Combine(ServerFactory.RepoRoot, "samples", "conversations");
        foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var sample = JsonDocument.Parse(File.ReadAllText(file));
            // Played over HTTP without moving a clock: a sample that waits, or whose agent answers a
            // timed "masih terhubung?" step (it expects prompts), needs the simulator's virtual clock.
            var timed = sample.RootElement.TryGetProperty("expect", out var expect) && expect.TryGetProperty("prompts", out var prompts) && prompts.GetArrayLength() > 0;
            if (!timed && sample.RootElement.GetProperty("steps").EnumerateArray().All(s => !s.TryGetProperty("wait", out _)))
            {
                data.Add(Path.GetRelativePath(root, file)[..^".json".Length].Replace('\\', '/'));
            }
        }

        return data;
    }

    [Fact]
    public async Task EveryFlow_IsRenamedBpmnJsStyle_AndImported()
    {
        foreach (var file in Directory.EnumerateFiles(renamed.WorkflowsFolder, "*.bpmn"))
        {
            var text = await File.ReadAllTextAsync(file);
            var key = Path.GetFileNameWithoutExtension(file);
            foreach (var id in ElementId().Matches(text).Select(m => m.Groups[1].Value).Where(id => id != key))
            {
                id.Should().MatchRegex(@"^[A-Za-z]+_[0-9a-z]{7}(_di)?$", "{0} of {1} is renamed as bpmn-js names new elements", id, key);
            }
        }

        using var owner = await renamed.ClientForAsync("owner.gadhong");
        var published = (await owner.GetJsonAsync("/api/definitions")).EnumerateArray().Select(v => v.GetProperty("key").GetString()).Distinct().ToList();
        published.Should().BeEquivalentTo(["email", "inbound-call", "live-chat", "outlet-reservation", "social-media", "still-connected", "ticket-escalation", "whatsapp"]);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task GoldenConversation_RunsUnchanged_WithTheSameScorecard(string sample)
    {
        var onOriginal = await RunSampleAsync(original, sample, id => id);
        var workflow = sample[..sample.IndexOf('/', StringComparison.Ordinal)];
        var onRenamed = await RunSampleAsync(renamed, sample, id => RenamedFlows.Id(workflow, id));

        onRenamed.Status.Should().Be(onOriginal.Status).And.Be(onOriginal.Expected);
        onRenamed.Services.Should().Equal(onOriginal.Services);
        onRenamed.Scorecard.Should().Equal(onOriginal.Scorecard);
        onRenamed.Replays.Should().BeTrue();
    }

    [Fact]
    public async Task TicketDesk_DispatchesAndCloses_ARenamedTicketFlow()
    {
        using var agent = await renamed.ClientForAsync("agent.budi");
        using var tier2 = await renamed.ClientForAsync("tier2.dewi");
        using var team = await renamed.ClientForAsync("team.gadai");

        // Dispatched, worked by the related team (steps 16-19, found by what the server says is open), closed.
        var ticketId = await RaiseComplaintAsync(agent, tier2, "+6281299900001");
        var queued = await tier2.GetJsonAsync($"/api/tickets/{ticketId}");
        queued.GetProperty("ticket").GetProperty("queue").GetString().Should().Be("Tier2");
        queued.GetProperty("tasks")[0].GetProperty("purposes").EnumerateArray().Select(p => p.GetString()).Should().Equal("ticket-received");
        await tier2.PostJsonAsync($"/api/tickets/{ticketId}/dispatch", new { unit = "Divisi Gadai", note = "Mohon dicek" });
        (await team.GetJsonAsync("/api/tickets")).EnumerateArray().Should().Contain(t => t.GetProperty("id").GetGuid() == ticketId);
        for (var step = 0; step < 4; step++)
        {
            var current = await team.GetJsonAsync($"/api/tickets/{ticketId}");
            var task = current.GetProperty("tasks").EnumerateArray().Single();
            task.GetProperty("purposes").EnumerateArray().Select(p => p.GetString()).Should().Equal("related-team-work");
            var data = task.GetProperty("fields").GetArrayLength() > 0 ? new Dictionary<string, object> { ["catatan"] = "Saldo sudah dikoreksi" } : null;
            await team.PostJsonAsync($"/api/tickets/{ticketId}/tasks/{task.GetProperty("id").GetInt64()}/complete", new { data, expectedVersion = current.GetProperty("version").GetInt64() });
        }

        var closed = await tier2.PostJsonAsync($"/api/tickets/{ticketId}/close", new { memo = "Nasabah sudah dikonfirmasi" });
        closed.GetProperty("ticket").GetProperty("status").GetString().Should().Be("Completed");

        // Closed by Tier 2 straight from the decision: the outcome that does not dispatch is taken on the way.
        var second = await RaiseComplaintAsync(agent, tier2, "+6281299900002");
        var direct = await tier2.PostJsonAsync($"/api/tickets/{second}/close", new { memo = "Selesai tanpa dispatch" });
        direct.GetProperty("ticket").GetProperty("status").GetString().Should().Be("Completed");
        var journal = (await tier2.GetJsonAsync($"/api/instances/{second}/journal")).EnumerateArray();
        journal.Should().Contain(e => e.GetProperty("type").GetString() == "work-item-completed@1" && e.GetProperty("outcome").GetString() == "Tidak");
    }

    [Fact]
    public async Task SilenceLadder_PromptsAndCloses_ScoredAndCountedUnchanged()
    {
        renamed.Clock.KeepOffLocalMidnight(Jakarta, TimeSpan.FromMinutes(15));
        using var leader = await renamed.ClientForAsync("leader.rina");
        using var sari = await renamed.ClientForAsync("agent.sari");
        using var qc = await renamed.ClientForAsync("qc.agus");
        var date = TimeZoneInfo.ConvertTime(renamed.Clock.GetUtcNow(), Jakarta).ToString("yyyy-MM-dd");
        var before = await leader.GetJsonAsync($"/api/dashboard/overview?date={date}");

        var chat = await Conversation.StartAsync(sari, "live-chat", "silent-renamed");
        await chat.CompleteAsync(RenamedFlows.Id("live-chat", "Task_SalamPembuka"));
        var runtime = renamed.Services.GetRequiredService<InstanceRuntime>();
        for (var rung = 0; rung < 3; rung++)
        {
            var state = await runtime.GetStateAsync(chat.Id);
            await renamed.FireAtDueAsync(chat.Id, state.Timers.Single(t => t.SlaPolicy is null).Id);
            if (rung < 2)
            {
                await chat.AskStillConnectedAsync();
            }
        }

        await chat.CompleteAsync(RenamedFlows.Id("live-chat", "Task_Dokumentasi"));

        var after = await leader.GetJsonAsync($"/api/dashboard/overview?date={date}");
        (after.GetProperty("today").GetProperty("closedBySilence").GetInt32() - before.GetProperty("today").GetProperty("closedBySilence").GetInt32()).Should().Be(1);
        var card = await ScorecardAsync(qc, chat.Id);
        card["still-connected-prompts"].Should().Be("Passed");
        card["silence-close"].Should().Be("Passed");
        card["documentation"].Should().Be("Passed");

        // What-if against the versions it ran: the same path, read as closed by silence.
        var pinned = (await chat.StateAsync()).GetProperty("pinnedVersions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var whatIf = (await qc.PostJsonAsync($"/api/instances/{chat.Id}/what-if", new { candidate = pinned })).GetProperty("report");
        whatIf.GetProperty("divergence").ValueKind.Should().Be(JsonValueKind.Null, whatIf.ToString());
        whatIf.GetProperty("original").GetProperty("closedBySilence").GetBoolean().Should().BeTrue();
        whatIf.GetProperty("candidate").GetProperty("promptsSent").GetInt32().Should().Be(2);
    }

    private sealed record SampleRun(string? Status, string? Expected, List<string?> Services, List<string> Scorecard, bool Replays);

    private static async Task<SampleRun> RunSampleAsync(ServerFixture server, string sample, Func<string, string> id)
    {
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(ServerFactory.RepoRoot, "samples", "conversations", sample + ".json")));
        var script = file.RootElement;
        using var agent = await server.ClientForAsync("agent.sari");
        using var qc = await server.ClientForAsync("qc.agus");
        var chat = await Conversation.StartAsync(agent, script.GetProperty("workflow").GetString()!, "renamed-" + sample.Replace('/', '-'));
        await chat.PlayAsync(script.GetProperty("steps"), sample, id);

        var state = await chat.StateAsync();
        var journal = (await agent.GetJsonAsync($"{chat.Url}/journal")).EnumerateArray().ToList();
        var services = journal.Where(e => e.GetProperty("type").GetString() == "service-invoked@1").Select(e => e.GetProperty("serviceKind").GetString()).ToList();
        var card = await ScorecardAsync(qc, chat.Id);
        var replays = (await qc.GetJsonAsync($"/api/instances/{chat.Id}/replay")).GetProperty("matches").GetBoolean();
        return new SampleRun(
            state.GetProperty("status").GetString(),
            script.GetProperty("expect").GetProperty("status").GetString(),
            services,
            [.. card.Select(r => $"{r.Key}: {r.Value}")],
            replays);
    }

    private static async Task<Dictionary<string, string>> ScorecardAsync(HttpClient qc, Guid id)
    {
        var view = await qc.GetJsonAsync($"/api/instances/{id}/scorecard");
        return view.GetProperty("scorecard").GetProperty("rules").EnumerateArray()
            .ToDictionary(r => r.GetProperty("rule").GetProperty("id").GetString()!, r => r.GetProperty("outcome").GetString()!, StringComparer.Ordinal);
    }

    private static async Task<Guid> RaiseComplaintAsync(HttpClient agent, HttpClient tier2, string customer)
    {
        string Id(string elementId) => RenamedFlows.Id("whatsapp", elementId);
        var chat = await Conversation.StartAsync(agent, "whatsapp", customer);
        await chat.CompleteAsync(Id("Task_SalamPembuka"));
        await chat.CustomerSaysAsync("Saldo tabungan emas tidak bertambah setelah top up", customer + "-1");
        await chat.CompleteAsync(Id("Task_Verifikasi"));
        await chat.CompleteAsync(Id("Task_Identifikasi"));
        await chat.CompleteAsync(Id("Task_Solusi"));
        await chat.CompleteAsync(Id("Gateway_PerluTiket"), "Ya", new { kategori = "Transaksi", prioritas = "Tinggi", deskripsi = "Saldo tabungan emas tidak bertambah setelah top up" });
        return await TicketApiTests.WaitForTicketAsync(tier2, chat.Id);
    }

    [GeneratedRegex("""\sid="([^"]+)"\s?""")]
    private static partial Regex ElementId();
}
