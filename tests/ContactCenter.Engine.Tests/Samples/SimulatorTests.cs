using ContactCenter.Engine.Simulation;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Samples;

public class SimulatorTests
{
    private static SimulationResult Run(string steps, string extra = "") =>
        new Simulator(SampleCatalog.Engine).Run(SimulationScript.Parse($$"""
            { "workflow": "live-chat", "start": "2026-03-02T09:00:00+07:00", {{extra}}
              "variables": { "salamPembuka": "Selamat pagi", "namaAgent": "Sari", "salamPenutup": "Selamat beraktifitas" },
              "steps": [ {{steps}} ] }
            """, "t.json"));

    [Theory]
    [InlineData("+00:05", 5)]
    [InlineData("+1:30", 90)]
    [InlineData("00:05", 5)]
    [InlineData("+90:00", 5400)]
    [InlineData("+1:00:00", 3600)]
    [InlineData("+180:00:00", 648000)]
    public void TimeOffset_Parses(string text, int seconds)
    {
        TimeOffset.TryParse(text, out var offset).Should().BeTrue();
        offset.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+5")]
    [InlineData("+1:5")]
    [InlineData("+1:60")]
    [InlineData("+1:60:00")]
    [InlineData("-1:00")]
    [InlineData("+1:00.5")]
    [InlineData("1m")]
    public void TimeOffset_RefusesOtherText(string text) => TimeOffset.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void TimeOffset_Formats() =>
        new[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(90), TimeSpan.FromHours(26) }.Select(TimeOffset.Format)
            .Should().Equal("+00:05", "+01:30", "+26:00:00");

    [Theory]
    [InlineData("""{ "workflow": "x", "start": "2026-03-02T09:00:00", "steps": [] }""", "'start'")]
    [InlineData("""{ "workflow": "x", "start": "9999-12-31T23:59:00+00:00", "steps": [ { "at": "+99:00:00", "wait": true } ] }""", "a script starts before the year 9000")]
    [InlineData("""{ "workflow": "x", "start": "2026-03-02T09:00:00+07:00", "steps": [ { "at": "+1:00", "wait": true }, { "at": "+0:30", "customer": "hi" } ] }""", "step 2: 'at' +00:30 is before the previous step")]
    [InlineData("""{ "workflow": "x", "start": "2026-03-02T09:00:00+07:00", "steps": [ { "at": "+1:00", "complete": "A", "customer": "hi" } ] }""", "step 1: a step does exactly one of")]
    [InlineData("""{ "workflow": "x", "start": "2026-03-02T09:00:00+07:00", "steps": [ { "at": "1 minute", "wait": true } ] }""", "step 1: 'at' is \"1 minute\"")]
    [InlineData("""{ "workflow": "x", "start": "2026-03-02T09:00:00+07:00", "steps": [ { "at": "+0:01", "complete": "A", "outcom": "Ya" } ] }""", "step 1: unknown property 'outcom'")]
    [InlineData("""{ "workflow": "x", "start": "2026-03-02T09:00:00+07:00", "steps": [ { "at": "+0:01", "complete": "A", "data": { "a": [1] } } ] }""", "step 1: 'data.a'")]
    [InlineData("""{ "workflow": "x", "start": "2026-03-02T09:00:00+07:00", "steps": [], "expect": { "status": "Done" } }""", "expect: 'status' is 'Done'")]
    [InlineData("""{ "workflow": "x", "start": "2026-03-02T09:00:00+07:00", "steps": [ """, "not valid JSON")]
    public void Parse_BadScript_NamesTheStepAndProperty(string json, string message)
    {
        var act = () => SimulationScript.Parse(json, "bad.json");
        act.Should().Throw<SimulationScriptException>().Which.Message.Should().StartWith("bad.json: ").And.Contain(message);
    }

    [Fact]
    public void Parse_AfterAndWaitDurations_AreRelativeToThePreviousStep()
    {
        var script = SimulationScript.Parse("""
            { "workflow": "x", "start": "2026-03-02T09:00:00+07:00",
              "steps": [ { "at": "+0:10", "wait": true }, { "after": "0:20", "customer": "a" }, { "wait": "1:00" }, { "cancel": "done" } ] }
            """);
        script.Steps.Select(s => s.Offset.TotalSeconds).Should().Equal(10, 30, 90, 90);
        script.Agent.Should().Be("agent");
        script.Customer.Should().Be("nasabah");
    }

    [Fact]
    public void Complete_NoMatchingWorkItem_NamesTheStepAndWhatIsOpen()
    {
        var result = Run("""{ "at": "+00:05", "complete": "Task_Verifikasi" }""");

        result.Succeeded.Should().BeFalse();
        result.Error.Should().Be("step 1 (complete 'Task_Verifikasi') at +00:05: no open work item matches 'Task_Verifikasi' (by element id, name or SOP step); open: #3 Task_SalamPembuka 'Mengucapkan salam pembuka' [Agent]");
    }

    [Fact]
    public void Complete_ByName_CaseInsensitive()
    {
        var result = Run("""{ "at": "+00:05", "complete": "mengucapkan salam pembuka" }""");

        result.Error.Should().BeNull();
        result.Records.Should().Contain(r => r.Kind == SimulationRecordKind.WorkItemCompleted && r.ElementId == "Task_SalamPembuka");
    }

    [Fact]
    public void Complete_RefusedByTheEngine_NamesTheStep()
    {
        var result = Run("""{ "at": "+00:05", "complete": "Task_SalamPembuka", "outcome": "Ya" }""");

        result.Error.Should().StartWith("step 1 (complete 'Task_SalamPembuka') at +00:05: refused (OutcomeNotAllowed): ");
    }

    [Fact]
    public void Step_AfterTheInstanceEnded_IsAnError()
    {
        var result = Run("""{ "at": "+00:05", "cancel": "test" }, { "at": "+00:10", "customer": "halo" }""");

        result.Error.Should().Be("step 2 (customer message) at +00:10: the instance already ended (Cancelled at +00:05)");
    }

    [Fact]
    public void UnmetExpectation_FailsTheRun_WithTheDifference()
    {
        var result = Run(
            """{ "at": "+00:00", "complete": "Task_SalamPembuka" }, { "at": "+01:00", "complete": "2a" }, { "at": "+02:00", "complete": "2b" }, { "at": "+5:00", "wait": true }""",
            """ "settle": false, "expect": { "status": "Completed", "prompts": [ { "at": "+1:00" }, { "at": "+2:30" } ] }, """);

        result.Error.Should().BeNull();
        result.Succeeded.Should().BeFalse();
        result.Expectations.Should().Contain(e => e.Name == "status" && !e.Passed && e.Detail == "expected Completed, got Running");
        result.Expectations.Should().Contain(e => e.Name == "prompts" && !e.Passed && e.Detail == "prompt 2 expected at +02:30, sent at +02:00");
    }

    [Fact]
    public void Settle_IsBounded()
    {
        var result = Run("""{ "at": "+00:00", "complete": "Task_SalamPembuka" }""", """ "maxSettleTimers": 2, """);

        result.Error.Should().StartWith("after the last step: still running after firing 2 timers (next due at +03:00)");
    }

    [Fact]
    public void Report_ShowsTimeElementLaneStepAndPromptText()
    {
        var result = SampleCatalog.Run("live-chat/silence-closes-chat");
        var report = SimulationReport.Format(result);

        report.Should().Contain("+01:00  timer  opened     Agent  2a   still-connected:Task_Ask2a    Konfirmasi kepada nasabah apakah masih terhubung: \"Apakah saat ini Bapak/Ibu masih terhubung dengan kami?\"");
        report.Should().Contain("+01:00  2      prompt     Agent  2a   still-connected:Task_Send2a   Pertanyaan agent terkirim ke nasabah: \"Apakah saat ini Bapak/Ibu masih terhubung dengan kami?\"");
        report.Should().Contain("+03:00  timer  set        Agent  -    still-connected:Event_Closed  Tidak ada respon: chat diakhiri: terhubung=false");
        report.Should().EndWith("result: PASS; instance Completed at +04:00; 93 events\n");
    }
}
