using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.Server.Tests.Tickets;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Conversations;

/// <summary>
/// The documentation step (SOP §6.5, §6.11) asks the contact's category and product, a summary and
/// OOT; the ticket number is filled from the conversation when it raised one. What was recorded is
/// journaled with the completion, counted on the dashboard and shown in QC's replay.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DocumentationTests(ServerFixture server)
{
    [Fact]
    public async Task Documentation_WithoutItsFields_IsRefused_NamingEachField()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var chat = await AtDocumentationAsync(sari, "email", "doc-missing@example.com");
        var (task, version) = await DocumentationTaskAsync(chat);
        task.GetProperty("fields").EnumerateArray().Select(f => f.GetString()).Should().Equal("kategoriKontak", "produk", "ringkasan", "oot");
        task.GetProperty("fieldChoices").GetProperty("oot").EnumerateArray().Select(f => f.GetString()).Should().Equal("Ya", "Tidak");
        task.GetProperty("fieldChoices").GetProperty("kategoriKontak").EnumerateArray().Select(f => f.GetString()).Should().Contain("Transaksi");

        var empty = await (await sari.PostAsJsonAsync($"{chat.Url}/tasks/{task.GetProperty("id").GetInt64()}/complete", new { expectedVersion = version })).ProblemAsync(HttpStatusCode.BadRequest);
        var errors = empty.GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo("data.kategoriKontak", "data.produk", "data.ringkasan", "data.oot");
        errors.GetProperty("data.oot")[0].GetString().Should().StartWith("oot: ").And.Contain("Ya or Tidak");

        var wrong = await (await sari.PostAsJsonAsync($"{chat.Url}/tasks/{task.GetProperty("id").GetInt64()}/complete", new
        {
            expectedVersion = version,
            data = new { kategoriKontak = "Gosip", produk = "Gadai", ringkasan = "x", oot = "mungkin", nomorTiket = "T-1" },
        })).ProblemAsync(HttpStatusCode.BadRequest);
        errors = wrong.GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo("data.kategoriKontak", "data.oot", "data.nomorTiket");
        errors.GetProperty("data.kategoriKontak")[0].GetString().Should().Be("kategoriKontak: 'Gosip' is not a contact category (one of Transaksi, Layanan, Produk, Aplikasi, Lainnya)");
        errors.GetProperty("data.nomorTiket")[0].GetString().Should().Contain("raised no ticket");
        (await chat.StateAsync()).GetProperty("status").GetString().Should().Be("Running", "a refused completion changes nothing");
    }

    [Fact]
    public async Task Documentation_IsJournaled_Counted_AndShownToQc_WithTheTicketRaised()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        using var tier2 = await server.ClientForAsync("tier2.dewi");
        using var leader = await server.ClientForAsync("leader.rina");
        using var qc = await server.ClientForAsync("qc.agus");
        var (chat, ticketId) = await TicketApiTests.RaiseComplaintAsync(sari, tier2, "+6281255500001");
        var date = await LocalDateAsync(chat);
        var before = await leader.GetJsonAsync($"/api/dashboard/overview?date={date}");

        await FinishToDocumentationAsync(chat);
        var done = await chat.CompleteAsync("Task_Dokumentasi", data: new { kategoriKontak = "Transaksi", produk = " Tabungan Emas ", ringkasan = "Saldo tidak bertambah; tiket dibuat", oot = true });

        done.GetProperty("status").GetString().Should().Be("Completed");
        var completed = (await sari.GetJsonAsync($"{chat.Url}/journal")).EnumerateArray().Last(e => e.GetProperty("type").GetString() == "work-item-completed@1");
        var data = completed.GetProperty("data");
        data.GetProperty("kategoriKontak").GetString().Should().Be("Transaksi");
        data.GetProperty("produk").GetString().Should().Be("Tabungan Emas", "text is journaled trimmed");
        data.GetProperty("oot").GetString().Should().Be("Ya", "a boolean is journaled as the SOP's word");
        data.GetProperty("nomorTiket").GetString().Should().Be(ticketId.ToString(), "the ticket the conversation raised is filled in");

        var after = await leader.GetJsonAsync($"/api/dashboard/overview?date={date}");
        Documented(before, "whatsapp").Should().Be(Documented(after, "whatsapp") - 1);
        OutOfTopic(before, "whatsapp").Should().Be(OutOfTopic(after, "whatsapp") - 1);
        Category(before, "whatsapp", "Transaksi").Should().Be(Category(after, "whatsapp", "Transaksi") - 1);
        var reasons = after.GetProperty("today").GetProperty("reasons");
        reasons.GetProperty("outOfTopicShare").GetDouble().Should().BeApproximately((double)reasons.GetProperty("outOfTopic").GetInt32() / reasons.GetProperty("documented").GetInt32(), 0.0001);

        var facts = (await qc.GetJsonAsync($"{chat.Url}/replay/steps")).GetProperty("instance").GetProperty("documentation");
        facts.GetProperty("category").GetString().Should().Be("Transaksi");
        facts.GetProperty("product").GetString().Should().Be("Tabungan Emas");
        facts.GetProperty("outOfTopic").GetBoolean().Should().BeTrue();
        facts.GetProperty("ticketNumber").GetString().Should().Be(ticketId.ToString());
    }

    [Fact]
    public async Task Documentation_NamingAnotherTicket_IsRefused()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        using var tier2 = await server.ClientForAsync("tier2.dewi");
        var (chat, ticketId) = await TicketApiTests.RaiseComplaintAsync(sari, tier2, "+6281255500002");
        await FinishToDocumentationAsync(chat);
        var (task, version) = await DocumentationTaskAsync(chat);

        var problem = await (await sari.PostAsJsonAsync($"{chat.Url}/tasks/{task.GetProperty("id").GetInt64()}/complete", new
        {
            expectedVersion = version,
            data = new { kategoriKontak = "Transaksi", produk = "Gadai", ringkasan = "x", oot = "Tidak", nomorTiket = Guid.NewGuid().ToString() },
        })).ProblemAsync(HttpStatusCode.BadRequest);

        problem.GetProperty("errors").GetProperty("data.nomorTiket")[0].GetString().Should().Contain($"raised ticket {ticketId}");
    }

    private static async Task<Conversation> AtDocumentationAsync(HttpClient agent, string channel, string customer)
    {
        var chat = await Conversation.StartAsync(agent, channel, customer);
        await chat.CompleteAsync("Task_SalamPembuka");
        await chat.CompleteAsync("Task_Verifikasi");
        await chat.CompleteAsync("Task_Identifikasi");
        await chat.CompleteAsync("Task_Solusi");
        await chat.CompleteAsync("Gateway_PerluTiket", "Tidak");
        await FinishToDocumentationAsync(chat);
        return chat;
    }

    /// <summary>From after the complaint decision to the open documentation step, whatever the channel puts between.</summary>
    private static async Task FinishToDocumentationAsync(Conversation chat)
    {
        for (var i = 0; i < 20; i++)
        {
            var state = await chat.StateAsync();
            var task = state.GetProperty("tasks").EnumerateArray().FirstOrDefault();
            if (task.ValueKind != JsonValueKind.Object)
            {
                // A chat waits for the customer's answer after the offer of more help.
                state.GetProperty("status").GetString().Should().Be("Running");
                await chat.CustomerSaysAsync("Tidak, sudah cukup", $"{chat.Id:N}-{i}");
                continue;
            }

            if (task.GetProperty("purposes").EnumerateArray().Any(p => p.GetString() == "documentation"))
            {
                return;
            }

            var outcomes = task.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()).ToList();
            await chat.CompleteAsync(task.GetProperty("elementId").GetString()!, outcomes.Count == 0 ? null : outcomes.Contains("Tidak") ? "Tidak" : outcomes[^1]);
        }
    }

    private static async Task<(JsonElement Task, long Version)> DocumentationTaskAsync(Conversation chat)
    {
        var state = await chat.StateAsync();
        return (Conversation.TaskOf(state, "Task_Dokumentasi")!.Value, state.GetProperty("version").GetInt64());
    }

    private static async Task<string> LocalDateAsync(Conversation chat)
    {
        var started = (await chat.StateAsync()).GetProperty("startedAt").GetDateTimeOffset();
        return TimeZoneInfo.ConvertTime(started, TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta")).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static JsonElement? ChannelOf(JsonElement overview, string channel) =>
        overview.GetProperty("today").GetProperty("reasons").GetProperty("channels").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(c => c!.Value.GetProperty("channel").GetString() == channel);

    private static int Documented(JsonElement overview, string channel) => ChannelOf(overview, channel)?.GetProperty("documented").GetInt32() ?? 0;

    private static int OutOfTopic(JsonElement overview, string channel) => ChannelOf(overview, channel)?.GetProperty("outOfTopic").GetInt32() ?? 0;

    private static int Category(JsonElement overview, string channel, string category) =>
        ChannelOf(overview, channel)?.GetProperty("categories").EnumerateArray().Where(c => c.GetProperty("category").GetString() == category).Select(c => c.GetProperty("count").GetInt32()).FirstOrDefault() ?? 0;
}
