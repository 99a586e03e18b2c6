namespace ContactCenter.Tests;

/// <summary>The smallest flow with a timer: start, wait one minute, end. For timer tests and benchmarks.</summary>
internal static class WaitFlow
{
    public const string Key = "wait";

    public const string Bpmn = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs-wait">
          <bpmn:process id="wait" name="Wait a minute" isExecutable="true">
            <bpmn:startEvent id="S" />
            <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T" />
            <bpmn:intermediateCatchEvent id="T" name="1 menit"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f2" sourceRef="T" targetRef="E" />
            <bpmn:endEvent id="E" />
          </bpmn:process>
        </bpmn:definitions>
        """;
}
