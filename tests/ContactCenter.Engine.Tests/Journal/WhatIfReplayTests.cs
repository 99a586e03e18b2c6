using System.Text;
using System.Xml.Linq;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Tests.Samples;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Journals;

/// <summary>What-if replay of the golden journals against the same and against changed definitions.</summary>
public class WhatIfReplayTests
{
    /// <summary>How the shipped flows record a silence close and a ticket (the quality module's words, not the engine's).</summary>
    private static readonly WhatIfOptions Shipped = new() { SilenceVariable = "terhubung", TicketServiceKind = "createTicket" };

    private static readonly XNamespace BpmnNs = Bpmn.Model;

    public static TheoryData<string> Samples() => SampleCatalog.All();

    private static IReadOnlyList<WorkflowEvent> Golden(string name) => JournalSerializer.FromJsonArray(File.ReadAllText(SampleCatalog.GoldenPath(name)));

    /// <summary>Every repo workflow, with <paramref name="file"/> changed by <paramref name="change"/> (as version 2).</summary>
    private static DefinitionSet Candidate(string file, Func<string, string> change)
    {
        var set = new DefinitionSet();
        foreach (var path in Directory.EnumerateFiles(RepoPaths.Workflows, "*.bpmn").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(path, Encoding.UTF8);
            if (Path.GetFileName(path) == file)
            {
                text = change(text);
            }

            var parsed = BpmnParser.Parse(text, Path.GetFileName(path));
            parsed.IsValid.Should().BeTrue(string.Join("\n", parsed.Problems));
            set.Add(parsed.Definition!, Path.GetFileName(path) == file ? 2 : 1);
        }

        return set;
    }

    private static string LongerSilence(string bpmn) => bpmn.Replace(">PT1M<", ">PT2M<", StringComparison.Ordinal);

    /// <summary>live-chat without Task_Verifikasi: the flow from "masih terhubung?" goes straight to the identification merge.</summary>
    private static string WithoutVerification(string bpmn)
    {
        var doc = XDocument.Parse(bpmn);
        doc.Descendants(BpmnNs + "userTask").Single(e => (string?)e.Attribute("id") == "Task_Verifikasi").Remove();
        doc.Descendants(BpmnNs + "sequenceFlow").Single(e => (string?)e.Attribute("id") == "Flow_Verifikasi_GwMergeIdentifikasi").Remove();
        doc.Descendants(BpmnNs + "sequenceFlow").Single(e => (string?)e.Attribute("id") == "Flow_GwTerhubung1_Verifikasi").SetAttributeValue("targetRef", "Gateway_MergeIdentifikasi");
        foreach (var reference in doc.Descendants().Where(e => e.Value is "Task_Verifikasi" or "Flow_Verifikasi_GwMergeIdentifikasi" && !e.HasElements).ToList())
        {
            reference.Remove();
        }

        var merge = doc.Descendants(BpmnNs + "exclusiveGateway").Single(e => (string?)e.Attribute("id") == "Gateway_MergeIdentifikasi");
        merge.AddFirst(new XElement(BpmnNs + "incoming", "Flow_GwTerhubung1_Verifikasi"));
        foreach (var di in doc.Descendants().Where(e => (string?)e.Attribute("bpmnElement") is "Task_Verifikasi" or "Flow_Verifikasi_GwMergeIdentifikasi").ToList())
        {
            di.Remove();
        }

        return doc.ToString();
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Run_SameDefinitions_NoDivergenceNoShiftNoMisfit(string name)
    {
        var journal = Golden(name);

        var report = WhatIfReplay.Run(SampleCatalog.Engine.Definitions, journal, Shipped);

        report.Divergence.Should().BeNull();
        report.Misfits.Should().BeEmpty();
        report.OutcomeShifted.Should().BeFalse();
        report.Candidate.Should().Be(report.Original);
        WhatIfReplay.PathOf(report.CandidateJournal).Select(s => s.ToString())
            .Should().Equal(WhatIfReplay.PathOf(journal).Select(s => s.ToString()));
    }

    [Fact]
    public void Run_LongerSilenceOnSilentChat_ClosesLater_DocumentationNoLongerFits()
    {
        var journal = Golden("live-chat/silence-closes-chat");

        var report = WhatIfReplay.Run(Candidate("still-connected.bpmn", LongerSilence), journal, Shipped);

        report.Original.Status.Should().Be(InstanceStatus.Completed);
        report.Original.SilenceClosedAt.Should().Be(journal[0].At.AddMinutes(3));
        report.Candidate.ClosedBySilence.Should().BeTrue();
        report.Candidate.SilenceClosedAt.Should().Be(journal[0].At.AddMinutes(6), "two-minute waits: prompts at +2 and +4, the close at +6");
        report.CandidateJournal.OfType<PromptSent>().Should().BeEmpty("the agent clicked at +01:00 and +02:00, before the candidate's steps were open");

        // The agent asked at +01:00 and +02:00 and documented at +04:00; in the candidate the
        // question is not due before +02:00, and the chat is still waiting at +04:00.
        report.Misfits.Select(m => m.ElementId).Should().Equal("Task_Ask2a", "Task_Ask2b", "Task_Dokumentasi");
        report.Misfits.Should().OnlyContain(m => m.Rejection == RejectionReason.UnknownWorkItem);
        report.Candidate.Status.Should().Be(InstanceStatus.Running);
        report.StatusShifted.Should().BeTrue();
        report.OutcomeShifted.Should().BeTrue();

        // Same elements up to the first question: the recording asked it, the candidate's agent missed it.
        report.Divergence!.Original!.ElementId.Should().Be("Task_Send2a");
        report.Divergence.Candidate!.ElementId.Should().Be("Boundary_Missed2a");
    }

    [Fact]
    public void Run_LongerSilenceWhenCustomerRepliedAfterFirstPrompt_DivergesAtTheReply_NoPromptSent()
    {
        var journal = Golden("live-chat/reply-after-first-prompt");

        var report = WhatIfReplay.Run(Candidate("still-connected.bpmn", LongerSilence), journal, Shipped);

        report.Divergence!.Original!.ToString().Should().Be("still-connected/Event_Timer1");
        report.Divergence.Candidate!.ToString().Should().Be("still-connected/Event_Reply1", "the reply at +01:30 now comes before the first two-minute wait is over");
        report.Divergence.Candidate.At.Should().Be(journal[0].At.AddSeconds(90));
        report.Original.PromptsSent.Should().Be(1);
        report.Candidate.PromptsSent.Should().Be(0);
        report.Misfits.Should().ContainSingle("the agent's question at +01:00 had no step to answer in the candidate").Which.ElementId.Should().Be("Task_Ask2a");
        report.Candidate.Status.Should().Be(InstanceStatus.Completed);
        report.DurationShift.Should().Be(TimeSpan.Zero);
        report.OutcomeShifted.Should().BeFalse();
    }

    [Fact]
    public void Run_ShorterSilence_ClosesByStillConnectedBeforeTheReply_AndLaterInputsAreMisfits()
    {
        var journal = Golden("live-chat/reply-after-first-prompt");

        var report = WhatIfReplay.Run(Candidate("still-connected.bpmn", b => b.Replace(">PT1M<", ">PT20S<", StringComparison.Ordinal)), journal, Shipped);

        report.Original.ClosedBySilence.Should().BeFalse();
        report.Candidate.ClosedBySilence.Should().BeTrue();
        report.Candidate.SilenceClosedAt.Should().Be(journal[0].At.AddMinutes(1));
        report.SilenceShifted.Should().BeTrue();
        report.Misfits.Select(m => m.ElementId).Should().Contain(["Task_Verifikasi", "Task_Identifikasi", "Gateway_PerluTiket"]);
        report.Misfits.Should().OnlyContain(m => m.Rejection == RejectionReason.UnknownWorkItem || m.Reason.Contains("no longer running"));

        // The agent's documentation at +05:40 still fits: the closed chat is documented.
        report.Candidate.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public void Run_StepRemoved_RecordedCompletionIsAMisfit_PathDivergesThere()
    {
        var journal = Golden("live-chat/happy-path");

        var report = WhatIfReplay.Run(Candidate("live-chat.bpmn", WithoutVerification), journal, Shipped);

        report.Misfits.Should().ContainSingle();
        report.Misfits[0].ElementId.Should().Be("Task_Verifikasi");
        report.Misfits[0].Input.Should().Be("complete Task_Verifikasi");
        report.Divergence!.Original!.ElementId.Should().Be("Task_Verifikasi");
        report.Divergence.Candidate!.ElementId.Should().Be("Gateway_MergeIdentifikasi");
        report.Candidate.Status.Should().Be(InstanceStatus.Completed);
        report.StatusShifted.Should().BeFalse();
    }

    [Fact]
    public void Run_OutcomeNoLongerAllowed_IsReportedNotThrown()
    {
        var journal = Golden("whatsapp/complaint-ticket");
        var candidate = Candidate("whatsapp.bpmn", b => b.Replace("name=\"Ya\"", "name=\"Iya\"", StringComparison.Ordinal));

        var report = WhatIfReplay.Run(candidate, journal, Shipped);

        report.Misfits.Should().Contain(m => m.Rejection == RejectionReason.OutcomeNotAllowed);
        report.Original.TicketsRaised.Should().Be(1);
        report.Candidate.TicketsRaised.Should().Be(0, "the recorded \"Ya\" at the ticket decision no longer exists");
        report.TicketShift.Should().Be(-1);
    }

    [Fact]
    public void Run_DefinitionMissingFromCandidate_StartIsAMisfit()
    {
        var journal = Golden("email/happy-path");

        var report = WhatIfReplay.Run(new DefinitionSet(), journal, Shipped);

        report.Candidate.Status.Should().Be(InstanceStatus.NotStarted);
        report.Misfits.Should().ContainSingle().Which.Rejection.Should().Be(RejectionReason.UnknownDefinition);
    }

    [Fact]
    public void Summary_OverAllLiveChats_CountsDivergedAndShifts()
    {
        var candidate = Candidate("still-connected.bpmn", LongerSilence);
        var names = SampleCatalog.Names().Where(n => n.StartsWith("live-chat/", StringComparison.Ordinal)).ToList();

        var reports = names.Select(n => WhatIfReplay.Run(candidate, Golden(n), Shipped)).ToList();
        var summary = WhatIfSummary.Of(reports);

        summary.Conversations.Should().Be(names.Count);
        summary.Diverged.Should().Be(reports.Count(r => r.Diverged)).And.BeGreaterThanOrEqualTo(2);
        summary.StatusShifts.Should().ContainKey("Completed→Running");
        summary.ClosedBySilenceBefore.Should().Be(reports.Count(r => r.Original.ClosedBySilence)).And.BeGreaterThanOrEqualTo(2);
        summary.ClosedBySilenceAfter.Should().Be(reports.Count(r => r.Candidate.ClosedBySilence));
        summary.ConversationsWithMisfits.Should().BeGreaterThanOrEqualTo(1);
        summary.MeanDurationBefore.Should().NotBeNull();
    }
}
