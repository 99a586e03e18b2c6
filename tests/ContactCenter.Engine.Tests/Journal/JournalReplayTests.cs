using System.Text.Json.Nodes;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Tests.Samples;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Journals;

/// <summary>Exact replay on every sample's golden journal, and the divergences a tampered journal or a changed definition show.</summary>
public class JournalReplayTests
{
    public static TheoryData<string> Samples() => SampleCatalog.All();

    private static IReadOnlyList<WorkflowEvent> Golden(string name) => JournalSerializer.FromJsonArray(File.ReadAllText(SampleCatalog.GoldenPath(name)));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Replay_GoldenJournal_MatchesEveryEvent(string name)
    {
        var journal = Golden(name);

        var report = JournalReplay.Verify(SampleCatalog.Engine.Definitions, journal);

        report.Divergence.Should().BeNull();
        report.EventsChecked.Should().Be(journal.Count);
        report.CommandsReplayed.Should().BeGreaterThan(1);
    }

    [Fact]
    public void Replay_PromptTextTampered_DivergesAtThatEvent()
    {
        var journal = Golden("live-chat/silence-closes-chat").ToList();
        var index = journal.FindIndex(e => e is PromptSent);
        var prompt = (PromptSent)journal[index];
        journal[index] = Reparse(prompt, o => o["text"] = "Terima kasih, chat ditutup.");

        var report = JournalReplay.Verify(SampleCatalog.Engine.Definitions, journal);

        report.Divergence!.Sequence.Should().Be(prompt.Sequence);
        report.Divergence.Expected.Should().Contain("Terima kasih, chat ditutup.");
        report.Divergence.Actual.Should().Contain(prompt.Text);
        report.EventsChecked.Should().Be(index);
    }

    [Fact]
    public void Replay_OutcomeChanged_DivergesWhereThePathSplits()
    {
        var journal = Golden("whatsapp/complaint-ticket").ToList();
        var index = journal.FindIndex(e => e is WorkItemCompleted { Outcome: "Ya" });
        var completed = (WorkItemCompleted)journal[index];
        journal[index] = completed with { Outcome = "Tidak" };

        var report = JournalReplay.Verify(SampleCatalog.Engine.Definitions, journal);

        report.Matches.Should().BeFalse();
        report.Divergence!.Sequence.Should().BeGreaterThan(completed.Sequence, "the recorded input is replayed as recorded; what it leads to no longer matches");
    }

    [Fact]
    public void Replay_EventRemoved_IsAGap()
    {
        var journal = Golden("inbound-call/happy-path").ToList();
        journal.RemoveAt(5);

        var report = JournalReplay.Verify(SampleCatalog.Engine.Definitions, journal);

        report.Divergence!.Sequence.Should().BeLessThanOrEqualTo(7);
        report.Matches.Should().BeFalse();
    }

    [Fact]
    public void Replay_JournalCutShort_Diverges_AndAnExtraEventToo()
    {
        var journal = Golden("live-chat/silence-closes-chat").ToList();

        var cut = JournalReplay.Verify(SampleCatalog.Engine.Definitions, journal.Take(journal.Count - 1).ToList());
        cut.Divergence!.Expected.Should().BeNull();
        cut.Divergence.Reason.Should().Contain("more events than the journal");

        var extra = journal.Append(Reparse(journal[^1], o => o["sequence"] = journal.Count + 1)).ToList();
        JournalReplay.Verify(SampleCatalog.Engine.Definitions, extra).Divergence!.Sequence.Should().Be(journal.Count + 1);
    }

    [Fact]
    public void Replay_AgainstAChangedDefinition_ShowsWhereItBehavesDifferently()
    {
        var journal = Golden("live-chat/silence-closes-chat");
        var changed = Driver.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "workflows", "still-connected.bpmn"))
            .Replace("Apakah saat ini Bapak/Ibu masih terhubung dengan kami?", "Halo, masih di sana?", StringComparison.Ordinal));
        var definitions = new DefinitionSet(SampleCatalog.Engine.Definitions.Definitions.Where(d => d.Key != "still-connected").Append(changed));

        var report = JournalReplay.Verify(definitions, journal);

        report.Divergence!.Actual.Should().Contain("Halo, masih di sana?");
        report.Divergence.Expected.Should().Contain("Apakah saat ini Bapak/Ibu masih terhubung dengan kami?");
    }

    [Fact]
    public void PinnedVersions_AreTheStartAndEveryCalledFlow()
    {
        var pinned = JournalReplay.PinnedVersionsOf(Golden("live-chat/silence-closes-chat"));

        pinned.Keys.Should().BeEquivalentTo(["live-chat", "still-connected"]);
    }

    private static WorkflowEvent Reparse(WorkflowEvent e, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(JournalSerializer.Serialize(e))!.AsObject();
        change(node);
        return JournalSerializer.Deserialize(node.ToJsonString());
    }
}
