using System.Text.Json.Nodes;
using ContactCenter.Modules.Quality;
using FluentAssertions;

namespace ContactCenter.Runtime.Tests.Quality;

/// <summary>The closing greeting for the time and day, and the "masih terhubung?" ladder's times.</summary>
public partial class ScorecardEvaluatorTests
{
    [Fact]
    public void ClosingGreeting_WeekdayMorning_PassesWithTheVariableAndScript()
    {
        var result = Goldens.Score("inbound-call/happy-path")["closing-greeting"];

        result.Outcome.Should().Be(RuleOutcome.Passed);
        result.Evidence.Should().Contain(e => e.Sequence == 1 && e.What.Contains("salamPenutup = Selamat beraktifitas", StringComparison.Ordinal));
        result.Evidence.Should().Contain(e => e.What.Contains("Terima kasih telah menghubungi Contact Center Pegadaian. Selamat beraktifitas.", StringComparison.Ordinal));
        result.Evidence[^1].What.Should().Contain("Mon 2026-03-02").And.Contain("Beraktifitas");
    }

    [Theory]
    [InlineData(3, 7, 9, 0, "Selamat berakhir pekan")] // Saturday
    [InlineData(3, 2, 18, 30, "Selamat beristirahat")] // Monday evening
    [InlineData(6, 16, 9, 0, "Selamat berlibur")] // Tuesday 16 June 2026, a national holiday on a working day
    public void ClosingGreeting_SameScriptAtAnotherTime_Fails(int month, int day, int hour, int minute, string expected)
    {
        // The whole conversation moved, its "Selamat beraktifitas" script kept.
        var shift = new DateTimeOffset(2026, month, day, hour, minute, 0, TimeSpan.FromHours(7)) - new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(7));
        var journal = Goldens.Edited("email/happy-path", a => Goldens.Shift(a, 0, shift));

        var result = Goldens.Score(journal)["closing-greeting"];

        result.Outcome.Should().Be(RuleOutcome.Failed);
        result.Evidence[^1].What.Should().Contain($"\"{expected}\"").And.Contain("the script does not say it");
    }

    [Fact]
    public void ClosingGreeting_ScriptRightForTheWeekend_Passes()
    {
        var journal = Goldens.Edited("email/happy-path", a =>
        {
            Goldens.Shift(a, 0, TimeSpan.FromDays(5));
            var closing = Goldens.Where(a, "work-item-created@1", e => (string?)e["elementId"] == "Task_SalamPenutup").Single();
            closing["script"] = "Terima kasih telah menghubungi Contact Center Pegadaian. Selamat berakhir pekan.";
        });

        Goldens.Score(journal)["closing-greeting"].Outcome.Should().Be(RuleOutcome.Passed);
    }

    [Fact]
    public void ClosingGreeting_CustomerGone_IsNotApplicableCitingTheClose()
    {
        var result = Goldens.Score("whatsapp/silence-closes-chat")["closing-greeting"];

        result.Outcome.Should().Be(RuleOutcome.NotApplicable);
        result.Evidence.Should().ContainSingle().Which.What.Should().StartWith("2c");
    }

    [Fact]
    public void ClosingGreeting_CompletedWithoutOne_Fails()
    {
        var journal = Goldens.Edited("inbound-call/happy-path", a => Goldens.RemoveCompletion(a, Goldens.WorkItemAt(a, "Task_SalamPenutup")));

        Goldens.Score(journal)["closing-greeting"].Outcome.Should().Be(RuleOutcome.Failed);
    }

    [Theory]
    [InlineData("live-chat/silence-closes-chat")]
    [InlineData("social-media/silence-closes-chat")]
    [InlineData("whatsapp/silence-closes-chat")]
    public void StillConnected_SilentChat_PromptsAtOneAndTwoMinutesAndClosesAtThree(string name)
    {
        var card = Goldens.Score(name);

        card["still-connected-prompts"].Outcome.Should().Be(RuleOutcome.Passed);
        card["still-connected-prompts"].Evidence.Select(e => e.What[..2]).Should().Equal("2a", "2b");
        card["silence-close"].Outcome.Should().Be(RuleOutcome.Passed);
        card["silence-close"].Evidence.Should().ContainSingle().Which.What.Should().Contain("+3:00");
    }

    [Fact]
    public void StillConnected_ReplyAfterFirstPrompt_PassesThePromptAndLeavesTheCloseNotApplicable()
    {
        var card = Goldens.Score("whatsapp/reply-after-first-prompt");

        card["still-connected-prompts"].Outcome.Should().Be(RuleOutcome.Passed);
        card["silence-close"].Outcome.Should().Be(RuleOutcome.NotApplicable);
    }

    [Fact]
    public void StillConnected_CustomerAlwaysAnswersInTime_IsNotApplicable() =>
        Goldens.Score("live-chat/happy-path")["still-connected-prompts"].Outcome.Should().Be(RuleOutcome.NotApplicable);

    [Theory]
    [InlineData("email/happy-path")]
    [InlineData("inbound-call/complaint-ticket")]
    public void StillConnected_EmailAndVoice_AreNotApplicable(string name)
    {
        var card = Goldens.Score(name);

        card["still-connected-prompts"].Outcome.Should().Be(RuleOutcome.NotApplicable);
        card["silence-close"].Outcome.Should().Be(RuleOutcome.NotApplicable);
        card["silence-close"].Summary.Should().Contain("A11");
    }

    [Fact]
    public void StillConnected_FirstPromptTwelveSecondsLate_FailsAtFiveSecondsTolerance()
    {
        var journal = LatePrompt(TimeSpan.FromSeconds(12));

        var result = Goldens.Score(journal)["still-connected-prompts"];

        result.Outcome.Should().Be(RuleOutcome.Failed);
        result.Evidence[0].What.Should().Contain("+1:12").And.Contain("12 s off");
    }

    [Fact]
    public void StillConnected_FirstPromptTwelveSecondsLate_PassesAtFifteenSecondsTolerance()
    {
        var journal = LatePrompt(TimeSpan.FromSeconds(12));

        var card = Goldens.Score(journal, new ScorecardOptions { Tolerance = TimeSpan.FromSeconds(15) });

        card["still-connected-prompts"].Outcome.Should().Be(RuleOutcome.Passed);
    }

    [Fact]
    public void StillConnected_PromptWithinFourSeconds_Passes() =>
        Goldens.Score(LatePrompt(TimeSpan.FromSeconds(4)))["still-connected-prompts"].Outcome.Should().Be(RuleOutcome.Passed);

    [Fact]
    public void StillConnected_NoPromptThoughSilent_Fails()
    {
        var journal = Goldens.Edited("live-chat/silence-closes-chat", a => a.Remove(Goldens.Where(a, "prompt-sent@1", e => (string?)e["step"] == "2b").Single()));

        var card = Goldens.Score(journal);

        card["still-connected-prompts"].Outcome.Should().Be(RuleOutcome.Failed);
        card["still-connected-prompts"].Evidence.Should().Contain(e => e.What.StartsWith("no 2b prompt", StringComparison.Ordinal));
        card["silence-close"].Outcome.Should().Be(RuleOutcome.Failed, "the chat was closed without the second prompt");
    }

    [Fact]
    public void SilenceClose_ThirtySecondsLate_Fails()
    {
        var journal = Goldens.Edited("social-media/silence-closes-chat", a =>
        {
            var close = a.IndexOf(Goldens.Where(a, "element-entered@1", e => (string?)e["elementId"] == "Event_Closed2c").Single());
            Goldens.Shift(a, close, TimeSpan.FromSeconds(30));
        });

        var result = Goldens.Score(journal)["silence-close"];

        result.Outcome.Should().Be(RuleOutcome.Failed);
        result.Evidence.Should().ContainSingle().Which.What.Should().Contain("+3:30").And.Contain("30 s off");
    }

    /// <summary>live-chat/silence-closes-chat with its first prompt (only that event) <paramref name="late"/>.</summary>
    private static IReadOnlyList<Engine.Journal.WorkflowEvent> LatePrompt(TimeSpan late) =>
        Goldens.Edited("live-chat/silence-closes-chat", a =>
        {
            JsonNode prompt = Goldens.Where(a, "prompt-sent@1", e => (string?)e["step"] == "2a").Single();
            Goldens.Shift(a, a.IndexOf(prompt), late);
            Goldens.Shift(a, a.IndexOf(prompt) + 1, -late);
        });
}
