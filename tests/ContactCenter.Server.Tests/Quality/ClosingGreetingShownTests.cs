using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Server.Tests.Quality;

/// <summary>
/// The closing greeting is scored on what the agent was shown (issue 14 item 5): the console renders
/// the script again each minute, so a closing step opened at 17:59 says "Selamat beristirahat" at
/// 18:01. The journal keeps the script on the screen at completion when it is not the one the step
/// opened with, and the scorecard judges that. The server's clock is fixed (Monday 2 March 2026, Jakarta).
/// </summary>
public sealed class ClosingGreetingShownTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cc-closing-");

    [Theory]
    [InlineData(17, 59, 2, "Selamat beraktifitas", "Selamat beristirahat")]
    [InlineData(5, 59, 1, "Selamat beristirahat", "Selamat beraktifitas")]
    public async Task A_closing_done_after_the_greeting_changed_is_journaled_as_shown_and_passes(int hour, int minute, int waitMinutes, string opened, string shown)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, hour, minute, 0, TimeSpan.FromHours(7)));
        await using var server = Server(clock);
        using var sari = await server.SignedInClientAsync("agent.sari");
        var (chat, closing) = await ToTheClosingAsync(sari);
        closing.GetProperty("script").GetString().Should().EndWith($"{opened}.");

        clock.Advance(TimeSpan.FromMinutes(waitMinutes));
        var before = await chat.StateAsync();
        Conversation.TaskOf(before, "Task_SalamPenutup")!.Value.GetProperty("script").GetString().Should().EndWith($"{shown}.", "the console shows the script of this minute");
        await chat.CompleteAsync("Task_SalamPenutup");

        var journal = (await sari.GetJsonAsync($"{chat.Url}/journal")).EnumerateArray().ToList();
        var created = journal.Single(e => e.GetProperty("type").GetString() == "work-item-created@1" && e.GetProperty("elementId").GetString() == "Task_SalamPenutup");
        created.GetProperty("script").GetString().Should().EndWith($"{opened}.", "the journal keeps what the step opened with");
        var annotation = journal.Should().ContainSingle(e => e.GetProperty("type").GetString() == "annotated@1").Subject;
        annotation.GetProperty("kind").GetString().Should().Be("script-shown");
        annotation.GetProperty("data").GetProperty("workItem").GetInt64().Should().Be(created.GetProperty("workItemId").GetInt64());
        annotation.GetProperty("data").GetProperty("script").GetString().Should().EndWith($"{shown}.");
        annotation.GetProperty("actor").GetString().Should().Be("agent.sari");
        var completed = journal.Single(e => e.GetProperty("type").GetString() == "work-item-completed@1" && e.GetProperty("workItemId").GetInt64() == created.GetProperty("workItemId").GetInt64());
        completed.GetProperty("sequence").GetInt64().Should().Be(annotation.GetProperty("sequence").GetInt64() + 1, "the annotation is committed with the completion");

        var rule = await ClosingRuleAsync(server, chat);
        rule.GetProperty("outcome").GetString().Should().Be("Passed", "the agent read out the greeting right for the minute they said it");
        rule.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("what").GetString()).Should().Contain(w => w!.StartsWith("script on the screen when done: ", StringComparison.Ordinal) && w.Contains(shown, StringComparison.Ordinal));
        using var qc = await server.SignedInClientAsync("qc.agus");
        (await qc.GetJsonAsync($"{chat.Url}/replay")).GetProperty("matches").GetBoolean().Should().BeTrue("the annotation replays like any other");
    }

    [Fact]
    public async Task A_closing_done_in_the_minute_it_opened_adds_nothing_to_the_journal()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(7)));
        await using var server = Server(clock);
        using var sari = await server.SignedInClientAsync("agent.sari");
        var (chat, _) = await ToTheClosingAsync(sari);
        clock.Advance(TimeSpan.FromMinutes(3));

        await chat.CompleteAsync("Task_SalamPenutup");

        (await sari.GetJsonAsync($"{chat.Url}/journal")).EnumerateArray().Should().NotContain(e => e.GetProperty("type").GetString() == "annotated@1");
        (await ClosingRuleAsync(server, chat)).GetProperty("outcome").GetString().Should().Be("Passed");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on the way out; the temp folder is cleaned by the OS.
        }
    }

    private ServerFactory Server(FakeTimeProvider clock) =>
        new(Path.Combine(_folder.FullName, "data"), services => services.AddSingleton<TimeProvider>(clock), runScheduler: false);

    /// <summary>A WhatsApp conversation up to its open closing step.</summary>
    private static async Task<(Conversation Chat, JsonElement Closing)> ToTheClosingAsync(HttpClient agent)
    {
        var chat = await Conversation.StartAsync(agent, "whatsapp", "+6281222333444");
        await chat.CompleteAsync("Task_SalamPembuka");
        await chat.CustomerSaysAsync("Halo, saya mau tanya cara gadai emas", "closing-1");
        await chat.CompleteAsync("Task_Verifikasi");
        await chat.CompleteAsync("Task_Identifikasi");
        await chat.CompleteAsync("Task_Solusi");
        await chat.CompleteAsync("Gateway_PerluTiket", "Tidak");
        await chat.CompleteAsync("Task_TawarkanBantuan");
        await chat.CustomerSaysAsync("Tidak, sudah cukup. Terima kasih", "closing-2");
        var state = await chat.CompleteAsync("Gateway_BantuanLain", "Tidak");
        return (chat, Conversation.TaskOf(state, "Task_SalamPenutup")!.Value);
    }

    private static async Task<JsonElement> ClosingRuleAsync(ServerFactory server, Conversation chat)
    {
        using var qc = await server.SignedInClientAsync("qc.agus");
        var scorecard = await qc.GetJsonAsync($"/api/instances/{chat.Id}/scorecard");
        return scorecard.GetProperty("scorecard").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetProperty("id").GetString() == "closing-greeting");
    }
}
