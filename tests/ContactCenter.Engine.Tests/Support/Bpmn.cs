using System.Text;
using System.Text.RegularExpressions;

namespace ContactCenter.Engine.Tests.Support;

/// <summary>
/// Builds inline BPMN documents for tests: <see cref="Process"/> wraps a process body in the
/// definitions boilerplate (namespaces, two declared messages, an Agent lane holding every task
/// and gateway), <see cref="Chain"/> writes the sequence flows of a straight path, and
/// <see cref="LineOf"/> finds the line an element is written on, for asserting reported lines.
/// </summary>
internal static partial class Bpmn
{
    public const string Model = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    public const string Cc = "https://contactcenter.pegadaian.co.id/schema/bpmn/1.0";

    /// <summary>Declared by default: <c>customer-message</c> (Msg_customer) and <c>confirmation</c> (Msg_confirm).</summary>
    public const string DefaultMessages = """
          <bpmn:message id="Msg_customer" name="customer-message" />
          <bpmn:message id="Msg_confirm" name="confirmation" />
        """;

    /// <summary>A whole document holding one executable process with the given body.</summary>
    /// <param name="body">The process content: nodes and flows (lanes are added unless <paramref name="lanes"/> is false).</param>
    /// <param name="key">The process id, i.e. the definition key.</param>
    /// <param name="lanes">Put every task, gateway, call activity and sub-process into an "Agent" lane.</param>
    /// <param name="messages">The message declarations.</param>
    public static string Process(string body, string key = "p", bool lanes = true, string messages = DefaultMessages)
    {
        var laneSet = lanes ? LaneSet(body) : string.Empty;
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="{Model}" xmlns:cc="{Cc}" id="Defs_{key}">
            {messages}
              <bpmn:process id="{key}" name="Test {key}" isExecutable="true">
            {laneSet}
            {body}
              </bpmn:process>
            </bpmn:definitions>
            """;
    }

    /// <summary>Sequence flows S→A→B→...: ids are <c>f_S_A</c>, <c>f_A_B</c>, ...</summary>
    public static string Chain(params string[] nodeIds)
    {
        var sb = new StringBuilder();
        for (var i = 0; i + 1 < nodeIds.Length; i++)
        {
            sb.Append(Flow(nodeIds[i], nodeIds[i + 1])).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>One sequence flow with id <c>f_{source}_{target}</c> unless <paramref name="id"/> is given.</summary>
    public static string Flow(string source, string target, string? name = null, string? condition = null, string? id = null)
    {
        var nameAttr = name is null ? string.Empty : $" name=\"{name}\"";
        var flowId = id ?? $"f_{source}_{target}";
        return condition is null
            ? $"<bpmn:sequenceFlow id=\"{flowId}\" sourceRef=\"{source}\" targetRef=\"{target}\"{nameAttr} />"
            : $"<bpmn:sequenceFlow id=\"{flowId}\" sourceRef=\"{source}\" targetRef=\"{target}\"{nameAttr}><bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>";
    }

    /// <summary>A timer catch or boundary definition body.</summary>
    public static string Timer(string duration) =>
        $"<bpmn:timerEventDefinition><bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>";

    /// <summary>A message event definition referring to a declared message id.</summary>
    public static string Message(string messageRef = "Msg_customer") => $"<bpmn:messageEventDefinition messageRef=\"{messageRef}\" />";

    /// <summary>The 1-based line of the first line of <paramref name="xml"/> containing <paramref name="text"/>.</summary>
    public static int LineOf(string xml, string text)
    {
        var lines = xml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(text, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        throw new ArgumentException($"'{text}' does not occur in the document", nameof(text));
    }

    /// <summary>The line of the element with the given id.</summary>
    public static int LineOfId(string xml, string id) => LineOf(xml, $"id=\"{id}\"");

    private static string LaneSet(string body)
    {
        var refs = LaneMembers().Matches(body).Select(m => $"<bpmn:flowNodeRef>{m.Groups["id"].Value}</bpmn:flowNodeRef>");
        return $"""<bpmn:laneSet id="LaneSet"><bpmn:lane id="Lane_Agent" name="Agent">{string.Concat(refs)}</bpmn:lane></bpmn:laneSet>""";
    }

    [GeneratedRegex(@"<bpmn:(?:userTask|manualTask|serviceTask|sendTask|receiveTask|exclusiveGateway|callActivity|subProcess)\b[^>]*?\bid=""(?<id>[^""]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex LaneMembers();
}
