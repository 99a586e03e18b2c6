using System.Text;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Simulation;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Samples;

/// <summary>
/// Every sample under samples/conversations/ against the committed workflows: it passes its own
/// expectations, its journal equals the golden file byte for byte, the golden journal folds to the
/// live final state, and a second run gives the same journal. Regenerate the golden files only on
/// purpose: <c>UPDATE_GOLDEN=1 dotnet test --filter GoldenJournalTests</c>, then review the diff.
/// </summary>
public class GoldenJournalTests
{
    public static TheoryData<string> Samples() => SampleCatalog.All();

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_MeetsItsExpectations(string name)
    {
        var result = SampleCatalog.Run(name);

        result.Error.Should().BeNull(SimulationReport.Format(result));
        result.Expectations.Should().NotBeEmpty("every sample carries an expect block");
        result.Expectations.Where(e => !e.Passed).Should().BeEmpty(SimulationReport.Format(result));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_JournalEqualsGoldenFile(string name)
    {
        var result = SampleCatalog.Run(name);
        var text = JournalSerializer.ToJsonArray(result.Journal) + "\n";
        var path = SampleCatalog.GoldenPath(name);
        if (SampleCatalog.UpdateGolden)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text, new UTF8Encoding(false));
        }

        File.Exists(path).Should().BeTrue($"{path} is missing; generate it on purpose with UPDATE_GOLDEN=1 and review it");
        var golden = File.ReadAllBytes(path);
        golden.Should().Equal(new UTF8Encoding(false).GetBytes(text), $"the journal of {name} changed; if that is intended, regenerate with UPDATE_GOLDEN=1 and review the diff");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_GoldenJournalFoldsToLiveState(string name)
    {
        var result = SampleCatalog.Run(name);
        var golden = JournalSerializer.FromJsonArray(File.ReadAllText(SampleCatalog.GoldenPath(name), Encoding.UTF8));

        WorkflowEngine.Fold(golden).ToJson().Should().Be(result.State.ToJson());
        JournalSerializer.ToJsonArray(golden).Should().Be(JournalSerializer.ToJsonArray(result.Journal));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_RunTwice_GivesIdenticalJournals(string name)
    {
        var script = SampleCatalog.Script(name);
        var first = new Simulator(SampleCatalog.Engine).Run(script);
        var second = new Simulator(SampleCatalog.Engine).Run(script);

        JournalSerializer.ToJsonLines(second.Journal).Should().Be(JournalSerializer.ToJsonLines(first.Journal));
        second.State.ToJson().Should().Be(first.State.ToJson());
        SimulationReport.Format(second).Should().Be(SimulationReport.Format(first));
    }

    [Fact]
    public void GoldenFolder_HasNoOrphans()
    {
        var samples = SampleCatalog.Names().ToHashSet(StringComparer.Ordinal);
        var golden = Directory.Exists(SampleCatalog.GoldenRoot)
            ? Directory.EnumerateFiles(SampleCatalog.GoldenRoot, "*.journal.json", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(SampleCatalog.GoldenRoot, f).Replace('\\', '/')[..^".journal.json".Length])
            : [];

        golden.Where(g => !samples.Contains(g)).Should().BeEmpty("a golden journal without its sample is stale");
    }

    [Theory]
    [InlineData("inbound-call", new[] { "happy-path", "more-help-loop", "cross-selling-accepted", "complaint-ticket" })]
    [InlineData("email", new[] { "happy-path", "more-help-loop", "cross-selling-accepted", "complaint-ticket" })]
    [InlineData("live-chat", new[] { "happy-path", "more-help-loop", "cross-selling-accepted", "complaint-ticket", "reply-after-first-prompt", "silence-closes-chat" })]
    [InlineData("whatsapp", new[] { "happy-path", "more-help-loop", "cross-selling-accepted", "complaint-ticket", "reply-after-first-prompt", "silence-closes-chat" })]
    [InlineData("social-media", new[] { "happy-path", "more-help-loop", "cross-selling-accepted", "complaint-ticket", "reply-after-first-prompt", "silence-closes-chat" })]
    [InlineData("outlet-reservation", new[] { "confirmed", "alternative-accepted", "alternative-declined-rebooked", "more-help-loop" })]
    public void EveryChannel_HasItsSamples(string flow, string[] samples)
    {
        SampleCatalog.Names().Where(n => n.StartsWith(flow + "/", StringComparison.Ordinal)).Should().Contain(samples.Select(s => $"{flow}/{s}"));
        foreach (var sample in samples)
        {
            SampleCatalog.Script($"{flow}/{sample}").Workflow.Should().Be(flow);
        }
    }
}
