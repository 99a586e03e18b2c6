using FluentAssertions;
using Xunit;

namespace ContactCenter.Cli.Tests;

/// <summary>The CLI in-process: exit codes 0 (ok), 1 (invalid / failed), 2 (usage), and what it prints.</summary>
public sealed partial class CliTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("cc-cli-").FullName;

    private static string Root => RepoPaths.Root;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static (int Code, string Out, string Err) Run(string currentDirectory, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr, currentDirectory);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Validate_CommittedWorkflows_ListsEachDefinitionAndExitsZero()
    {
        var (code, output, _) = Run(Root, "validate", Path.Combine(Root, "workflows"));

        code.Should().Be(0, output);
        output.Should().MatchRegex(@"(?m)^OK\s+live-chat\s+""Handling Live Chat""\s+live-chat\.bpmn\s+sha256:[0-9a-f]{12}$");
        output.Should().MatchRegex(@"(?m)^OK\s+still-connected\s");
        output.Should().Contain("8 definition(s) valid");
    }

    [Fact]
    public void Validate_BrokenFile_PrintsFileLineElementMessage_ExitsOne()
    {
        var file = Path.Combine(_temp, "broken.bpmn");
        File.WriteAllText(file, """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
              <bpmn:process id="broken" isExecutable="true">
                <bpmn:startEvent id="S" />
                <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T" />
                <bpmn:userTask id="T" name="Tanpa lane" />
                <bpmn:sequenceFlow id="f2" sourceRef="T" targetRef="E" />
                <bpmn:endEvent id="E" />
                <bpmn:callActivity id="C" calledElement="missing" />
              </bpmn:process>
            </bpmn:definitions>
            """);

        var (code, output, _) = Run(_temp, "validate", _temp);

        code.Should().Be(1);
        output.Should().Contain("broken.bpmn:6: T: it sits in no lane");
        output.Should().MatchRegex(@"broken\.bpmn:9: C: ");
        output.Should().NotContain("OK ");
    }

    [Fact]
    public void Validate_TicketFlowWithoutItsDecision_IsRefusedByTheFlowContract_ExitsOne()
    {
        var file = Path.Combine(_temp, "ticket-escalation.bpmn");
        var bpmn = File.ReadAllText(Path.Combine(Root, "workflows", "ticket-escalation.bpmn"));
        File.WriteAllText(file, bpmn.Replace(" cc:purpose=\"tier2-decision\"", string.Empty, StringComparison.Ordinal));

        var (code, output, _) = Run(_temp, "validate", _temp);

        code.Should().Be(1);
        output.Should().MatchRegex(@"ticket-escalation\.bpmn:\d+: ticket-escalation: no step has cc:purpose tier2-decision, which a ticket flow must have: the ticket desk's dispatch and close needs it");
        output.Should().NotContain("OK ");
    }

    [Fact]
    public void Validate_MissingPath_IsAUsageError() => Run(_temp, "validate", Path.Combine(_temp, "nope")).Code.Should().Be(2);

    [Fact]
    public void NoArguments_OrUnknownOption_IsAUsageError()
    {
        Run(_temp).Code.Should().Be(2);
        Run(_temp, "simulate", "live-chat").Code.Should().Be(2);
        Run(_temp, "validate", ".", "--bogus").Code.Should().Be(2);
    }

    [Fact]
    public void Simulate_Sample_PrintsStepsAndJournal_WritesJournalFile()
    {
        var journal = Path.Combine(_temp, "out.json");
        var sample = Path.Combine(Root, "samples", "conversations", "live-chat", "silence-closes-chat.json");

        var (code, output, error) = Run(Root, "simulate", "live-chat", sample, "--journal", journal);

        code.Should().Be(0, error);
        output.Should().Contain("+02:00  3      prompt     Agent  2b   still-connected:Task_Send2b   Pertanyaan agent terkirim ke nasabah");
        var golden = File.ReadAllText(Path.Combine(Root, "tests", "ContactCenter.Engine.Tests", "Samples", "golden", "live-chat", "silence-closes-chat.journal.json"));
        output.Should().Contain($"journal ({System.Text.Json.JsonDocument.Parse(golden).RootElement.GetArrayLength()} events, JSON lines):");
        output.Should().Contain("{\"type\":\"instance-started@1\",\"sequence\":1,");
        File.ReadAllText(journal).Should().Be(golden);
    }

    [Fact]
    public void Simulate_FindsWorkflowsByWalkingUpToTheSolution()
    {
        var sample = Path.Combine(Root, "samples", "conversations", "email", "happy-path.json");

        Run(Path.Combine(Root, "docs"), "simulate", "email", sample).Code.Should().Be(0);
        var (code, _, error) = Run(_temp, "simulate", "email", sample);
        code.Should().Be(2);
        error.Should().Contain("pass --workflows <folder>");
    }

    [Fact]
    public void Simulate_WorkflowFile_AndExplicitFolder()
    {
        var sample = Path.Combine(Root, "samples", "conversations", "whatsapp", "happy-path.json");

        Run(_temp, "simulate", Path.Combine(Root, "workflows", "whatsapp.bpmn"), sample, "--workflows", Path.Combine(Root, "workflows")).Code.Should().Be(0);
    }

    [Fact]
    public void Simulate_UnmetExpectation_ExitsOne()
    {
        var script = Path.Combine(_temp, "s.json");
        File.WriteAllText(script, """
            { "workflow": "live-chat", "start": "2026-03-02T09:00:00+07:00",
              "variables": { "salamPembuka": "Selamat pagi", "namaAgent": "Sari" },
              "steps": [ { "at": "+00:00", "complete": "Task_SalamPembuka" }, { "at": "+01:00", "complete": "2a" } ],
              "expect": { "prompts": [ { "at": "+01:30" } ] } }
            """);

        var (code, output, error) = Run(Root, "simulate", "live-chat", script);

        code.Should().Be(1);
        output.Should().Contain("expect FAIL  prompts: prompt 1 expected at +01:30, sent at +01:00");
        error.Should().Contain("expectation(s) not met");
    }

    [Fact]
    public void Simulate_ScriptForAnotherWorkflow_OrBadStep_ExitsOne()
    {
        var sample = Path.Combine(Root, "samples", "conversations", "email", "happy-path.json");
        Run(Root, "simulate", "live-chat", sample).Err.Should().Contain("is a script for 'email', not 'live-chat'");

        var script = Path.Combine(_temp, "bad.json");
        File.WriteAllText(script, """{ "workflow": "email", "start": "2026-03-02T09:00:00+07:00", "steps": [ { "at": "+0:05", "complete": "Task_Nope" } ] }""");
        var (code, _, error) = Run(Root, "simulate", "email", script);
        code.Should().Be(1);
        error.Should().Contain("step 1 (complete 'Task_Nope') at +00:05: no open work item matches 'Task_Nope'");
    }
}
