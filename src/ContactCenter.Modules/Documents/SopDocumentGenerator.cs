using System.Globalization;
using System.Xml;
using ContactCenter.Engine.Model;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Modules.Documents;

/// <summary>
/// Builds the SOP document from the catalogue: the header from the version in effect that took
/// effect last, a section per channel flow (chapter 8) and per shared flow (appendices) with its
/// diagram and step explanations, and the change log from every published version, so the
/// document and the running flows cannot drift apart.
/// </summary>
public sealed class SopDocumentGenerator(DefinitionCatalog catalog, TimeProvider clock, IDiagramRenderer diagrams, SopDocumentOptions? options = null)
{
    private readonly SopDocumentOptions _options = options ?? new SopDocumentOptions();

    /// <summary>The document as of <paramref name="asOf"/> (default: now): the published versions in effect then.</summary>
    /// <exception cref="CatalogException">No published version is in effect at that time.</exception>
    public async Task<SopDocument> BuildAsync(DateTimeOffset? asOf = null, CancellationToken cancellationToken = default)
    {
        var at = asOf ?? clock.GetUtcNow();
        var all = await catalog.ListAsync(null, cancellationToken).ConfigureAwait(false);
        var inEffect = all
            .Where(v => v.Status == VersionStatus.Published && v.EffectiveFrom <= at)
            .GroupBy(v => v.Key, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Version).First())
            .ToDictionary(v => v.Key, StringComparer.Ordinal);
        if (inEffect.Count == 0)
        {
            throw new CatalogException(CatalogError.NotFound, $"no published version is in effect at {at:O}");
        }

        var definitions = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
        foreach (var (key, version) in inEffect)
        {
            definitions[key] = await catalog.LoadAsync(key, version.Version, cancellationToken).ConfigureAwait(false);
        }

        var order = _options.ChannelFlows.Where(inEffect.ContainsKey).Select((key, i) => (Key: key, Number: $"8.{i + 1}", Appendix: false)).ToList();
        var appendixKeys = _options.AppendixFlows.Where(inEffect.ContainsKey)
            .Concat(inEffect.Keys.Where(k => !_options.ChannelFlows.Contains(k) && !_options.AppendixFlows.Contains(k)).Order(StringComparer.Ordinal))
            .ToList();
        order.AddRange(appendixKeys.Select((key, i) => (Key: key, Number: AppendixLetter(i), Appendix: true)));
        var numbers = order.ToDictionary(o => o.Key, o => o.Appendix ? $"Lampiran {o.Number}" : $"§{o.Number}", StringComparer.Ordinal);

        var sections = order.Select(o =>
        {
            var record = inEffect[o.Key];
            var definition = definitions[o.Key];
            var title = o.Appendix ? definition.Name ?? o.Key : $"Diagram Proses {definition.Name ?? o.Key}";
            return new SopFlowSection(
                o.Number,
                title,
                o.Appendix,
                o.Key,
                record.Version,
                record.Revision,
                record.EffectiveFrom,
                record.ContentHash,
                definition.Documentation,
                [.. definition.Lanes.Select(l => l.Name)],
                StepsOf(definition, definitions, numbers),
                Diagram(record, title));
        }).ToList();

        var governing = inEffect.Values.OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.PublishedAt).ThenBy(v => v.Key, StringComparer.Ordinal).First();
        var header = new SopHeader(
            _options.Title,
            _options.Subtitle,
            governing.DocumentCode ?? _options.DefaultDocumentCode,
            governing.Revision,
            governing.EffectiveFrom,
            new SopSignatory("Dibuat oleh", governing.Maker, _options.MakerPosition, governing.SubmittedAt ?? governing.CreatedAt),
            new SopSignatory("Diperiksa oleh", governing.Checker, _options.CheckerPosition, governing.CheckedAt),
            new SopSignatory("Disetujui oleh", governing.Approver, _options.ApproverPosition, governing.ApprovedAt));

        var changeLog = all
            .Where(v => v.Status is VersionStatus.Published or VersionStatus.Retired && v.EffectiveFrom <= at)
            .OrderBy(v => v.EffectiveFrom).ThenBy(v => v.Key, StringComparer.Ordinal).ThenBy(v => v.Version)
            .Select(v => new SopChangeLogEntry(v.Key, v.Name, v.Version, v.Revision, v.EffectiveFrom, v.ChangeNote, v.Maker, v.Checker, v.Approver, v.Status))
            .ToList();
        return new SopDocument(header, at, sections, changeLog);
    }

    /// <summary>The printable HTML of the document as of <paramref name="asOf"/>.</summary>
    public async Task<string> RenderHtmlAsync(DateTimeOffset? asOf = null, CancellationToken cancellationToken = default) =>
        SopHtmlRenderer.Render(await BuildAsync(asOf, cancellationToken).ConfigureAwait(false), _options);

    /// <summary>
    /// The step explanations of a flow: every element a person or the system acts on, in flow
    /// order from the start; the elements the SOP numbers (<c>cc:step</c>) in the SOP's order
    /// (2a, 2b, 3, 10, 14, 14a, ...), in the places numbered elements take in the flow.
    /// </summary>
    internal static IReadOnlyList<SopStep> StepsOf(WorkflowDefinition definition, IReadOnlyDictionary<string, WorkflowDefinition>? others = null, IReadOnlyDictionary<string, string>? sectionNumbers = null)
    {
        var ordered = FlowOrder(definition).Where(IsDocumented).ToList();
        var numbered = new Queue<FlowNode>(ordered.Where(n => n.Step is not null).OrderBy(n => StepKey(n.Step!)).ThenBy(n => n.Line));
        var steps = new List<SopStep>();
        foreach (var node in ordered)
        {
            var next = node.Step is null ? node : numbered.Dequeue();
            steps.Add(StepOf(next, others, sectionNumbers));
        }

        return steps;
    }

    private static SopStep StepOf(FlowNode node, IReadOnlyDictionary<string, WorkflowDefinition>? others, IReadOnlyDictionary<string, string>? sectionNumbers)
    {
        var details = new List<string>();
        switch (node)
        {
            case ExclusiveGateway { IsDecidedByAgent: true } gateway:
                details.Add("Pilihan: " + string.Join(" / ", gateway.Outgoing.Select(f => f.Name?.Trim()).OfType<string>()));
                break;
            case ITriggeredEvent { TimerDuration: { } duration } timer:
                details.Add($"Batas waktu: {Duration(duration)}" + (timer.SlaPolicy is { } policy ? $" (kalender SLA '{policy}')" : string.Empty));
                break;
            case ITriggeredEvent { Trigger: EventTrigger.Message } message:
                details.Add($"Menunggu pesan '{message.MessageName}'");
                break;
            case TaskNode { ServiceKind: { } kind }:
                details.Add($"Layanan sistem: {kind}");
                break;
            case CallActivity call:
                var name = others is not null && others.TryGetValue(call.CalledKey, out var called) ? called.Name ?? call.CalledKey : call.CalledKey;
                var where = sectionNumbers is not null && sectionNumbers.TryGetValue(call.CalledKey, out var number) ? $" ({number})" : string.Empty;
                details.Add($"Menjalankan alur \"{name}\"{where}");
                break;
        }

        if (node is BoundaryEvent boundary)
        {
            details.Add($"Pada: {boundary.AttachedTo.Name ?? boundary.AttachedToId}" + (boundary.CancelActivity ? string.Empty : " (tanpa menghentikan)"));
        }

        if (node.Fields.Count > 0)
        {
            details.Add("Data: " + string.Join(", ", node.Fields));
        }

        if (node.Documentation is { } documentation)
        {
            details.Add(documentation);
        }

        return new SopStep(node.Step, node.Id, KindOf(node), node.Name, node.Lane, node.Script, details);
    }

    private static bool IsDocumented(FlowNode node) => node.Step is not null || node.Script is not null || node switch
    {
        TaskNode or CallActivity or SubProcess => true,
        ExclusiveGateway gateway => gateway.IsDecidedByAgent || gateway.Name is not null,
        CatchEvent { Trigger: EventTrigger.Timer or EventTrigger.Message } => true,
        BoundaryEvent => true,
        StartEvent or EndEvent => node.Name is not null && node.Container.SubProcessId is null,
        _ => false,
    };

    /// <summary>Breadth first from each start, following flows, boundary events, links and sub-process bodies; unreached nodes last.</summary>
    private static List<FlowNode> FlowOrder(WorkflowDefinition definition)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<FlowNode>();
        var queue = new Queue<FlowNode>();
        if (definition.Process.Start is { } start)
        {
            queue.Enqueue(start);
        }

        while (queue.TryDequeue(out var node))
        {
            if (!seen.Add(node.Id))
            {
                continue;
            }

            order.Add(node);
            if (node is SubProcess sub && sub.Body.Start is { } bodyStart)
            {
                queue.Enqueue(bodyStart);
            }

            foreach (var boundary in node.Boundaries)
            {
                queue.Enqueue(boundary);
            }

            foreach (var flow in node.Outgoing.OrderBy(f => f.Line))
            {
                queue.Enqueue(flow.Target);
            }

            if (node is ThrowEvent { LinkTarget: { } link })
            {
                queue.Enqueue(link);
            }
        }

        order.AddRange(definition.Nodes.Values.Where(n => !seen.Contains(n.Id)).OrderBy(n => n.Line));
        return order;
    }

    /// <summary>"14a" sorts after "14" and before "15"; "2c" before "3".</summary>
    private static (int Number, string Suffix) StepKey(string step)
    {
        var digits = new string([.. step.TakeWhile(char.IsAsciiDigit)]);
        return (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue, step[digits.Length..]);
    }

    private static string KindOf(FlowNode node) => node switch
    {
        TaskNode { Kind: NodeKind.UserTask } => "Tugas",
        TaskNode { Kind: NodeKind.ManualTask } => "Tugas manual",
        TaskNode { Kind: NodeKind.ServiceTask } => "Tugas sistem",
        TaskNode { Kind: NodeKind.SendTask } => "Kirim pesan",
        TaskNode { Kind: NodeKind.ReceiveTask } => "Terima pesan",
        ExclusiveGateway => "Keputusan",
        CallActivity => "Sub-alur",
        SubProcess => "Sub-proses",
        StartEvent => "Mulai",
        EndEvent => "Selesai",
        BoundaryEvent => "Batas waktu",
        CatchEvent { Trigger: EventTrigger.Timer } => "Menunggu",
        CatchEvent { Trigger: EventTrigger.Message } => "Pesan masuk",
        _ => node.ElementName,
    };

    private static string Duration(TimeSpan duration) => duration switch
    {
        { TotalDays: >= 1 } when duration.TotalDays == Math.Floor(duration.TotalDays) => $"{duration.TotalDays:0} hari",
        { TotalHours: >= 1 } when duration.TotalHours == Math.Floor(duration.TotalHours) => $"{duration.TotalHours:0} jam",
        { TotalMinutes: >= 1 } when duration.TotalMinutes == Math.Floor(duration.TotalMinutes) => $"{duration.TotalMinutes:0} menit",
        _ => $"{duration.TotalSeconds:0} detik",
    };

    private static string AppendixLetter(int index) => index < 26 ? ((char)('A' + index)).ToString() : $"Z{index - 25}";

    private string Diagram(DefinitionVersionRecord record, string title)
    {
        BpmnDiagram diagram;
        try
        {
            diagram = BpmnDiagram.Read(record.Bpmn);
        }
        catch (XmlException)
        {
            // The catalogue parsed this version already; a document that is not XML cannot get here.
            return string.Empty;
        }

        if (diagram.IsEmpty)
        {
            return string.Empty;
        }

        return diagrams.Render(diagram, $"{record.Key}-v{record.Version}", title, _options.DiagramBox.Width, _options.DiagramBox.Height);
    }
}
