using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Model;

namespace ContactCenter.Engine.Parsing;

/// <summary>Limits that keep a hostile document from exhausting the process.</summary>
public sealed record BpmnParserOptions
{
    /// <summary>Largest accepted document, in characters. Default is 4 MiB.</summary>
    public int MaxCharacters { get; init; } = 4 * 1024 * 1024;

    /// <summary>Most elements accepted. Default is 100,000.</summary>
    public int MaxElements { get; init; } = 100_000;

    /// <summary>Deepest element nesting accepted. Default is 64.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most attributes accepted on one element. Default is 64.</summary>
    public int MaxAttributesPerElement { get; init; } = 64;

    /// <summary>
    /// Most problems listed in a result; the rest are counted in one closing problem. Default is 100.
    /// </summary>
    /// <remarks>
    /// A 3.3 MB draft with 90,000 problems answered with an 89.8 MB list (issue 16); nobody reads
    /// past the first hundred before fixing them.
    /// </remarks>
    public int MaxProblems { get; init; } = 100;
}

/// <summary>
/// Reads BPMN 2.0 XML into a <see cref="WorkflowDefinition"/>, refusing DTDs (hence external
/// entities and entity expansion), oversized input and anything outside the documented subset.
/// </summary>
public static partial class BpmnParser
{
    public const string BpmnNamespace = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    public const string DiagramNamespace = "http://www.omg.org/spec/BPMN/20100524/DI";
    public const string ExtensionNamespace = "https://contactcenter.pegadaian.co.id/schema/bpmn/1.0";
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    private static readonly XNamespace Bpmn = BpmnNamespace;
    private static readonly XNamespace Cc = ExtensionNamespace;

    private static readonly HashSet<string> KnownExtensionAttributes = new(StringComparer.Ordinal) { "step", "script", "fields", "serviceKind", "slaPolicy", "assign", "performer", "startableBy", "purpose", "flowKind" };

    private static readonly Dictionary<string, NodeKind> TaskKinds = new(StringComparer.Ordinal)
    {
        ["userTask"] = NodeKind.UserTask,
        ["manualTask"] = NodeKind.ManualTask,
        ["serviceTask"] = NodeKind.ServiceTask,
        ["sendTask"] = NodeKind.SendTask,
        ["receiveTask"] = NodeKind.ReceiveTask,
    };

    /// <summary>Parses a document and validates it as a single definition (call activities unchecked).</summary>
    public static ParseResult Parse(string xml, string? sourceName = null, BpmnParserOptions? options = null)
    {
        options ??= new BpmnParserOptions();
        var (definition, problems) = ParseUnvalidated(xml, sourceName, options);
        if (definition is not null)
        {
            problems.AddRange(DefinitionValidator.Validate(definition));
        }

        return new ParseResult(definition, Capped(problems, sourceName, options.MaxProblems));
    }

    /// <summary>The first <paramref name="max"/> problems in order, then one that counts the rest.</summary>
    private static List<DefinitionProblem> Capped(List<DefinitionProblem> problems, string? sourceName, int max)
    {
        if (problems.Count <= max)
        {
            return problems;
        }

        var rest = problems.Count - max;
        var capped = problems.GetRange(0, max);
        capped.Add(new DefinitionProblem(sourceName, null, problems[max].Line,
            string.Create(CultureInfo.InvariantCulture, $"{rest:N0} more problem(s) from this line on are not listed; fix the ones above first")));
        return capped;
    }

    /// <summary>Reads at most the size limit from a stream (UTF-8 unless the document says otherwise).</summary>
    public static ParseResult Parse(Stream stream, string? sourceName = null, BpmnParserOptions? options = null)
    {
        options ??= new BpmnParserOptions();
        using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[options.MaxCharacters + 1];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        if (read > options.MaxCharacters)
        {
            return TooLarge(sourceName, options);
        }

        return Parse(new string(buffer, 0, read), sourceName, options);
    }

    private static ParseResult TooLarge(string? sourceName, BpmnParserOptions options) =>
        new(null, [new DefinitionProblem(sourceName, null, 0, $"the document is larger than the limit of {options.MaxCharacters} characters")]);

    internal static (WorkflowDefinition? Definition, List<DefinitionProblem> Problems) ParseUnvalidated(string xml, string? sourceName, BpmnParserOptions options)
    {
        var problems = new List<DefinitionProblem>();
        if (xml.Length > options.MaxCharacters)
        {
            return (null, [.. TooLarge(sourceName, options).Problems]);
        }

        XDocument document;
        try
        {
            CheckShape(xml, options);
            using var reader = XmlReader.Create(new StringReader(xml), SecureSettings(options));
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            // The reader refuses a DTD without a line number; the DOCTYPE's own line is the one to fix.
            // An empty document ("Root element is missing") has no line either: it is line 1.
            var line = e.LineNumber == 0 ? Math.Max(1, LineOfText(xml, "<!DOCTYPE")) : e.LineNumber;
            problems.Add(new DefinitionProblem(sourceName, null, line, DescribeXmlError(e)));
            return (null, problems);
        }
        catch (ShapeException e)
        {
            problems.Add(new DefinitionProblem(sourceName, null, e.Line, e.Message));
            return (null, problems);
        }

        var builder = new Builder(sourceName, problems);
        var definition = builder.Build(document.Root!);
        return (problems.Count == 0 ? definition : null, problems);
    }

    private static XmlReaderSettings SecureSettings(BpmnParserOptions options) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = options.MaxCharacters,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    private static int LineOfText(string xml, string text)
    {
        var index = xml.IndexOf(text, StringComparison.Ordinal);
        return index < 0 ? 0 : 1 + xml.AsSpan(0, index).Count('\n');
    }

    private static string DescribeXmlError(XmlException e) =>
        e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
            ? "DTDs are not allowed in a definition (they enable external entities and entity expansion)"
            : $"the XML is not well-formed: {e.Message}";

    /// <summary>A streaming first pass: counts elements and depth before any tree is built.</summary>
    private static void CheckShape(string xml, BpmnParserOptions options)
    {
        using var reader = XmlReader.Create(new StringReader(xml), SecureSettings(options));
        var lineInfo = (IXmlLineInfo)reader;
        var elements = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (++elements > options.MaxElements)
            {
                throw new ShapeException($"the document has more than {options.MaxElements} elements", lineInfo.LineNumber);
            }

            if (reader.Depth >= options.MaxDepth)
            {
                throw new ShapeException($"elements are nested deeper than {options.MaxDepth} levels", lineInfo.LineNumber);
            }

            if (reader.AttributeCount > options.MaxAttributesPerElement)
            {
                throw new ShapeException($"<{Excerpt.Of(reader.LocalName, 40)}> has {reader.AttributeCount} attributes, more than the limit of {options.MaxAttributesPerElement}", lineInfo.LineNumber);
            }
        }
    }

    private sealed class ShapeException(string message, int line) : Exception(message)
    {
        public int Line { get; } = line;
    }

    /// <summary>
    /// Parses an ISO 8601 duration of weeks, days, hours, minutes and seconds (no years or months:
    /// their length varies); null when it is not one or is longer than 366 days.
    /// </summary>
    public static TimeSpan? ParseDuration(string text) => IsoDuration.Parse(text, out _);

    private sealed partial class Builder(string? source, List<DefinitionProblem> problems)
    {
        private readonly Dictionary<string, FlowNode> _nodes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SequenceFlow> _flows = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _messages = new(StringComparer.Ordinal);
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

        public WorkflowDefinition? Build(XElement root)
        {
            if (root.Name != Bpmn + "definitions")
            {
                var ns = root.Name.NamespaceName;
                Problem(root, null, root.Name.LocalName == "definitions"
                    ? $"the root element is in namespace '{ns}', not the BPMN 2.0 model namespace {BpmnNamespace}"
                    : $"the root element is <{root.Name.LocalName}>, not a BPMN 2.0 <definitions> element");
                return null;
            }

            XElement? process = null;
            foreach (var child in root.Elements())
            {
                if (child.Name.Namespace == DiagramNamespace)
                {
                    continue;
                }

                switch (Local(child))
                {
                    case "process" when process is null:
                        process = child;
                        break;
                    case "process":
                        Problem(child, Id(child), "a definition file holds exactly one process; put each process in its own file and use a call activity");
                        break;
                    case "message":
                        var messageId = RequireId(child);
                        if (messageId is not null)
                        {
                            _messages[messageId] = Attr(child, "name") ?? messageId;
                        }

                        break;
                    case "collaboration":
                        CheckCollaboration(child);
                        break;
                    case "documentation":
                        break;
                    default:
                        Outside(child);
                        break;
                }
            }

            if (process is null)
            {
                Problem(root, null, "the document has no <process>");
                return null;
            }

            var key = RequireId(process);
            if (key is not null && !DefinitionKeys.IsValid(key))
            {
                Problem(process, key, "the process id is the definition key: " + DefinitionKeys.Description);
            }

            if (Attr(process, "isExecutable") != "true")
            {
                Problem(process, key, "the process must be marked isExecutable=\"true\"");
            }

            CheckExtensionAttributes(process, allowed: ["startableBy", "flowKind"]);
            var startableBy = Roles(process, "startableBy", key);
            var flowKind = Ext(process, "flowKind");
            if (flowKind is not null && !PurposePattern().IsMatch(flowKind))
            {
                Problem(process, key, $"cc:flowKind '{Excerpt.Of(flowKind)}' is not a name (lower-case letters, digits and hyphens, e.g. conversation)");
                flowKind = null;
            }

            var container = new NodeContainer(null) { Line = LineOf(process) };
            var lanes = new List<Lane>();
            ReadContainer(process, container, lanes);
            WireUp(lanes);
            return new WorkflowDefinition(key ?? "?", Attr(process, "name"), Documentation(process), lanes, container, _nodes, _flows, _messages, source) { StartableBy = startableBy, FlowKind = flowKind };
        }

        private void CheckCollaboration(XElement collaboration)
        {
            foreach (var child in collaboration.Elements())
            {
                switch (Local(child))
                {
                    case "participant":
                        foreach (var inner in child.Elements().Where(e => Local(e) != "documentation"))
                        {
                            NotInSubset(inner, Id(child), "a participant");
                        }

                        break;
                    case "textAnnotation":
                    case "association":
                    case "documentation":
                        break;
                    default:
                        Outside(child);
                        break;
                }
            }
        }

        private void ReadContainer(XElement element, NodeContainer container, List<Lane> lanes)
        {
            foreach (var child in element.Elements())
            {
                if (child.Name.Namespace != Bpmn)
                {
                    Problem(child, Id(child), $"<{child.Name}> is not BPMN and is not part of a definition");
                    continue;
                }

                var local = Local(child);
                switch (local)
                {
                    case "documentation" or "textAnnotation" or "association" or "incoming" or "outgoing":
                        break;
                    case "extensionElements" when !child.HasElements:
                        break;
                    case "extensionElements":
                        NotInSubset(child, Id(element), container.SubProcessId is null ? "the process" : "subProcess");
                        break;
                    case "multiInstanceLoopCharacteristics" or "standardLoopCharacteristics" when container.SubProcessId is not null:
                        Problem(child, container.SubProcessId, $"<{local}> inside subProcess is outside the supported subset");
                        break;
                    case "laneSet" when container.SubProcessId is null:
                        ReadLaneSet(child, lanes);
                        break;
                    case "sequenceFlow":
                        ReadFlow(child, container);
                        break;
                    default:
                        var node = ReadNode(child, local);
                        if (node is not null)
                        {
                            node.Container = container;
                            container.NodeList.Add(node);
                            if (node is StartEvent start)
                            {
                                container.Start ??= start;
                            }

                            if (node is SubProcess subProcess)
                            {
                                ReadContainer(child, subProcess.Body, lanes);
                            }
                        }

                        break;
                }
            }
        }

        private void ReadLaneSet(XElement laneSet, List<Lane> lanes)
        {
            foreach (var lane in laneSet.Elements())
            {
                if (Local(lane) != "lane")
                {
                    Outside(lane);
                    continue;
                }

                var id = RequireId(lane);
                var name = Attr(lane, "name");
                if (string.IsNullOrWhiteSpace(name))
                {
                    Problem(lane, id, "a lane needs a name: the role that works its tasks (Agent, Tier 2, Pihak Terkait)");
                }

                foreach (var child in lane.Elements())
                {
                    switch (Local(child))
                    {
                        case "flowNodeRef" or "documentation":
                        case "extensionElements" when !child.HasElements:
                            break;
                        case "childLaneSet":
                            Problem(child, id, "nested lanes are outside the subset (<childLaneSet>); use one level of lanes, one per role");
                            break;
                        default:
                            NotInSubset(child, id, "a lane");
                            break;
                    }
                }

                CheckExtensionAttributes(lane, allowed: ["performer"]);
                var performers = Roles(lane, "performer", id);
                if (performers.Count > 1)
                {
                    Problem(lane, id, $"cc:performer names one role, not {performers.Count}: split the lane");
                }

                var refs = lane.Elements(Bpmn + "flowNodeRef").Select(r => r.Value.Trim()).ToList();
                lanes.Add(new Lane(id ?? "?", name ?? "?", refs, LineOf(lane)) { Performer = performers.Count > 0 ? performers[0] : null });
            }
        }

        private void ReadFlow(XElement element, NodeContainer container)
        {
            var id = RequireId(element);
            var sourceRef = Attr(element, "sourceRef");
            var targetRef = Attr(element, "targetRef");
            if (sourceRef is null || targetRef is null)
            {
                Problem(element, id, "a sequence flow needs sourceRef and targetRef");
                return;
            }

            CheckExtensionAttributes(element, allowed: []);
            var flow = new SequenceFlow(id ?? "?", Attr(element, "name"), sourceRef, targetRef, LineOf(element));
            foreach (var child in element.Elements())
            {
                switch (Local(child))
                {
                    case "documentation":
                        break;
                    case "conditionExpression":
                        var language = Attr(child, "language");
                        if (language is not null && language != "cc-expr")
                        {
                            Problem(child, id, $"condition language '{language}' is not supported; leave it out (our expression language is the default)");
                            break;
                        }

                        try
                        {
                            flow.Condition = Expression.Parse(child.Value);
                        }
                        catch (ExpressionSyntaxException e)
                        {
                            Problem(child, id, $"condition '{Excerpt.Of(child.Value.Trim())}' does not parse: {e.Message}");
                        }

                        break;
                    default:
                        NotInSubset(child, id, "sequenceFlow");
                        break;
                }
            }

            if (id is not null)
            {
                _flows[id] = flow;
                container.FlowList.Add(flow);
            }
        }

        private FlowNode? ReadNode(XElement element, string local)
        {
            var id = RequireId(element);
            if (id is null)
            {
                return null;
            }

            var name = Attr(element, "name");
            var line = LineOf(element);
            FlowNode? node;
            var definitions = element.Elements().Where(e => Local(e).EndsWith("EventDefinition", StringComparison.Ordinal)).ToList();
            foreach (var child in element.Elements())
            {
                var childName = Local(child);
                if (childName is "documentation" or "incoming" or "outgoing" || definitions.Contains(child)
                    || (childName == "extensionElements" && !child.HasElements)
                    || (local == "subProcess" && child.Name.Namespace == Bpmn))
                {
                    continue;
                }

                NotInSubset(child, id, local);
            }

            if (definitions.Count > 1)
            {
                Problem(element, id, "an event with more than one event definition is outside the supported subset");
                return null;
            }

            var definition = definitions.FirstOrDefault();
            var definitionName = definition is null ? null : Local(definition);
            string[] allowedExtras = [];
            switch (local)
            {
                case "startEvent":
                    if (definition is not null)
                    {
                        Problem(element, id, $"a start event with a {definitionName} is outside the subset; instances are started by the runtime, so use a none start event");
                    }

                    node = new StartEvent(id, name, line);
                    break;
                case "endEvent":
                    if (definition is not null && definitionName != "terminateEventDefinition")
                    {
                        Problem(element, id, $"an end event with a {definitionName} is outside the subset (none and terminate are supported)");
                    }

                    node = new EndEvent(id, name, line, definitionName == "terminateEventDefinition");
                    break;
                case var _ when TaskKinds.TryGetValue(local, out var kind):
                    var serviceKind = Ext(element, "serviceKind");
                    if (serviceKind is not null && kind != NodeKind.ServiceTask)
                    {
                        Problem(element, id, "cc:serviceKind belongs on a service task");
                    }

                    allowedExtras = ["serviceKind"];
                    var messageRef = kind == NodeKind.ReceiveTask ? Attr(element, "messageRef") : null;
                    if (kind == NodeKind.ReceiveTask && messageRef is null)
                    {
                        Problem(element, id, "a receive task needs a messageRef naming the message it waits for");
                    }

                    node = new TaskNode(id, name, line, kind) { ServiceKind = serviceKind, MessageRef = messageRef };
                    break;
                case "exclusiveGateway":
                    node = new ExclusiveGateway(id, name, line) { DefaultFlowId = Attr(element, "default") };
                    break;
                case "parallelGateway":
                    node = new ParallelGateway(id, name, line);
                    break;
                case "eventBasedGateway":
                    if (Attr(element, "eventGatewayType") is "Parallel" || Attr(element, "instantiate") == "true")
                    {
                        Problem(element, id, "only exclusive, non-instantiating event-based gateways are supported");
                    }

                    node = new EventBasedGateway(id, name, line);
                    break;
                case "intermediateCatchEvent":
                    node = ReadCatch(element, id, name, line, definition);
                    allowedExtras = ["slaPolicy"];
                    break;
                case "intermediateThrowEvent":
                    if (definition is not null && definitionName != "linkEventDefinition")
                    {
                        Problem(element, id, $"an intermediate throw event with a {definitionName} is outside the subset (none and link are supported)");
                    }

                    node = new ThrowEvent(id, name, line, definition is null ? null : LinkName(definition, element, id));
                    break;
                case "boundaryEvent":
                    node = ReadBoundary(element, id, name, line, definition);
                    allowedExtras = ["slaPolicy"];
                    break;
                case "callActivity":
                    var called = Attr(element, "calledElement");
                    if (string.IsNullOrWhiteSpace(called))
                    {
                        Problem(element, id, "a call activity needs calledElement: the key of the definition it runs");
                    }

                    node = new CallActivity(id, name, line, called ?? string.Empty);
                    break;
                case "subProcess":
                    if (Attr(element, "triggeredByEvent") == "true")
                    {
                        Problem(element, id, "event sub-processes are outside the supported subset");
                    }

                    node = new SubProcess(id, name, line);
                    break;
                default:
                    Outside(element);
                    return null;
            }

            CheckExtensionAttributes(element, [.. allowedExtras, "purpose"]);
            return node is null ? null : Register(node, element, id);
        }

        private FlowNode Register(FlowNode node, XElement element, string id)
        {
            node.Step = Ext(element, "step");
            node.Script = Ext(element, "script");
            node.Fields = Fields(element);
            node.Purposes = Purposes(element, id);
            node.Assignments = Assignments(element, id);
            node.Documentation = Documentation(element);
            _nodes[node.Id] = node;
            return node;
        }

        private CatchEvent? ReadCatch(XElement element, string id, string? name, int line, XElement? definition)
        {
            switch (definition is null ? null : Local(definition))
            {
                case "timerEventDefinition":
                    return new CatchEvent(id, name, line, EventTrigger.Timer) { TimerDuration = Duration(definition!, id), SlaPolicy = Ext(element, "slaPolicy") };
                case "messageEventDefinition":
                    return new CatchEvent(id, name, line, EventTrigger.Message) { MessageRef = MessageRef(definition!, id) };
                case "linkEventDefinition":
                    return new CatchEvent(id, name, line, EventTrigger.Link) { LinkName = LinkName(definition!, element, id) };
                case null:
                    Problem(element, id, "an intermediate catch event needs a timer, message or link definition");
                    return null;
                default:
                    Problem(element, id, $"a catch event with a {Local(definition!)} is outside the subset (timer, message and link are supported)");
                    return null;
            }
        }

        private BoundaryEvent? ReadBoundary(XElement element, string id, string? name, int line, XElement? definition)
        {
            var attachedTo = Attr(element, "attachedToRef");
            if (attachedTo is null)
            {
                Problem(element, id, "a boundary event needs attachedToRef");
                return null;
            }

            var cancel = Attr(element, "cancelActivity") != "false";
            switch (definition is null ? null : Local(definition))
            {
                case "timerEventDefinition":
                    return new BoundaryEvent(id, name, line, EventTrigger.Timer, cancel, attachedTo) { TimerDuration = Duration(definition!, id), SlaPolicy = Ext(element, "slaPolicy") };
                case "messageEventDefinition":
                    return new BoundaryEvent(id, name, line, EventTrigger.Message, cancel, attachedTo) { MessageRef = MessageRef(definition!, id) };
                default:
                    Problem(element, id, $"a boundary event with {(definition is null ? "no event definition" : "a " + Local(definition))} is outside the subset (timer and message are supported)");
                    return null;
            }
        }

        private TimeSpan? Duration(XElement definition, string id)
        {
            foreach (var child in definition.Elements())
            {
                if (Local(child) is "timeDate" or "timeCycle")
                {
                    Problem(child, id, $"<{Local(child)}> timers are outside the subset; use timeDuration (e.g. PT1M)");
                    return null;
                }
            }

            var duration = definition.Element(Bpmn + "timeDuration");
            if (duration is null || string.IsNullOrWhiteSpace(duration.Value))
            {
                Problem(definition, id, "the timer has no timeDuration (e.g. PT1M for one minute)");
                return null;
            }

            var parsed = IsoDuration.Parse(duration.Value, out var error);
            if (parsed is null || parsed.Value <= TimeSpan.Zero)
            {
                var why = error ?? "is not a positive ISO 8601 duration of weeks, days, hours, minutes or seconds (e.g. PT1M, P10D)";
                Problem(duration, id, $"timeDuration '{Excerpt.Of(duration.Value.Trim())}' {why}");
                return null;
            }

            return parsed;
        }

        private string? MessageRef(XElement definition, string id)
        {
            var messageRef = Attr(definition, "messageRef");
            if (messageRef is null)
            {
                Problem(definition, id, "the message event needs a messageRef naming a declared <message>");
            }

            return messageRef;
        }

        private string? LinkName(XElement definition, XElement element, string id)
        {
            var name = Attr(definition, "name") ?? Attr(element, "name");
            if (string.IsNullOrWhiteSpace(name))
            {
                Problem(element, id, "a link event needs a name: throws and catches pair by it");
            }

            return name;
        }

        private void WireUp(List<Lane> lanes)
        {
            foreach (var flow in _flows.Values)
            {
                if (!_nodes.TryGetValue(flow.SourceId, out var source))
                {
                    Problem(flow.Line, flow.Id, $"sourceRef '{flow.SourceId}' is not a flow node of this process");
                    continue;
                }

                if (!_nodes.TryGetValue(flow.TargetId, out var target))
                {
                    Problem(flow.Line, flow.Id, $"targetRef '{flow.TargetId}' is not a flow node of this process");
                    continue;
                }

                if (source.Container != target.Container)
                {
                    Problem(flow.Line, flow.Id, "a sequence flow cannot cross a sub-process boundary");
                    continue;
                }

                flow.Source = source;
                flow.Target = target;
                source.OutgoingList.Add(flow);
                target.IncomingList.Add(flow);
            }

            foreach (var node in _nodes.Values)
            {
                switch (node)
                {
                    case ExclusiveGateway { DefaultFlowId: { } defaultId } gateway:
                        if (_flows.TryGetValue(defaultId, out var defaultFlow) && defaultFlow.SourceId == gateway.Id)
                        {
                            gateway.DefaultFlow = defaultFlow;
                        }
                        else
                        {
                            Problem(node.Line, node.Id, $"default flow '{defaultId}' is not an outgoing flow of this gateway");
                        }

                        break;
                    case BoundaryEvent boundary:
                        if (_nodes.TryGetValue(boundary.AttachedToId, out var host) && host is TaskNode or CallActivity or SubProcess)
                        {
                            boundary.AttachedTo = host;
                            host.BoundaryList.Add(boundary);
                        }
                        else
                        {
                            Problem(node.Line, node.Id, $"attachedToRef '{boundary.AttachedToId}' is not a task, call activity or sub-process of this process");
                        }

                        boundary.MessageName = ResolveMessage(boundary.MessageRef, node);
                        break;
                    case CatchEvent catchEvent:
                        catchEvent.MessageName = ResolveMessage(catchEvent.MessageRef, node);
                        if (catchEvent.Trigger == EventTrigger.Link && catchEvent.LinkName is { } linkName && !catchEvent.Container.LinkTargets.TryAdd(linkName, catchEvent))
                        {
                            Problem(node.Line, node.Id, $"link '{linkName}' has more than one catch event in this scope");
                        }

                        break;
                    case TaskNode task:
                        task.MessageName = ResolveMessage(task.MessageRef, node);
                        break;
                }
            }

            foreach (var node in _nodes.Values)
            {
                if (node is ThrowEvent { LinkName: { } link } throwEvent)
                {
                    throwEvent.LinkTarget = node.Container.LinkTargets.GetValueOrDefault(link);
                }
            }

            foreach (var lane in lanes)
            {
                foreach (var nodeId in lane.NodeIds)
                {
                    if (!_nodes.TryGetValue(nodeId, out var node))
                    {
                        Problem(lane.Line, lane.Id, $"flowNodeRef '{nodeId}' is not a flow node of this process");
                    }
                    else if (node.Lane is not null && node.Lane != lane.Name)
                    {
                        Problem(lane.Line, lane.Id, $"{node} is in two lanes");
                    }
                    else
                    {
                        node.Lane = lane.Name;
                        node.Performer = lane.Performer;
                    }
                }
            }

            // Nodes inside a sub-process do the sub-process's role.
            foreach (var node in _nodes.Values.OfType<SubProcess>().Where(s => s.Container.SubProcessId is null))
            {
                InheritLane(node);
            }
        }

        private static void InheritLane(SubProcess subProcess)
        {
            foreach (var child in subProcess.Body.NodeList)
            {
                if (child.Lane is null)
                {
                    child.Lane = subProcess.Lane;
                    child.Performer = subProcess.Performer;
                }
                if (child is SubProcess nested)
                {
                    InheritLane(nested);
                }
            }
        }

        private string? ResolveMessage(string? messageRef, FlowNode node)
        {
            if (messageRef is null)
            {
                return null;
            }

            if (_messages.TryGetValue(messageRef, out var name))
            {
                return name;
            }

            Problem(node.Line, node.Id, $"messageRef '{messageRef}' is not a declared <message>");
            return null;
        }

        private string? RequireId(XElement element)
        {
            var id = Attr(element, "id");
            if (string.IsNullOrWhiteSpace(id))
            {
                Problem(element, null, $"<{Local(element)}> has no id");
                return null;
            }

            if (!_ids.Add(id))
            {
                Problem(element, id, "the id is used twice");
            }

            return id;
        }

        private void CheckExtensionAttributes(XElement element, string[] allowed)
        {
            foreach (var attribute in element.Attributes())
            {
                if (attribute.Name.Namespace == Cc)
                {
                    var name = attribute.Name.LocalName;
                    if (!KnownExtensionAttributes.Contains(name))
                    {
                        Problem(element, Id(element), $"cc:{name} is not one of our extension attributes ({string.Join(", ", KnownExtensionAttributes.Select(a => "cc:" + a))})");
                    }
                    else if (name is "serviceKind" or "slaPolicy" or "performer" or "startableBy" or "purpose" or "flowKind" && !allowed.Contains(name))
                    {
                        Problem(element, Id(element), $"cc:{name} does not belong on {Local(element)}");
                    }
                }
            }
        }

        /// <summary>A comma-separated list of role names in a <c>cc:</c> attribute (<c>cc:performer</c>, <c>cc:startableBy</c>); empty when absent.</summary>
        private IReadOnlyList<string> Roles(XElement element, string attribute, string? id) =>
            Names(element, attribute, id, RolePattern(), "role names (letters and digits, e.g. Agent, Tier2, RelatedTeam)");

        /// <summary>
        /// <c>cc:purpose</c>: comma-separated names of what the node means to the product. The
        /// engine does not know the names; it only checks their shape so a typo cannot hide.
        /// </summary>
        private IReadOnlyList<string> Purposes(XElement element, string id) =>
            Names(element, "purpose", id, PurposePattern(), "purpose names (lower-case letters, digits and hyphens, e.g. opening-greeting)");

        /// <summary>A comma-separated list of names in a <c>cc:</c> attribute, each matching <paramref name="pattern"/>, without repeats; empty when absent or malformed (reported).</summary>
        private IReadOnlyList<string> Names(XElement element, string attribute, string? id, Regex pattern, string what)
        {
            if (Ext(element, attribute) is not { } text)
            {
                return [];
            }

            var names = text.Split(',', StringSplitOptions.TrimEntries);
            if (names.Any(n => !pattern.IsMatch(n)))
            {
                Problem(element, id, $"cc:{attribute} '{Excerpt.Of(text)}' is not a comma-separated list of {what}");
                return [];
            }

            return [.. names.Distinct(StringComparer.Ordinal)];
        }

        [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,63}$", RegexOptions.CultureInvariant)]
        private static partial Regex RolePattern();

        [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
        private static partial Regex PurposePattern();

        private static string[] Fields(XElement element) =>
            Ext(element, "fields") is { } fields
                ? fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [];

        private IReadOnlyList<Assignment> Assignments(XElement element, string id)
        {
            if (Ext(element, "assign") is not { } text)
            {
                return [];
            }

            try
            {
                return Expression.ParseAssignments(text);
            }
            catch (ExpressionSyntaxException e)
            {
                Problem(element, id, $"cc:assign '{Excerpt.Of(text)}' does not parse: {e.Message}");
                return [];
            }
        }

        /// <summary>
        /// A child element refused inside <paramref name="where"/>; for tool extension data the
        /// message names the tool's elements, so "not supported" points at what to remove.
        /// </summary>
        private void NotInSubset(XElement child, string? id, string where)
        {
            if (Local(child) == "extensionElements")
            {
                var names = string.Join(", ", child.Elements().Select(QualifiedName).Distinct(StringComparer.Ordinal).Take(5));
                Problem(child, id, $"<extensionElements> ({names}) inside {where}: tool-specific extension data is outside the subset and is not read (our data goes in cc: attributes); remove it");
            }
            else
            {
                Problem(child, id, $"<{Local(child)}> inside {where} is outside the supported subset");
            }
        }

        private void Outside(XElement element) =>
            Problem(element, Id(element), $"<{Local(element)}> is outside the supported BPMN subset (see docs/bpmn-subset.md)");

        private void Problem(XElement element, string? id, string message) => Problem(LineOf(element), id, message);

        private void Problem(int line, string? id, string message) => problems.Add(new DefinitionProblem(source, id, line, message));

        private static string Local(XElement element) => element.Name.LocalName;

        /// <summary>The name as the document writes it, e.g. <c>signavio:signavioMetaData</c>.</summary>
        private static string QualifiedName(XElement element) =>
            element.GetPrefixOfNamespace(element.Name.Namespace) is { Length: > 0 } prefix ? $"{prefix}:{Local(element)}" : Local(element);

        private static string? Id(XElement element) => Attr(element, "id");

        private static string? Attr(XElement element, string name) => element.Attribute(name)?.Value;

        private static string? Ext(XElement element, string name) => element.Attribute(Cc + name)?.Value;

        private static string? Documentation(XElement element) => element.Element(Bpmn + "documentation")?.Value.Trim();

        private static int LineOf(XObject node) => ((IXmlLineInfo)node).HasLineInfo() ? ((IXmlLineInfo)node).LineNumber : 0;
    }
}
