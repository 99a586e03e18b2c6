using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;
using ContactCenter.Engine.Simulation;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Samples;

/// <summary>
/// The committed flows along their paths on the virtual clock. The chat channels (live chat,
/// WhatsApp, social media) wait for the customer through the still-connected ladder whenever
/// the agent has spoken and awaits an answer: after the opening greeting and after "Butuh bantuan
/// lain?". Voice and email have no ladder.
/// </summary>
public class VirtualTimeFlowTests
{
    private const string Question = "Apakah saat ini Bapak/Ibu masih terhubung dengan kami?";

    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(7));

    public static TheoryData<string> ChatFlows() => new() { "live-chat", "whatsapp", "social-media" };

    public static TheoryData<string> DirectFlows() => new() { "inbound-call", "email" };

    private static SimulationResult Run(string flow, string steps, bool settle = true) =>
        new Simulator(SampleCatalog.Engine).Run(SimulationScript.Parse($$"""
            {
              "workflow": "{{flow}}",
              "start": "2026-03-02T09:00:00+07:00",
              "variables": { "salamPembuka": "Selamat pagi", "namaAgent": "Sari", "salamPenutup": "Selamat beraktifitas" },
              "settle": {{(settle ? "true" : "false")}},
              "steps": [ {{steps}} ]
            }
            """, "test"));

    private static List<(TimeSpan At, string? Step, string Text)> Prompts(SimulationResult r) =>
        [.. r.Journal.OfType<PromptSent>().Select(p => (p.At - Start, p.Step, p.Text))];

    private static TimeSpan T(int minutes, int seconds = 0) => new(0, minutes, seconds);

    /// <summary>The ladder's node that carries <paramref name="purpose"/> (code finds steps by role, never by id).</summary>
    private static FlowNode Role(string purpose) =>
        SampleCatalog.Engine.Definitions.TryGet("still-connected", out var ladder, out _) ? ladder!.NodesWithPurpose(purpose).Single() : throw new InvalidOperationException("no still-connected flow");

    private static WorkItemCreated Opened(SimulationResult r, string purpose) =>
        r.Journal.OfType<WorkItemCreated>().Single(w => w.ElementId == Role(purpose).Id);

    [Theory]
    [MemberData(nameof(ChatFlows))]
    public void Chat_AgentAsksAtOneAndTwoMinutes_ChatClosesAMinuteAfterTheSecondQuestion(string flow)
    {
        var result = Run(flow, """
            { "at": "+00:00", "complete": "Task_SalamPembuka" },
            { "at": "+01:00", "complete": "2a" },
            { "at": "+02:00", "complete": "2b" },
            { "at": "+10:00", "wait": true }
            """);

        result.Error.Should().BeNull();
        var ask1 = Opened(result, "still-connected-prompt-1");
        (ask1.At - Start).Should().Be(T(1), "the agent's step 2a opens after one minute of silence");
        ask1.Script.Should().Be(Question);
        ask1.Lane.Should().Be("Agent");
        (Opened(result, "still-connected-prompt-2").At - Start).Should().Be(T(2));
        Prompts(result).Should().Equal((T(1), "2a", Question), (T(2), "2b", Question));
        var closed = result.Journal.OfType<VariablesSet>().Single(v => v.Values.ContainsKey("terhubung"));
        (closed.At - Start).Should().Be(T(3));
        closed.ElementId.Should().Be(Role("still-connected-close").Id);
        result.State.Get("terhubung").Should().Be(Expressions.Value.False);
        result.State.Timers.Should().BeEmpty();
        result.State.WorkItems.Should().ContainSingle().Which.ElementId.Should().Be("Task_Dokumentasi", "a closed chat is still documented");
        result.State.WorkItems.Single().CreatedAt.Should().Be(Start + T(3));
    }

    [Theory]
    [MemberData(nameof(ChatFlows))]
    public void Chat_Silence_TheAgentGetsTheStep_NothingIsSentByItself(string flow)
    {
        var at59 = Run(flow, """{ "at": "+00:00", "complete": "Task_SalamPembuka" }, { "at": "+00:59", "wait": true }""", settle: false);
        at59.State.WorkItems.Should().BeEmpty();
        at59.State.NextTimer()!.DueAt.Should().Be(Start + T(1));

        var at130 = Run(flow, """{ "at": "+00:00", "complete": "Task_SalamPembuka" }, { "at": "+01:30", "wait": true }""", settle: false);
        Prompts(at130).Should().BeEmpty("the agent asks, not the machine");
        var item = at130.State.WorkItems.Should().ContainSingle().Subject;
        item.ElementId.Should().Be(Role("still-connected-prompt-1").Id);
        item.CreatedAt.Should().Be(Start + T(1));
        item.Script.Should().Be(Question);
    }

    [Theory]
    [MemberData(nameof(ChatFlows))]
    public void Chat_AgentNeverAsks_TheRungMovesOnAtTwo_ChatClosesAtThree(string flow)
    {
        var result = Run(flow, """{ "at": "+00:00", "complete": "Task_SalamPembuka" }, { "at": "+10:00", "wait": true }""");

        Prompts(result).Should().BeEmpty();
        var withdrawn = result.Journal.OfType<WorkItemCancelled>().Select(c => c.At - Start).ToList();
        withdrawn.Should().Equal(T(2), T(3));
        (Opened(result, "still-connected-prompt-2").At - Start).Should().Be(T(2));
        var closed = result.Journal.OfType<VariablesSet>().Single(v => v.Values.ContainsKey("terhubung"));
        (closed.At - Start).Should().Be(T(3));
        closed.ElementId.Should().Be(Role("still-connected-close").Id);
    }

    [Theory]
    [MemberData(nameof(ChatFlows))]
    public void Chat_LateQuestion_TheNextRungCountsFromTheQuestion(string flow)
    {
        var result = Run(flow, """
            { "at": "+00:00", "complete": "Task_SalamPembuka" },
            { "at": "+01:20", "complete": "2a" },
            { "at": "+02:10", "wait": true }
            """, settle: false);

        Prompts(result).Should().Equal((T(1, 20), "2a", Question));
        result.State.WorkItems.Should().BeEmpty("2b is due a minute after the question: at 2:20");
        result.State.NextTimer()!.DueAt.Should().Be(Start + T(2, 20));
    }

    [Theory]
    [MemberData(nameof(ChatFlows))]
    public void Chat_ReplyAtOneThirty_EndsTheLadder_NoSecondQuestionNoClose(string flow)
    {
        var result = Run(flow, """
            { "at": "+00:00", "complete": "Task_SalamPembuka" },
            { "at": "+01:00", "complete": "2a" },
            { "at": "+01:30", "customer": "Masih, maaf tadi di jalan" },
            { "at": "+10:00", "wait": true }
            """);

        Prompts(result).Should().Equal((T(1), "2a", Question));
        result.State.Get("terhubung").Should().Be(Expressions.Value.True);
        result.State.Timers.Should().BeEmpty("the reply cancels the 2:00 timer");
        result.State.IsRunning.Should().BeTrue();
        var verify = result.State.WorkItems.Should().ContainSingle().Subject;
        verify.ElementId.Should().Be("Task_Verifikasi");
        verify.CreatedAt.Should().Be(Start + T(1, 30));
    }

    [Theory]
    [MemberData(nameof(ChatFlows))]
    public void Chat_ReplyBeforeTheAgentAsks_WithdrawsTheQuestion(string flow)
    {
        var result = Run(flow, """
            { "at": "+00:00", "complete": "Task_SalamPembuka" },
            { "at": "+01:05", "customer": "Masih" },
            { "at": "+10:00", "wait": true }
            """);

        Prompts(result).Should().BeEmpty();
        result.Journal.OfType<WorkItemCancelled>().Should().ContainSingle().Which.At.Should().Be(Start + T(1, 5));
        result.State.Get("terhubung").Should().Be(Expressions.Value.True);
        result.State.WorkItems.Should().ContainSingle().Which.ElementId.Should().Be("Task_Verifikasi");
    }

    /// <summary>
    /// "Any customer message resets the wait": in the flows the ladder is a called sub-flow, so a
    /// reply ends it, and the next time the agent waits for the customer a fresh ladder starts
    /// from zero, counted from that moment, not from the reply.
    /// </summary>
    [Theory]
    [MemberData(nameof(ChatFlows))]
    public void Chat_ReplyAtOneThirty_NextWaitCountsAgainFromZero(string flow)
    {
        var result = Run(flow, """
            { "at": "+00:00", "complete": "Task_SalamPembuka" },
            { "at": "+01:00", "complete": "2a" },
            { "at": "+01:30", "customer": "Masih, mau tanya gadai emas" },
            { "at": "+02:00", "complete": "Task_Verifikasi" },
            { "at": "+02:30", "complete": "Task_Identifikasi" },
            { "at": "+03:30", "complete": "Task_Solusi" },
            { "at": "+03:35", "complete": "Gateway_PerluTiket", "outcome": "Tidak" },
            { "at": "+04:00", "complete": "Task_TawarkanBantuan" },
            { "at": "+05:00", "complete": "2a" },
            { "at": "+06:00", "complete": "2b" },
            { "at": "+08:00", "wait": true }
            """);

        Prompts(result).Should().Equal((T(1), "2a", Question), (T(5), "2a", Question), (T(6), "2b", Question));
        result.Journal.OfType<VariablesSet>().Where(v => v.Values.ContainsKey("terhubung")).Select(v => (v.At - Start, v.Values["terhubung"]))
            .Should().Equal((T(1, 30), Expressions.Value.True), (T(7), Expressions.Value.False));
        result.State.WorkItems.Should().ContainSingle().Which.ElementId.Should().Be("Task_Dokumentasi");
    }

    /// <summary>§8.5 2c: the customer ends the chat; the agent asks, and after a silent minute MAY close ("dapat di akhiri"): nothing closes by itself.</summary>
    [Fact]
    public void LiveChat_CustomerEnds_AgentAsks_ThenMayClose_NothingClosesByItself()
    {
        var open = Run("live-chat", """
            { "at": "+00:00", "complete": "Task_SalamPembuka" },
            { "at": "+00:30", "customerEnded": "(chat diakhiri nasabah)" },
            { "at": "+00:35", "complete": "2c" },
            { "at": "+30:00", "wait": true }
            """, settle: false);

        (Opened(open, "still-connected-prompt-ended").At - Start).Should().Be(T(0, 30));
        Prompts(open).Should().Equal((T(0, 35), "2c", Question));
        var offer = open.State.WorkItems.Should().ContainSingle().Subject;
        offer.ElementId.Should().Be(Role("still-connected-agent-close").Id);
        offer.CreatedAt.Should().Be(Start + T(1, 35), "one silent minute after the question");
        open.State.Get("terhubung").IsNull.Should().BeTrue("the agent may close; the flow does not");
        open.State.Timers.Should().BeEmpty();

        var closed = Run("live-chat", """
            { "at": "+00:00", "complete": "Task_SalamPembuka" },
            { "at": "+00:30", "customerEnded": "(chat diakhiri nasabah)" },
            { "at": "+00:35", "complete": "2c" },
            { "at": "+02:00", "complete": "2c" }
            """, settle: false);
        closed.State.Get("terhubung").Should().Be(Expressions.Value.False);
        closed.State.WorkItems.Should().ContainSingle().Which.ElementId.Should().Be("Task_Dokumentasi");
    }

    [Fact]
    public void LiveChat_CustomerEnds_ThenWritesAgain_TheChatGoesOn()
    {
        var result = Run("live-chat", """
            { "at": "+00:00", "complete": "Task_SalamPembuka" },
            { "at": "+00:30", "customerEnded": "(chat diakhiri nasabah)" },
            { "at": "+00:35", "complete": "2c" },
            { "at": "+01:50", "customer": "Maaf, masih" }
            """, settle: false);

        result.State.Get("terhubung").Should().Be(Expressions.Value.True);
        result.State.WorkItems.Should().ContainSingle().Which.ElementId.Should().Be("Task_Verifikasi");
    }

    [Theory]
    [MemberData(nameof(ChatFlows))]
    public void Chat_MessageWhileTheAgentWorks_IsRecordedOnly(string flow)
    {
        var result = Run(flow, """
            { "at": "+00:00", "complete": "Task_SalamPembuka" },
            { "at": "+00:20", "customer": "Halo" },
            { "at": "+00:40", "customer": "Nomor CIF saya 1234" },
            { "at": "+05:00", "wait": true }
            """);

        var received = result.Journal.OfType<MessageReceived>().ToList();
        received.Should().HaveCount(2);
        received[0].SubscriptionId.Should().NotBeNull();
        received[1].SubscriptionId.Should().BeNull("while the agent verifies, no ladder is waiting");
        Prompts(result).Should().BeEmpty();
        result.State.WorkItems.Should().ContainSingle().Which.ElementId.Should().Be("Task_Verifikasi");
    }

    [Theory]
    [MemberData(nameof(DirectFlows))]
    public void VoiceAndEmail_HaveNoSilenceLadder(string flow)
    {
        var result = Run(flow, """{ "at": "+00:00", "complete": "Task_SalamPembuka" }, { "at": "+30:00", "wait": true }""");

        Prompts(result).Should().BeEmpty();
        result.State.Timers.Should().BeEmpty();
        result.State.WorkItems.Should().ContainSingle().Which.ElementId.Should().Be("Task_Verifikasi");
    }

    [Fact]
    public void Chat_TimersFireAtTheirOwnDueTime_NotAtTheStepTime()
    {
        var result = Run("live-chat", """{ "at": "+00:10", "complete": "Task_SalamPembuka" }, { "at": "+45:00", "wait": true }""");

        result.Journal.OfType<TimerFired>().Select(t => t.At - Start).Should().Equal(T(1, 10), T(2, 10), T(3, 10));
    }
}
