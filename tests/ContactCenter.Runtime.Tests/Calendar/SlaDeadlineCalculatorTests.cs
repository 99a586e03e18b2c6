using System.Text.RegularExpressions;
using ContactCenter.Engine;
using ContactCenter.Engine.Parsing;
using ContactCenter.Modules.Calendar;
using FluentAssertions;
using static ContactCenter.Runtime.Tests.Calendar.RuntimeData;

namespace ContactCenter.Runtime.Tests.Calendar;

public partial class SlaDeadlineCalculatorTests
{
    private static readonly SlaDeadlineCalculator Calculator = new(RuntimeData.Calendar, Sla.Policies);

    [Fact]
    public void DueAt_NoPolicy_IsThePlainDuration() =>
        Calculator.DueAt(Wib(3, 21, 23), TimeSpan.FromMinutes(1), null).Should().Be(Wib(3, 21, 23, 1));

    [Fact]
    public void DueAt_ComplaintResolution_IsTenWorkingDaysNotTenCalendarDays()
    {
        var due = Calculator.DueAt(Wib(3, 17, 10), TimeSpan.FromDays(10), "complaint-resolution");

        due.Should().Be(Wib(4, 8, 10));
        due.Offset.Should().Be(WibOffset);
    }

    [Fact]
    public void DueAt_ComplaintWarning_IsThreeQuartersOfTheWorkingTarget() =>
        Calculator.DueAt(Wib(3, 17, 10), TimeSpan.FromDays(7.5), "complaint-warning").Should().Be(Wib(4, 2, 14, 30));

    [Fact]
    public void DueAt_UtcFrom_AnswersInUtc()
    {
        var due = Calculator.DueAt(Wib(3, 17, 10).ToUniversalTime(), TimeSpan.FromDays(10), "complaint-resolution");

        due.Offset.Should().Be(TimeSpan.Zero);
        due.Should().Be(Wib(4, 8, 10));
    }

    [Fact]
    public void DueAt_UnknownPolicy_ThrowsNamingIt() =>
        FluentActions.Invoking(() => Calculator.DueAt(Wib(3, 17, 10), TimeSpan.FromDays(1), "complaint-late"))
            .Should().Throw<KeyNotFoundException>().WithMessage("*'complaint-late'*known: complaint-warning, complaint-resolution*");

    [Fact]
    public void DueAt_SameArguments_SameAnswer() =>
        Calculator.DueAt(Wib(5, 13, 16), TimeSpan.Zero, "complaint-resolution").Should().Be(Calculator.DueAt(Wib(5, 13, 16), TimeSpan.Zero, "complaint-resolution"));

    [Fact]
    public void Knows_EverySlaPolicyNameInTheWorkflows_IsATimerPolicy()
    {
        var names = Directory.EnumerateFiles(Workflows, "*.bpmn")
            .SelectMany(path => SlaPolicyAttribute().Matches(File.ReadAllText(path)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        names.Should().BeEquivalentTo(["complaint-warning", "complaint-resolution"]);
        names.Should().OnlyContain(name => Calculator.Knows(name));
    }

    [Fact]
    public void Engine_TicketEscalationStarted_SchedulesSlaTimersOnTheWorkingCalendar()
    {
        var parsed = BpmnParser.Parse(File.ReadAllText(Path.Combine(Workflows, "ticket-escalation.bpmn")), "ticket-escalation.bpmn");
        parsed.Problems.Should().BeEmpty();
        var engine = new WorkflowEngine(new DefinitionSet([parsed.Definition!]), Calculator);

        var decision = engine.Decide(InstanceState.Empty, new StartInstance("ticket-escalation") { Actor = "tier2" }, Wib(3, 17, 10));

        decision.State.Timers.Should().Contain(t => t.ElementId == "Event_SlaWarning" && t.DueAt == Wib(4, 2, 14, 30));
        decision.State.Timers.Should().Contain(t => t.ElementId == "Event_SlaBreach" && t.DueAt == Wib(4, 8, 10));
    }

    [GeneratedRegex("cc:slaPolicy=\"([^\"]+)\"")]
    private static partial Regex SlaPolicyAttribute();
}
