using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary>Exact replay of histories stored in SQLite and of JSON Lines exports, and tampering caught at the right sequence number.</summary>
public sealed class InstanceReplayerTests
{
    [Fact]
    public async Task Verify_ConversationAndItsTicket_MatchTheirJournals()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        await fixture.StartAsync();
        var conversation = await RunLiveChatAsync(fixture);
        var replayer = fixture.Host!.Services.GetRequiredService<InstanceReplayer>();

        var report = await replayer.VerifyAsync(conversation.Id);

        report.Matches.Should().BeTrue(report.Replay.Divergence?.Reason);
        report.Replay.EventsChecked.Should().Be(report.Replay.EventsInJournal).And.BeGreaterThan(10);
        report.PinnedVersions.Keys.Should().Contain(["live-chat", "still-connected"]);
    }

    [Fact]
    public async Task Verify_RowTamperedInTheDatabase_DivergesAtThatSequence()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        await fixture.StartAsync();
        var conversation = await RunLiveChatAsync(fixture);
        var journal = await fixture.Runtime.ReadJournalAsync(conversation.Id);
        var prompt = journal.OfType<PromptSent>().First();

        await ExecuteAsync(fixture, "UPDATE journal_events SET json = replace(json, 'terhubung', 'TERHUBUNG') WHERE sequence = $s AND type = 'prompt-sent@1'", prompt.Sequence);

        var report = await fixture.Host!.Services.GetRequiredService<InstanceReplayer>().VerifyAsync(conversation.Id);
        report.Matches.Should().BeFalse();
        report.Replay.Divergence!.Sequence.Should().Be(prompt.Sequence);
        report.Replay.Divergence.Expected.Should().Contain("TERHUBUNG");
        report.Replay.Divergence.Actual.Should().Contain("terhubung");
    }

    [Fact]
    public async Task Verify_RowThatNoLongerParses_OrASnapshotThatDisagrees_IsCaught()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        await fixture.StartAsync();
        var conversation = await RunLiveChatAsync(fixture);
        var replayer = fixture.Host!.Services.GetRequiredService<InstanceReplayer>();

        await ExecuteAsync(fixture, "UPDATE instances SET snapshot = replace(snapshot, '\"terhubung\"', '\"putus\"')", 0);
        var snapshotReport = await replayer.VerifyAsync(conversation.Id);
        snapshotReport.Replay.Matches.Should().BeTrue();
        snapshotReport.SnapshotMatches.Should().BeFalse();

        await ExecuteAsync(fixture, "UPDATE journal_events SET json = '{\"type\":\"no-such-event@9\"}' WHERE sequence = $s", 3);
        var rowReport = await replayer.VerifyAsync(conversation.Id);
        rowReport.Replay.Divergence!.Sequence.Should().Be(3);
        rowReport.Replay.Divergence.Reason.Should().Contain("does not parse");
    }

    [Fact]
    public async Task VerifyExport_JsonLines_MatchesAndATamperedLineIsCaught()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        await fixture.StartAsync();
        var conversation = await RunLiveChatAsync(fixture);
        var replayer = fixture.Host!.Services.GetRequiredService<InstanceReplayer>();
        var export = JournalSerializer.ToJsonLines(await fixture.Runtime.ReadJournalAsync(conversation.Id));

        (await replayer.VerifyExportAsync(export)).Matches.Should().BeTrue();

        var lines = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.FindIndex(lines, l => l.Contains("\"work-item-completed@1\"", StringComparison.Ordinal));
        lines[index] = lines[index].Replace("\"actor\":\"agent.sari\"", "\"actor\":\"agent.lain\"", StringComparison.Ordinal);
        var report = await replayer.VerifyExportAsync(string.Join('\n', lines));
        // The tampered input is replayed as recorded; the events it caused still name the real
        // actor, so the replay parts from the journal right after it.
        report.Replay.Divergence!.Sequence.Should().BeInRange(index + 1, index + 3);
        report.Replay.Divergence.Expected.Should().Contain("agent.sari");
        report.Replay.Divergence.Actual.Should().Contain("agent.lain");
    }

    /// <summary>A live chat: greeting, the silence ladder's first rung fired by hand and the agent's question, the customer's reply, the next step.</summary>
    private static async Task<InstanceRecord> RunLiveChatAsync(RuntimeFixture fixture)
    {
        var runtime = fixture.Runtime;
        var chat = await runtime.StartAsync(new StartRequest { DefinitionKey = "live-chat", Channel = "live-chat", CustomerRef = "c-42", Agent = "agent.sari", Actor = "agent.sari" });
        var state = await runtime.GetStateAsync(chat.Id);
        await runtime.CompleteWorkItemAsync(chat.Id, state.WorkItems[0].Id, null, null, "agent.sari");
        state = await runtime.GetStateAsync(chat.Id);
        state.Timers.Should().NotBeEmpty("the greeting starts the silence ladder");
        fixture.Clock.AdvanceTo(state.Timers[0].DueAt);
        await runtime.FireAsync(chat.Id, state.Timers[0].Id);
        state = await runtime.GetStateAsync(chat.Id);
        await runtime.CompleteWorkItemAsync(chat.Id, state.WorkItems.Single(w => w.Step == "2a").Id, null, null, "agent.sari");
        await runtime.DeliverMessageAsync(chat.Id, "Halo, masih", "m-1", "c-42");
        state = await runtime.GetStateAsync(chat.Id);
        await runtime.CompleteWorkItemAsync(chat.Id, state.WorkItems[0].Id, null, null, "agent.sari");

        (await runtime.ReadJournalAsync(chat.Id)).OfType<PromptSent>().Should().NotBeEmpty("the silence prompt was sent");
        return await runtime.GetAsync(chat.Id);
    }

    private static async Task ExecuteAsync(RuntimeFixture fixture, string sql, long sequence)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(fixture.DataFolder, "contactcenter.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$s", sequence);
        (await command.ExecuteNonQueryAsync()).Should().BeGreaterThan(0, "the tampering touched a row");
    }
}
