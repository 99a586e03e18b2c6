using System.Net;
using System.Text.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ConversationTests(ServerFixture server)
{
    [Fact]
    public async Task WhatsApp_HappyPath_OverHttp_RunsToCloseWithJournal()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+6281111111111");

        var state = await chat.StateAsync();
        state.GetProperty("agent").GetString().Should().Be("agent.sari");
        state.GetProperty("definitionKey").GetString().Should().Be("whatsapp");
        state.GetProperty("status").GetString().Should().Be("Running");
        var greeting = Conversation.TaskOf(state, "Task_SalamPembuka")!.Value;
        greeting.GetProperty("lane").GetString().Should().Be("Agent");
        greeting.GetProperty("script").GetString().Should().MatchRegex(@"^Selamat (pagi|siang|sore|malam), terima kasih telah menghubungi Contact Center Pegadaian\. Saya Sari, ada yang bisa saya bantu\?$",
            "the engine resolves {salamPembuka} and {namaAgent} (the agent's display name)");

        state = await chat.CompleteAsync("Task_SalamPembuka");
        var timer = state.GetProperty("timers").EnumerateArray().Single();
        timer.GetProperty("name").GetString().Should().Be("1 menit tanpa respon");
        timer.GetProperty("definitionKey").GetString().Should().Be("still-connected");
        timer.GetProperty("dueAt").GetDateTimeOffset().Should().BeCloseTo(server.Clock.GetUtcNow().AddMinutes(1), TimeSpan.FromSeconds(30));

        state = await chat.CustomerSaysAsync("Halo, saya mau tanya cara gadai emas", "wa-1");
        state.GetProperty("timers").GetArrayLength().Should().Be(0, "the reply cancels the silence timer");
        await chat.CompleteAsync("Task_Verifikasi");
        await chat.CompleteAsync("Task_Identifikasi");
        state = await chat.CompleteAsync("Task_Solusi");
        Conversation.TaskOf(state, "Gateway_PerluTiket")!.Value.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()).Should().Equal("Ya", "Tidak");
        await chat.CompleteAsync("Gateway_PerluTiket", "Tidak");
        await chat.CompleteAsync("Task_TawarkanBantuan");
        await chat.CustomerSaysAsync("Tidak, sudah cukup. Terima kasih", "wa-2");
        state = await chat.CompleteAsync("Gateway_BantuanLain", "Tidak");
        var closing = Conversation.TaskOf(state, "Task_SalamPenutup")!.Value;
        closing.GetProperty("step").GetString().Should().Be("6");
        closing.GetProperty("script").GetString().Should().MatchRegex(@"^Terima kasih telah menghubungi Contact Center Pegadaian\. Selamat \w+( \w+)?\.$");
        await chat.CompleteAsync("Task_SalamPenutup");
        await chat.CompleteAsync("Gateway_Tertarik", "Tidak");
        state = await chat.CompleteAsync("Task_Dokumentasi");

        state.GetProperty("status").GetString().Should().Be("Completed");
        state.GetProperty("tasks").GetArrayLength().Should().Be(0);
        state.GetProperty("endedAt").ValueKind.Should().Be(JsonValueKind.String);

        var journal = await sari.GetJsonAsync($"{chat.Url}/journal");
        var events = journal.EnumerateArray().ToList();
        events.Select(e => e.GetProperty("sequence").GetInt64()).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        events[0].GetProperty("type").GetString().Should().Be("instance-started@1");
        events[0].GetProperty("actor").GetString().Should().Be("agent.sari");
        events[^1].GetProperty("type").GetString().Should().Be("instance-completed@1");
        events.Count(e => e.GetProperty("type").GetString() == "message-received@1").Should().Be(2);
        events.Should().Contain(e => e.GetProperty("type").GetString() == "work-item-completed@1" && e.GetProperty("outcome").GetString() == "Tidak");
        events[^1].GetProperty("sequence").GetInt64().Should().Be(state.GetProperty("version").GetInt64());

        var export = await sari.GetAsync($"{chat.Url}/journal/export");
        export.StatusCode.Should().Be(HttpStatusCode.OK);
        export.Content.Headers.ContentType!.MediaType.Should().Be("application/jsonl");
        export.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        var exported = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        exported.Should().HaveCount(events.Count);
        exported.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("sequence").GetInt64()).Should().Equal(events.Select(e => e.GetProperty("sequence").GetInt64()));

        // Quality control reads the whole history and changes nothing.
        using var qc = await server.ClientForAsync("qc.agus");
        (await qc.GetJsonAsync($"{chat.Url}/journal")).GetArrayLength().Should().Be(events.Count);

        // What was said: the agent's console and QC's replay read one projection and agree line for line.
        var said = await sari.GetJsonAsync($"{chat.Url}/conversation");
        said.GetProperty("lastSequence").GetInt64().Should().Be(events[^1].GetProperty("sequence").GetInt64());
        var lines = said.GetProperty("lines").EnumerateArray().ToList();
        lines.Where(l => l.GetProperty("kind").GetString() == "customer").Select(l => l.GetProperty("text").GetString())
            .Should().Equal("Halo, saya mau tanya cara gadai emas", "Tidak, sudah cukup. Terima kasih");
        lines.Should().Contain(l => l.GetProperty("kind").GetString() == "agent" && l.GetProperty("step").GetString() == "6"
            && l.GetProperty("text").GetString()!.StartsWith("Terima kasih telah menghubungi Contact Center Pegadaian.", StringComparison.Ordinal),
            "the closing script the agent read out is a line, with its SOP step");
        var replayed = (await qc.GetJsonAsync($"{chat.Url}/replay/steps")).GetProperty("replay").GetProperty("conversation");
        replayed.GetRawText().Should().Be(said.GetProperty("lines").GetRawText());
    }

    [Fact]
    public async Task Logging_EventsOfAnInstanceRequest_CarryTheInstanceId()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+62-logging");
        await chat.CompleteAsync("Task_SalamPembuka");
        var id = chat.Id.ToString();
        var request = server.Logs.OfCategory("Serilog.AspNetCore.RequestLoggingMiddleware")
            .Where(e => e.TryGetValue("RequestPath", out var path) && path!.EndsWith("/complete", StringComparison.Ordinal) && path.Contains(id, StringComparison.Ordinal))
            .Should().ContainSingle().Subject;
        request["InstanceId"].Should().Be(id);
        request["UserName"].Should().Be("agent.sari");
        request["StatusCode"].Should().Be("200");
        request["@l"].Should().Be("Debug", "an answer that went well and quickly does not fill the log at Information");
    }

    [Fact]
    public async Task Logging_UnknownInstanceMappedTo404_IsLoggedAs404NotAsAnError500()
    {
        using var qc = await server.ClientForAsync("qc.agus");
        var unknown = Guid.NewGuid().ToString();
        (await qc.GetAsync($"/api/instances/{unknown}/replay")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);

        var request = server.Logs.OfCategory("Serilog.AspNetCore.RequestLoggingMiddleware")
            .Where(e => e.TryGetValue("RequestPath", out var path) && path!.Contains(unknown, StringComparison.Ordinal))
            .Should().ContainSingle().Subject;
        request["StatusCode"].Should().Be("404");
        request["@l"].Should().Be("Information");
    }

    [Fact]
    public async Task Compression_JournalAskedWithGzip_IsCompressed_LiveEventsNever()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+62-gzip");
        await chat.CompleteAsync("Task_SalamPembuka");

        using var journal = new HttpRequestMessage(HttpMethod.Get, $"{chat.Url}/journal");
        journal.Headers.AcceptEncoding.ParseAdd("gzip");
        using var compressed = await sari.SendAsync(journal);
        compressed.Content.Headers.ContentEncoding.Should().Equal("gzip");
        await using (var gzip = new System.IO.Compression.GZipStream(await compressed.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress))
        {
            var events = await System.Text.Json.JsonDocument.ParseAsync(gzip);
            events.RootElement.GetArrayLength().Should().BeGreaterThan(3);
        }

        using var live = new HttpRequestMessage(HttpMethod.Get, "/api/live");
        live.Headers.AcceptEncoding.ParseAdd("gzip");
        using var stream = await sari.SendAsync(live, HttpCompletionOption.ResponseHeadersRead);
        stream.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        stream.Content.Headers.ContentEncoding.Should().BeEmpty("a compressor would hold live events back");
    }

    [Fact]
    public async Task CustomerMessage_RepeatedMessageId_ChangesNothing()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "live-chat");
        await chat.CompleteAsync("Task_SalamPembuka");
        var first = await chat.CustomerSaysAsync("Halo", "lc-dup-1");
        var again = await chat.CustomerSaysAsync("Halo", "lc-dup-1");
        again.GetProperty("version").GetInt64().Should().Be(first.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task List_Agent_SeesOnlyOwnConversations_AndAsksForOthersIs403()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        using var budi = await server.ClientForAsync("agent.budi");
        var sariChat = await Conversation.StartAsync(sari, "social-media", "@sari-customer");
        var budiChat = await Conversation.StartAsync(budi, "email", "budi@example.test");

        var budiList = (await budi.GetJsonAsync("/api/instances?limit=500")).EnumerateArray().ToList();
        budiList.Should().Contain(i => i.GetProperty("id").GetGuid() == budiChat.Id);
        budiList.Should().OnlyContain(i => i.GetProperty("agent").GetString() == "agent.budi");

        await (await budi.GetAsync("/api/instances?agent=agent.sari")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await budi.GetAsync(sariChat.Url)).ProblemAsync(HttpStatusCode.Forbidden);

        using var leader = await server.ClientForAsync("leader.rina");
        var filtered = (await leader.GetJsonAsync("/api/instances?agent=agent.sari&channel=social-media&status=Running")).EnumerateArray().ToList();
        filtered.Should().Contain(i => i.GetProperty("id").GetGuid() == sariChat.Id);
        filtered.Should().OnlyContain(i => i.GetProperty("channel").GetString() == "social-media" && i.GetProperty("agent").GetString() == "agent.sari");
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        (await leader.GetJsonAsync($"/api/instances?from={future}")).GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Cancel_ByTeamLeader_EndsTheConversation_QcCannot()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "inbound-call");
        using var qc = await server.ClientForAsync("qc.agus");
        await (await qc.PostAsync($"{chat.Url}/cancel", System.Net.Http.Json.JsonContent.Create(new { reason = "test" }))).ProblemAsync(HttpStatusCode.Forbidden);

        using var leader = await server.ClientForAsync("leader.rina");
        var cancelled = await leader.PostJsonAsync($"{chat.Url}/cancel", new { reason = "customer hung up" });
        cancelled.GetProperty("status").GetString().Should().Be("Cancelled");
        cancelled.GetProperty("endReason").GetString().Should().Be("customer hung up");
        await (await leader.PostAsync($"{chat.Url}/cancel", System.Net.Http.Json.JsonContent.Create(new { reason = "again" }))).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CalendarAndGreetings_AnswerFromTheWorkflowsCalendar()
    {
        using var client = await server.ClientForAsync("agent.budi");
        var holidays = await client.GetJsonAsync("/api/calendar/holidays?year=2026");
        holidays.GetProperty("covered").GetBoolean().Should().BeTrue();
        holidays.GetProperty("holidays").EnumerateArray().Should().Contain(h => h.GetProperty("date").GetString() == "2026-08-17" && h.GetProperty("kind").GetString() == "NationalHoliday");
        (await client.GetJsonAsync("/api/calendar/holidays?year=2031")).GetProperty("covered").GetBoolean().Should().BeFalse();

        var morning = await client.GetJsonAsync("/api/greetings/preview?at=" + Uri.EscapeDataString("2026-03-02T09:00:00+07:00"));
        morning.GetProperty("salamPembuka").GetString().Should().Be("Selamat pagi");
        morning.GetProperty("salamPenutup").GetString().Should().Be("Selamat beraktifitas");
        var night = await client.GetJsonAsync("/api/greetings/preview?at=" + Uri.EscapeDataString("2026-03-02T21:00:00+07:00"));
        night.GetProperty("salamPenutup").GetString().Should().Be("Selamat beristirahat");
        night.GetProperty("localTime").GetString().Should().Be("2026-03-02T21:00:00");
    }
}
