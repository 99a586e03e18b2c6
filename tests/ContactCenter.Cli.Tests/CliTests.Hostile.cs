using FluentAssertions;
using Xunit;

namespace ContactCenter.Cli.Tests;

/// <summary>Issue 16: hostile files get one problem line and exit 1; nothing escapes as a stack trace or a crash.</summary>
public sealed partial class CliTests
{
    /// <summary>Writes a process with a start event S and an end event E around <paramref name="body"/>; the body starts on line 5.</summary>
    private string WriteProcess(string name, string body)
    {
        var file = Path.Combine(_temp, name + ".bpmn");
        File.WriteAllText(file, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
              <bpmn:process id="{name}" isExecutable="true">
                <bpmn:startEvent id="S" />
            {body}
                <bpmn:endEvent id="E" />
              </bpmn:process>
            </bpmn:definitions>
            """);
        return file;
    }

    [Fact]
    public void Validate_TimerDurationThatOverflowedTimeSpan_IsOneProblemLineNotAStackTrace()
    {
        var file = WriteProcess("timer", """
                <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="W" />
                <bpmn:intermediateCatchEvent id="W"><bpmn:timerEventDefinition>
                  <bpmn:timeDuration>P99999999DT99999999H</bpmn:timeDuration>
                </bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f2" sourceRef="W" targetRef="E" />
            """);

        var (code, output, error) = Run(_temp, "validate", file);

        code.Should().Be(1);
        output.Should().Contain("timer.bpmn:7: W: timeDuration 'P99999999DT99999999H' is longer than the limit of 366 days");
        (output + error).Should().NotContain(" at ").And.NotContain(".cs:line");
    }

    [Fact]
    public void Validate_ConditionWithTenThousandNestedParentheses_IsOneProblemLine()
    {
        var file = WriteProcess("deep", $"""
                <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="E">
                  <bpmn:conditionExpression>{new string('(', 10_000)}true{new string(')', 10_000)}</bpmn:conditionExpression>
                </bpmn:sequenceFlow>
            """);

        var (code, output, _) = Run(_temp, "validate", file);

        code.Should().Be(1);
        output.Should().Contain("deep.bpmn:6: f1: condition '((((").And.Contain("nests deeper than 64 levels");
        output.Length.Should().BeLessThan(1_000);
    }

    [Fact]
    public void Validate_FolderWithADanglingLink_ReportsThatFileAndGoesOn()
    {
        File.CreateSymbolicLink(Path.Combine(_temp, "gone.bpmn"), Path.Combine(_temp, "nowhere.bpmn"));

        var (code, output, error) = Run(_temp, "validate", _temp);

        code.Should().Be(1, error);
        output.Should().Contain("gone.bpmn:0: the file cannot be read: ");
        error.Should().BeEmpty();
    }

    [Fact]
    public void Simulate_StartAtTheEndOfTheCalendar_IsRefusedInOneLine()
    {
        var script = Path.Combine(_temp, "late.json");
        File.WriteAllText(script, """{ "workflow": "email", "start": "9999-12-31T23:59:00+00:00", "steps": [ { "at": "+99:00:00", "complete": "Task_Nope" } ] }""");

        var (code, _, error) = Run(Root, "simulate", "email", script);

        code.Should().Be(1);
        error.Should().Be($"error: {script}: 'start' is '9999-12-31T23:59:00+00:00'; a script starts before the year 9000{Environment.NewLine}");
    }

    [Fact]
    public async Task Guarded_CommandThatThrows_PrintsOneLineAndExitsThree()
    {
        using var stderr = new StringWriter();

        var code = await CliApp.Guarded(() => throw new InvalidOperationException("first line\nsecond line"), stderr);

        code.Should().Be(CliApp.InternalError);
        stderr.ToString().Should().Be("error: internal error (InvalidOperationException): first line second line" + Environment.NewLine);
    }
}
