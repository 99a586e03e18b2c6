namespace ContactCenter.Tests;

/// <summary>The smallest flow that writes an outbox row: start, one prompt to the customer, end. For outbox tests and benchmarks.</summary>
internal static class PromptFlow
{
    public const string Key = "prompt";

    public const string Bpmn = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs-prompt">
          <bpmn:process id="prompt" name="One prompt" isExecutable="true">
            <bpmn:laneSet id="ls"><bpmn:lane id="Lane_Agent" name="Agent"><bpmn:flowNodeRef>P</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:startEvent id="S" />
            <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="P" />
            <bpmn:sendTask id="P" name="Terima kasih" />
            <bpmn:sequenceFlow id="f2" sourceRef="P" targetRef="E" />
            <bpmn:endEvent id="E" />
          </bpmn:process>
        </bpmn:definitions>
        """;
}
