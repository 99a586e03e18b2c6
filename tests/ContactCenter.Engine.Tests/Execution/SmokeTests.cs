using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Parsing;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

public class SmokeTests
{
    private const string Ladder = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cc="https://contactcenter.pegadaian.co.id/schema/bpmn/1.0" id="d">
          <bpmn:message id="M" name="customer-message" />
          <bpmn:process id="ladder" isExecutable="true">
            <bpmn:laneSet id="ls"><bpmn:lane id="L" name="Agent"><bpmn:flowNodeRef>T1</bpmn:flowNodeRef><bpmn:flowNodeRef>G1</bpmn:flowNodeRef><bpmn:flowNodeRef>P1</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:startEvent id="S" />
            <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T1" />
            <bpmn:userTask id="T1" name="Salam pembuka" cc:step="1" cc:script="Selamat {salam}" />
            <bpmn:sequenceFlow id="f2" sourceRef="T1" targetRef="EG" />
            <bpmn:eventBasedGateway id="EG" />
            <bpmn:sequenceFlow id="f3" sourceRef="EG" targetRef="Msg" />
            <bpmn:sequenceFlow id="f4" sourceRef="EG" targetRef="Tm" />
            <bpmn:intermediateCatchEvent id="Msg"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent>
            <bpmn:intermediateCatchEvent id="Tm"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f5" sourceRef="Tm" targetRef="P1" />
            <bpmn:sendTask id="P1" cc:step="2a" cc:script="Apakah saat ini Bapak/Ibu masih terhubung dengan kami?" />
            <bpmn:sequenceFlow id="f6" sourceRef="P1" targetRef="E" />
            <bpmn:sequenceFlow id="f7" sourceRef="Msg" targetRef="G1" />
            <bpmn:exclusiveGateway id="G1" name="Butuh bantuan lain?" />
            <bpmn:sequenceFlow id="f8" name="Ya" sourceRef="G1" targetRef="T1" />
            <bpmn:sequenceFlow id="f9" name="Tidak" sourceRef="G1" targetRef="E" />
            <bpmn:endEvent id="E" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public void Ladder_SilenceThenReply_RunsAndReplays()
    {
        var parsed = BpmnParser.Parse(Ladder, "ladder.bpmn");
        parsed.Problems.Should().BeEmpty();
        var engine = new WorkflowEngine(new DefinitionSet([parsed.Definition!]));
        var t0 = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.FromHours(7));
        var journal = new List<WorkflowEvent>();
        var d = engine.Decide(InstanceState.Empty, new StartInstance("ladder", new Dictionary<string, Expressions.Value> { ["salam"] = "pagi" }) { Actor = "agent1" }, t0);
        journal.AddRange(d.Events);
        d.State.WorkItems.Should().ContainSingle().Which.Script.Should().Be("Selamat pagi");
        d = engine.Decide(d.State, new CompleteWorkItem(d.State.WorkItems.Single().Id) { Actor = "agent1" }, t0.AddSeconds(10));
        journal.AddRange(d.Events);
        d.State.Timers.Should().ContainSingle().Which.DueAt.Should().Be(t0.AddSeconds(70));
        d = engine.Decide(d.State, new DeliverMessage("customer-message", "halo"), t0.AddSeconds(40));
        journal.AddRange(d.Events);
        d.State.Timers.Should().BeEmpty();
        d.State.WorkItems.Should().ContainSingle().Which.Outcomes.Should().Equal("Ya", "Tidak");
        d = engine.Decide(d.State, new CompleteWorkItem(d.State.WorkItems.Single().Id, "tidak"), t0.AddSeconds(50));
        journal.AddRange(d.Events);
        d.State.Status.Should().Be(InstanceStatus.Completed);

        var text = JournalSerializer.ToJsonArray(journal);
        var back = JournalSerializer.FromJsonArray(text);
        WorkflowEngine.Fold(back).ToJson().Should().Be(d.State.ToJson());
        JournalSerializer.ToJsonArray(back).Should().Be(text);
    }
}
