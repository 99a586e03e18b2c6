using ContactCenter.Modules.Quality;
using FluentAssertions;

namespace ContactCenter.Runtime.Tests.Quality;

/// <summary>
/// Every rule on a passing history (a golden journal of the samples) and a failing one (the same
/// journal edited by hand). The goldens run on Monday 2 March 2026 from 09:00 WIB.
/// </summary>
public partial class ScorecardEvaluatorTests
{
    public static TheoryData<string> AllGoldens()
    {
        var data = new TheoryData<string>();
        foreach (var name in Goldens.Names())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllGoldens))]
    public void Evaluate_GoldenJournal_FailsNothingButTheUndocumentedCancelledChat(string name)
    {
        var card = Goldens.Score(name);

        card.Rules.Select(r => r.RuleId).Should().Equal(ScorecardRules.All.Select(r => r.Id));
        var failed = card.Rules.Where(r => r.Outcome == RuleOutcome.Failed).Select(r => r.RuleId);
        if (name == "live-chat/complaint-then-silence")
        {
            failed.Should().Equal("documentation");
        }
        else
        {
            failed.Should().BeEmpty();
            card.Score.Should().Be(100);
        }

        card.Rules.Where(r => r.Outcome != RuleOutcome.NotApplicable).Should().OnlyContain(r => r.Evidence.Count > 0, "a verdict cites the journal");
    }

    [Fact]
    public void Evaluate_AllGoldens_PassEveryRuleSomewhere()
    {
        var passed = Goldens.Names().SelectMany(n => Goldens.Score(n).Rules).Where(r => r.Outcome == RuleOutcome.Passed).Select(r => r.RuleId).ToHashSet();

        passed.Should().BeEquivalentTo(ScorecardRules.All.Select(r => r.Id));
    }

    [Fact]
    public void Rules_EachCitesTheSop() =>
        ScorecardRules.All.Should().OnlyContain(r => r.SopSource.Contains('§'));

    [Fact]
    public void OpeningGreeting_Given_PassesWithTheScriptShown()
    {
        var result = Goldens.Score("whatsapp/happy-path")["opening-greeting"];

        result.Outcome.Should().Be(RuleOutcome.Passed);
        result.Evidence.Select(e => e.Sequence).Should().Equal(6, 7);
        result.Evidence[0].What.Should().Contain("Selamat pagi, terima kasih telah menghubungi Contact Center Pegadaian. Saya Sari, ada yang bisa saya bantu?");
    }

    [Fact]
    public void OpeningGreeting_NeverCompleted_Fails()
    {
        var journal = Goldens.Edited("inbound-call/happy-path", a => Goldens.RemoveCompletion(a, Goldens.WorkItemAt(a, "Task_SalamPembuka")));

        var result = Goldens.Score(journal)["opening-greeting"];

        result.Outcome.Should().Be(RuleOutcome.Failed);
        result.Evidence.Should().ContainSingle(e => e.What.Contains("Task_Verifikasi", StringComparison.Ordinal));
    }

    [Fact]
    public void DataVerified_BeforeTheSolution_Passes()
    {
        var result = Goldens.Score("inbound-call/happy-path")["data-verified"];

        result.Outcome.Should().Be(RuleOutcome.Passed);
        result.Evidence.Should().HaveCount(2);
        result.Evidence[0].Sequence.Should().BeLessThan(result.Evidence[1].Sequence);
    }

    [Fact]
    public void DataVerified_SolutionWithoutVerification_Fails()
    {
        var journal = Goldens.Edited("whatsapp/happy-path", a => Goldens.RemoveCompletion(a, Goldens.WorkItemAt(a, "Task_Verifikasi")));

        var result = Goldens.Score(journal)["data-verified"];

        result.Outcome.Should().Be(RuleOutcome.Failed);
        result.Evidence.Should().ContainSingle().Which.What.Should().Contain("Task_Solusi");
    }

    [Fact]
    public void DataVerified_CustomerGoneBeforeASolution_IsNotApplicable() =>
        Goldens.Score("live-chat/silence-closes-chat")["data-verified"].Outcome.Should().Be(RuleOutcome.NotApplicable);

    [Fact]
    public void NeedIdentified_BeforeEachSolutionOfTheMoreHelpLoop_Passes()
    {
        var result = Goldens.Score("inbound-call/more-help-loop")["need-identified"];

        result.Outcome.Should().Be(RuleOutcome.Passed);
        result.Summary.Should().Contain("(2)");
    }

    [Fact]
    public void NeedIdentified_SecondSolutionWithoutIdentification_Fails()
    {
        var journal = Goldens.Edited("inbound-call/more-help-loop", a => Goldens.RemoveCompletion(a, Goldens.WorkItemAt(a, "Task_Identifikasi", nth: 1)));

        var result = Goldens.Score(journal)["need-identified"];

        result.Outcome.Should().Be(RuleOutcome.Failed);
        result.Summary.Should().StartWith("1 of 2");
    }

    [Fact]
    public void NeedIdentified_OutletReservation_ReadsItsOwnSteps() =>
        Goldens.Score("outlet-reservation/more-help-loop")["need-identified"].Outcome.Should().Be(RuleOutcome.Passed);

    [Fact]
    public void ComplaintTicket_ComplaintEscalated_Passes()
    {
        var result = Goldens.Score("inbound-call/complaint-ticket")["complaint-ticket"];

        result.Outcome.Should().Be(RuleOutcome.Passed);
        result.Evidence.Select(e => e.Sequence).Should().Equal(25, 29);
        result.Evidence[1].What.Should().Contain("createTicket").And.Contain("Task_EskalasiTiket");
    }

    [Fact]
    public void ComplaintTicket_ComplaintChosenButNoTicket_Fails()
    {
        var journal = Goldens.Edited("whatsapp/complaint-ticket", a => a.Remove(Goldens.Where(a, "service-invoked@1").Single()));

        var result = Goldens.Score(journal)["complaint-ticket"];

        result.Outcome.Should().Be(RuleOutcome.Failed);
        result.Evidence.Should().ContainSingle().Which.What.Should().Contain("Gateway_PerluTiket").And.Contain("'Ya'");
    }

    [Theory]
    [InlineData("inbound-call/happy-path")]
    [InlineData("outlet-reservation/confirmed")]
    public void ComplaintTicket_NoComplaintOrNoTicketStep_IsNotApplicable(string name) =>
        Goldens.Score(name)["complaint-ticket"].Outcome.Should().Be(RuleOutcome.NotApplicable);

    [Fact]
    public void MoreHelpAsked_BeforeBothWhatsAppClosings_Passes()
    {
        var result = Goldens.Score("whatsapp/cross-selling-accepted")["more-help-asked"];

        result.Outcome.Should().Be(RuleOutcome.Passed);
        result.Summary.Should().Contain("(2)");
    }

    [Fact]
    public void MoreHelpAsked_SecondClosingWithoutAsking_Fails()
    {
        var journal = Goldens.Edited("whatsapp/cross-selling-accepted", a => Goldens.RemoveCompletion(a, Goldens.WorkItemAt(a, "Gateway_BantuanLain", nth: 1)));

        var result = Goldens.Score(journal)["more-help-asked"];

        result.Outcome.Should().Be(RuleOutcome.Failed);
        result.Summary.Should().StartWith("1 of 2");
    }

    [Theory]
    [InlineData("inbound-call/happy-path")]
    [InlineData("email/happy-path")]
    [InlineData("whatsapp/happy-path")]
    [InlineData("live-chat/cross-selling-accepted")]
    public void CrossSelling_Offered_Passes(string name) =>
        Goldens.Score(name)["cross-selling"].Outcome.Should().Be(RuleOutcome.Passed);

    [Fact]
    public void CrossSelling_WhatsApp_IsStep6ByItsSopName()
    {
        var result = Goldens.Score("whatsapp/happy-path")["cross-selling"];

        result.Evidence.Should().ContainSingle().Which.What.Should().Contain("Salam penutup dan informasi cross selling");
    }

    [Fact]
    public void CrossSelling_ClosedWithoutOffering_Fails()
    {
        var journal = Goldens.Edited("inbound-call/happy-path", a => Goldens.RemoveCompletion(a, Goldens.WorkItemAt(a, "Task_CrossSelling")));

        Goldens.Score(journal)["cross-selling"].Outcome.Should().Be(RuleOutcome.Failed);
    }

    [Theory]
    [InlineData("outlet-reservation/confirmed")]
    [InlineData("whatsapp/silence-closes-chat")]
    public void CrossSelling_NoStepOrCustomerGone_IsNotApplicable(string name) =>
        Goldens.Score(name)["cross-selling"].Outcome.Should().Be(RuleOutcome.NotApplicable);

    [Fact]
    public void Documentation_Done_Passes() =>
        Goldens.Score("social-media/silence-closes-chat")["documentation"].Outcome.Should().Be(RuleOutcome.Passed);

    [Fact]
    public void Documentation_CancelledBeforeIt_Fails()
    {
        var result = Goldens.Score("live-chat/complaint-then-silence")["documentation"];

        result.Outcome.Should().Be(RuleOutcome.Failed);
        result.Evidence.Select(e => e.Sequence).Should().Equal(159, 163);
        result.Evidence[1].What.Should().Contain("shift ended before documentation");
    }

    [Fact]
    public void Evaluate_ConversationStillRunning_LeavesWhatIsAheadNotApplicable()
    {
        var journal = Goldens.Journal("inbound-call/happy-path").Take(12).ToList();

        var card = Goldens.Score(journal);

        card["opening-greeting"].Outcome.Should().Be(RuleOutcome.Passed);
        card["documentation"].Outcome.Should().Be(RuleOutcome.NotApplicable);
        card["closing-greeting"].Outcome.Should().Be(RuleOutcome.NotApplicable);
        card.Failed.Should().Be(0);
    }

    [Fact]
    public void Evaluate_JournalNotStartingWithInstanceStarted_Throws()
    {
        var journal = Goldens.Journal("inbound-call/happy-path").Skip(1).ToList();

        var act = () => Goldens.Score(journal);

        act.Should().Throw<ArgumentException>();
    }
}
