using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

/// <summary>Context variables the runtime sends with commands (the greeting right for the minute).</summary>
public class CommandContextTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 17, 55, 0, TimeSpan.FromHours(7));

    private static readonly string Xml = Bpmn.Process(Bpmn.Chain("S", "A", "T", "B", "E") + """
        <bpmn:startEvent id="S" />
        <bpmn:userTask id="A" name="Identifikasi kebutuhan" />
        <bpmn:intermediateCatchEvent id="T">
        """ + Bpmn.Timer("PT1M") + """
        </bpmn:intermediateCatchEvent>
        <bpmn:userTask id="B" name="Salam penutup" cc:script="{salamPenutup}, terima kasih" />
        <bpmn:endEvent id="E" />
        """);

    private static WorkflowEngine Engine()
    {
        var parsed = BpmnParser.Parse(Xml);
        parsed.Problems.Should().BeEmpty();
        return new WorkflowEngine(new DefinitionSet([parsed.Definition!]));
    }

    private static Dictionary<string, Value> Greeting(string closing) => new() { ["salamPenutup"] = closing };

    [Fact]
    public void Decide_ContextChangesBetweenCommands_JournalsOnlyTheChangeBeforeTheCommand()
    {
        var engine = Engine();
        var started = engine.Decide(InstanceState.Empty, new StartInstance("p") { Context = Greeting("Selamat beraktifitas") }, T0);
        started.Events.OfType<VariablesSet>().Should().ContainSingle().Which.ElementId.Should().Be("$context");

        var same = engine.Decide(started.State, new CompleteWorkItem(started.State.WorkItems[0].Id) { Context = Greeting("Selamat beraktifitas") }, T0.AddMinutes(1));
        same.Events.OfType<VariablesSet>().Should().BeEmpty("an unchanged context adds nothing to the journal");

        var timer = same.State.Timers.Single();
        var fired = engine.Decide(same.State, new FireTimer(timer.Id) { Context = Greeting("Selamat beristirahat") }, T0.AddMinutes(7));

        fired.Events[0].Should().BeOfType<VariablesSet>().Which.Values["salamPenutup"].Should().Be(Value.From("Selamat beristirahat"));
        fired.State.WorkItems.Single().Script.Should().Be("Selamat beristirahat, terima kasih");
        WorkflowEngine.Fold([.. started.Events, .. same.Events, .. fired.Events]).ToJson().Should().Be(fired.State.ToJson());
    }

    [Fact]
    public void Decide_StartWithExplicitVariable_ExplicitValueWinsOverContext()
    {
        var started = Engine().Decide(
            InstanceState.Empty,
            new StartInstance("p", Greeting("Selamat berlibur")) { Context = new Dictionary<string, Value> { ["salamPenutup"] = "Selamat beraktifitas", ["zona"] = "WIB" } },
            T0);

        started.State.Variables["salamPenutup"].Should().Be(Value.From("Selamat berlibur"));
        started.State.Variables["zona"].Should().Be(Value.From("WIB"));
    }

    [Fact]
    public void Decide_StaleTimerWithContext_StaysANoOp()
    {
        var engine = Engine();
        var started = engine.Decide(InstanceState.Empty, new StartInstance("p"), T0);

        var stale = engine.Decide(started.State, new FireTimer(999) { Context = Greeting("Selamat beristirahat") }, T0.AddMinutes(10));

        stale.Events.Should().BeEmpty();
    }
}
