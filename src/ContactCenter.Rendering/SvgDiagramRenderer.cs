using System.Globalization;
using System.Text;
using ContactCenter.Modules.Documents;

namespace ContactCenter.Rendering;

/// <summary>
/// Draws a <see cref="BpmnDiagram"/> as inline SVG, server-side: pools and lanes as banded
/// rectangles, tasks as rounded rectangles (with the SOP step number in a badge), events as
/// circles, gateways as diamonds, flows as arrowed polylines with their names. Every text is
/// escaped; ids are prefixed so several diagrams can share one HTML page.
/// </summary>
public sealed class SvgDiagramRenderer : IDiagramRenderer
{
    private const double FontSize = 11;
    private const double CharWidth = 5.6;
    private const double LineHeight = 13;
    private const string Ink = "#1f2933";
    private const string Accent = "#0b4f8a";

    /// <summary>
    /// The SVG element for <paramref name="diagram"/>. A long diagram is cut into
    /// <paramref name="strips"/> horizontal strips stacked top to bottom (cut between shapes, each
    /// later strip repeating the lane names on its left), so a 3,000-pixel swimlane stays legible
    /// on an A4 page; the drawing itself is in the SVG once and the strips show it through
    /// <c>&lt;use&gt;</c>. <paramref name="idPrefix"/> makes its ids unique in a page.
    /// </summary>
    /// <inheritdoc/>
    /// <remarks>Cut into as many strips as fit the box best (<see cref="BestStrips"/>).</remarks>
    public string Render(BpmnDiagram diagram, string idPrefix, string title, double boxWidth, double boxHeight) =>
        Render(diagram, idPrefix, title, BestStrips(diagram, boxWidth, boxHeight));

    public static string Render(BpmnDiagram diagram, string idPrefix, string? title = null, int strips = 1)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        ArgumentNullException.ThrowIfNull(idPrefix);
        var prefix = SafeId(idPrefix);
        var extent = diagram.Extent();
        const double pad = 12;
        const double gap = 18;
        var (x0, y0) = (extent.X - pad, extent.Y - pad);
        var (width, height) = (extent.Width + (2 * pad), extent.Height + (2 * pad));
        var band = LaneBand(diagram, x0);
        var cuts = Cuts(diagram, x0, width, Math.Clamp(strips, 1, 12));
        var stripWidths = cuts.Zip(cuts.Skip(1), (a, b) => b - a).Select((w, i) => i == 0 ? w : w + band).ToList();
        var outerWidth = stripWidths.Max();
        var outerHeight = (cuts.Count - 1) * height + ((cuts.Count - 2) * gap);
        var content = $"{prefix}-content";

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" class="bpmn-diagram" role="img" viewBox="0 0 {N(outerWidth)} {N(outerHeight)}" data-strips="{cuts.Count - 1}" font-family="'Liberation Sans', Arial, 'Nimbus Sans', Helvetica, sans-serif" font-size="{N(FontSize)}">""");
        if (title is not null)
        {
            sb.Append("<title>").Append(Markup.Escape(title)).Append("</title>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"""<defs><marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{Ink}"/></marker><g id="{content}">""");
        Drawing(sb, diagram, prefix);
        sb.Append("</g></defs>");

        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var top = i * (height + gap);
            var left = 0.0;
            if (i > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"""<line x1="0" y1="{N(top - (gap / 2))}" x2="{N(outerWidth)}" y2="{N(top - (gap / 2))}" stroke="#9aa5b1" stroke-width="1" stroke-dasharray="4 4"/>""");
                if (band > 0)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"""<svg x="0" y="{N(top)}" width="{N(band)}" height="{N(height)}" viewBox="{N(x0)} {N(y0)} {N(band)} {N(height)}"><use href="#{content}"/></svg>""");
                    left = band;
                }
            }

            var stripWidth = cuts[i + 1] - cuts[i];
            sb.Append(CultureInfo.InvariantCulture, $"""<svg class="strip" x="{N(left)}" y="{N(top)}" width="{N(stripWidth)}" height="{N(height)}" viewBox="{N(cuts[i])} {N(y0)} {N(stripWidth)} {N(height)}"><use href="#{content}"/></svg>""");
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>How many strips make the diagram largest in a box of <paramref name="boxWidth"/> × <paramref name="boxHeight"/> (any unit).</summary>
    public static int BestStrips(BpmnDiagram diagram, double boxWidth, double boxHeight, int max = 6)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        var extent = diagram.Extent();
        if (extent.Width <= 0 || extent.Height <= 0)
        {
            return 1;
        }

        var band = LaneBand(diagram, extent.X - 12);
        var best = (Strips: 1, Scale: 0.0);
        for (var n = 1; n <= max; n++)
        {
            var stripWidth = ((extent.Width + 24) / n) + (n > 1 ? band : 0);
            var totalHeight = (n * (extent.Height + 24)) + ((n - 1) * 18);
            var scale = Math.Min(boxWidth / stripWidth, boxHeight / totalHeight);
            if (scale > best.Scale * 1.05)
            {
                best = (n, scale);
            }
        }

        return best.Strips;
    }

    private static void Drawing(StringBuilder sb, BpmnDiagram diagram, string prefix)
    {
        foreach (var shape in diagram.Shapes.Where(s => s.Kind is "participant" or "lane"))
        {
            Container(sb, shape);
        }

        foreach (var shape in diagram.Shapes.Where(s => s.Kind is "subProcess"))
        {
            Activity(sb, shape);
        }

        foreach (var edge in diagram.Edges)
        {
            Edge(sb, edge, prefix);
        }

        foreach (var shape in diagram.Shapes.Where(s => s.Kind is not ("participant" or "lane" or "subProcess")))
        {
            switch (shape.Kind)
            {
                case var k when k.EndsWith("Gateway", StringComparison.Ordinal):
                    Gateway(sb, shape);
                    break;
                case var k when k.EndsWith("Event", StringComparison.Ordinal):
                    Event(sb, shape);
                    break;
                default:
                    Activity(sb, shape);
                    break;
            }
        }
    }

    /// <summary>Width, from the drawing's left edge, of the pool's and lanes' name bands.</summary>
    private static double LaneBand(BpmnDiagram diagram, double x0)
    {
        var containers = diagram.Shapes.Where(s => s.Kind is "participant" or "lane").ToList();
        return containers.Count == 0 ? 0 : containers.Max(c => c.Bounds.X + 30) - x0 + 2;
    }

    /// <summary>x positions cutting the drawing into strips, each moved to the nearest gap between flow nodes.</summary>
    private static List<double> Cuts(BpmnDiagram diagram, double x0, double width, int strips)
    {
        var nodes = diagram.Shapes.Where(s => s.Kind is not ("participant" or "lane")).Select(s => s.Label is { } l ? (Left: Math.Min(s.Bounds.X, l.X), Right: Math.Max(s.Bounds.Right, l.Right)) : (Left: s.Bounds.X, Right: s.Bounds.Right)).ToList();
        var cuts = new List<double> { x0 };
        for (var i = 1; i < strips; i++)
        {
            var ideal = x0 + (width * i / strips);
            var reach = width / strips * 0.2;
            var free = Enumerable.Range(0, (int)(2 * reach) + 1).Select(d => ideal + (d % 2 == 0 ? d / 2 : -(d + 1) / 2))
                .FirstOrDefault(x => nodes.All(n => x < n.Left - 6 || x > n.Right + 6), ideal);
            cuts.Add(free);
        }

        cuts.Add(x0 + width);
        return cuts;
    }

    private static void Container(StringBuilder sb, DiShape shape)
    {
        var b = shape.Bounds;
        const double band = 30;
        var fill = shape.Kind == "participant" ? "#ffffff" : "none";
        sb.Append(CultureInfo.InvariantCulture, $"""<g class="{shape.Kind}" data-element-id="{Markup.Escape(shape.ElementId)}"><rect x="{N(b.X)}" y="{N(b.Y)}" width="{N(b.Width)}" height="{N(b.Height)}" fill="{fill}" stroke="{Ink}" stroke-width="1"/>""");
        sb.Append(CultureInfo.InvariantCulture, $"""<line x1="{N(b.X + band)}" y1="{N(b.Y)}" x2="{N(b.X + band)}" y2="{N(b.Bottom)}" stroke="{Ink}" stroke-width="1"/>""");
        if (shape.Name is { } name)
        {
            var cx = b.X + (band / 2);
            var cy = b.CenterY;
            var lines = Wrap(name, b.Height - 10);
            sb.Append(CultureInfo.InvariantCulture, $"""<text transform="rotate(-90 {N(cx)} {N(cy)})" x="{N(cx)}" y="{N(cy - ((lines.Count - 1) * LineHeight / 2) + 4)}" text-anchor="middle" font-weight="{(shape.Kind == "participant" ? "700" : "400")}" fill="{Ink}">""");
            Lines(sb, lines, cx);
            sb.Append("</text>");
        }

        sb.Append("</g>");
    }

    private static void Activity(StringBuilder sb, DiShape shape)
    {
        var b = shape.Bounds;
        var (fill, strokeWidth, dash) = shape.Kind switch
        {
            "serviceTask" => ("#eaf1f8", "1.5", string.Empty),
            "sendTask" or "receiveTask" => ("#fdf5e2", "1.5", string.Empty),
            "callActivity" => ("#ffffff", "3.5", string.Empty),
            "subProcess" => ("none", "1.5", " stroke-dasharray=\"6 3\""),
            _ => ("#ffffff", "1.5", string.Empty),
        };
        sb.Append(CultureInfo.InvariantCulture, $"""<g class="{shape.Kind}" data-element-id="{Markup.Escape(shape.ElementId)}"><rect x="{N(b.X)}" y="{N(b.Y)}" width="{N(b.Width)}" height="{N(b.Height)}" rx="10" ry="10" fill="{fill}" stroke="{Ink}" stroke-width="{strokeWidth}"{dash}/>""");
        if (shape.Name is { } name)
        {
            var lines = Wrap(name, b.Width - 10);
            var y = shape.Kind == "subProcess" ? b.Y + 16 : b.CenterY - ((lines.Count - 1) * LineHeight / 2) + 4;
            sb.Append(CultureInfo.InvariantCulture, $"""<text x="{N(b.CenterX)}" y="{N(y)}" text-anchor="middle" fill="{Ink}">""");
            Lines(sb, lines, b.CenterX);
            sb.Append("</text>");
        }

        TypeMarker(sb, shape);
        StepBadge(sb, shape.Step, b.Right - BadgeWidth(shape.Step) + 6, b.Y - 8);
        sb.Append("</g>");
    }

    /// <summary>A small glyph in the top-left corner, drawn with lines so no icon font is needed.</summary>
    private static void TypeMarker(StringBuilder sb, DiShape shape)
    {
        var x = shape.Bounds.X + 8;
        var y = shape.Bounds.Y + 7;
        switch (shape.Kind)
        {
            case "userTask":
                sb.Append(CultureInfo.InvariantCulture, $"""<circle cx="{N(x + 6)}" cy="{N(y + 3)}" r="3" fill="none" stroke="{Ink}" stroke-width="1"/><path d="M{N(x)},{N(y + 13)} q6,-9 12,0" fill="none" stroke="{Ink}" stroke-width="1"/>""");
                break;
            case "serviceTask":
                sb.Append(CultureInfo.InvariantCulture, $"""<circle cx="{N(x + 6)}" cy="{N(y + 6)}" r="5" fill="none" stroke="{Ink}" stroke-width="1" stroke-dasharray="2 1.2"/><circle cx="{N(x + 6)}" cy="{N(y + 6)}" r="2" fill="none" stroke="{Ink}" stroke-width="1"/>""");
                break;
            case "sendTask":
                sb.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(x)}" y="{N(y + 1)}" width="13" height="9" fill="{Ink}"/><path d="M{N(x)},{N(y + 1)} l6.5,5 l6.5,-5" fill="none" stroke="#ffffff" stroke-width="1"/>""");
                break;
            case "receiveTask":
                sb.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(x)}" y="{N(y + 1)}" width="13" height="9" fill="none" stroke="{Ink}" stroke-width="1"/><path d="M{N(x)},{N(y + 1)} l6.5,5 l6.5,-5" fill="none" stroke="{Ink}" stroke-width="1"/>""");
                break;
            case "manualTask":
                sb.Append(CultureInfo.InvariantCulture, $"""<path d="M{N(x)},{N(y + 10)} h12 v-6 h-12 z" fill="none" stroke="{Ink}" stroke-width="1"/>""");
                break;
            case "callActivity":
                var b = shape.Bounds;
                sb.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(b.CenterX - 6)}" y="{N(b.Bottom - 16)}" width="12" height="12" fill="none" stroke="{Ink}" stroke-width="1"/><path d="M{N(b.CenterX - 3.5)},{N(b.Bottom - 10)} h7 M{N(b.CenterX)},{N(b.Bottom - 13.5)} v7" stroke="{Ink}" stroke-width="1"/>""");
                break;
        }
    }

    private static void StepBadge(StringBuilder sb, string? step, double x, double y)
    {
        if (step is null)
        {
            return;
        }

        var width = BadgeWidth(step);
        sb.Append(CultureInfo.InvariantCulture, $"""<g class="step-badge"><rect x="{N(x)}" y="{N(y)}" width="{N(width)}" height="16" rx="8" ry="8" fill="{Accent}"/><text x="{N(x + (width / 2))}" y="{N(y + 12)}" text-anchor="middle" fill="#ffffff" font-weight="700" font-size="10.5">{Markup.Escape(step)}</text></g>""");
    }

    private static double BadgeWidth(string? step) => step is null ? 0 : Math.Max(20, (step.Length * 7) + 10);

    private static void Event(StringBuilder sb, DiShape shape)
    {
        var b = shape.Bounds;
        var r = Math.Min(b.Width, b.Height) / 2;
        var (cx, cy) = (b.CenterX, b.CenterY);
        var stroke = shape.Kind switch
        {
            "endEvent" => "4",
            "startEvent" => "1.5",
            _ => "1.5",
        };
        sb.Append(CultureInfo.InvariantCulture, $"""<g class="{shape.Kind}" data-element-id="{Markup.Escape(shape.ElementId)}"><circle cx="{N(cx)}" cy="{N(cy)}" r="{N(r)}" fill="#ffffff" stroke="{Ink}" stroke-width="{stroke}"/>""");
        if (shape.Kind is "intermediateCatchEvent" or "intermediateThrowEvent" or "boundaryEvent")
        {
            sb.Append(CultureInfo.InvariantCulture, $"""<circle cx="{N(cx)}" cy="{N(cy)}" r="{N(r - 3)}" fill="none" stroke="{Ink}" stroke-width="1"/>""");
        }

        var filled = shape.Kind is "intermediateThrowEvent" or "endEvent";
        switch (shape.EventDefinition)
        {
            case "timer":
                sb.Append(CultureInfo.InvariantCulture, $"""<circle cx="{N(cx)}" cy="{N(cy)}" r="{N(r - 7)}" fill="#ffffff" stroke="{Ink}" stroke-width="1.2"/><path d="M{N(cx)},{N(cy)} v-{N(r - 10)} M{N(cx)},{N(cy)} l{N((r - 10) * 0.7)},2" stroke="{Ink}" stroke-width="1.2" fill="none"/>""");
                break;
            case "message":
                var (w, h) = (r * 0.95, r * 0.65);
                sb.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(cx - (w / 2))}" y="{N(cy - (h / 2))}" width="{N(w)}" height="{N(h)}" fill="{(filled ? Ink : "#ffffff")}" stroke="{Ink}" stroke-width="1"/><path d="M{N(cx - (w / 2))},{N(cy - (h / 2))} L{N(cx)},{N(cy + 1)} L{N(cx + (w / 2))},{N(cy - (h / 2))}" fill="none" stroke="{(filled ? "#ffffff" : Ink)}" stroke-width="1"/>""");
                break;
            case "terminate":
                sb.Append(CultureInfo.InvariantCulture, $"""<circle cx="{N(cx)}" cy="{N(cy)}" r="{N(r - 7)}" fill="{Ink}"/>""");
                break;
            case "link":
                // The SOP's off-page connectors (A–G): the letter itself is the clearest mark.
                if (shape.Name is { Length: <= 2 } letter)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"""<text x="{N(cx)}" y="{N(cy + 5)}" text-anchor="middle" font-weight="700" font-size="14" fill="{Ink}">{Markup.Escape(letter)}</text></g>""");
                    return;
                }

                sb.Append(CultureInfo.InvariantCulture, $"""<path d="M{N(cx - 7)},{N(cy - 3)} h7 v-4 l7,7 l-7,7 v-4 h-7 z" fill="{(filled ? Ink : "none")}" stroke="{Ink}" stroke-width="1"/>""");
                break;
        }

        StepBadge(sb, shape.Step, b.Right - 6, b.Y - 10);
        OuterLabel(sb, shape);
        sb.Append("</g>");
    }

    private static void Gateway(StringBuilder sb, DiShape shape)
    {
        var b = shape.Bounds;
        var (cx, cy) = (b.CenterX, b.CenterY);
        sb.Append(CultureInfo.InvariantCulture, $"""<g class="{shape.Kind}" data-element-id="{Markup.Escape(shape.ElementId)}"><polygon points="{N(cx)},{N(b.Y)} {N(b.Right)},{N(cy)} {N(cx)},{N(b.Bottom)} {N(b.X)},{N(cy)}" fill="#ffffff" stroke="{Ink}" stroke-width="1.5"/>""");
        var m = b.Width * 0.16;
        switch (shape.Kind)
        {
            case "exclusiveGateway":
                sb.Append(CultureInfo.InvariantCulture, $"""<path d="M{N(cx - m)},{N(cy - m)} L{N(cx + m)},{N(cy + m)} M{N(cx + m)},{N(cy - m)} L{N(cx - m)},{N(cy + m)}" stroke="{Ink}" stroke-width="3"/>""");
                break;
            case "parallelGateway":
                sb.Append(CultureInfo.InvariantCulture, $"""<path d="M{N(cx)},{N(cy - (m * 1.3))} V{N(cy + (m * 1.3))} M{N(cx - (m * 1.3))},{N(cy)} H{N(cx + (m * 1.3))}" stroke="{Ink}" stroke-width="3"/>""");
                break;
            case "eventBasedGateway":
                sb.Append(CultureInfo.InvariantCulture, $"""<circle cx="{N(cx)}" cy="{N(cy)}" r="{N(m * 1.5)}" fill="none" stroke="{Ink}" stroke-width="1"/><circle cx="{N(cx)}" cy="{N(cy)}" r="{N(m * 1.15)}" fill="none" stroke="{Ink}" stroke-width="1"/>""");
                break;
        }

        StepBadge(sb, shape.Step, b.Right - 8, b.Y - 6);
        OuterLabel(sb, shape);
        sb.Append("</g>");
    }

    /// <summary>Events' and gateways' names sit outside the shape: where the modeller put them, or below.</summary>
    private static void OuterLabel(StringBuilder sb, DiShape shape)
    {
        if (shape.Name is not { } name || (shape.EventDefinition == "link" && name.Length <= 2))
        {
            return;
        }

        var box = shape.Label ?? new DiBounds(shape.Bounds.CenterX - 50, shape.Bounds.Bottom + 4, 100, 28);
        var lines = Wrap(name, Math.Max(box.Width, 60));
        sb.Append(CultureInfo.InvariantCulture, $"""<text class="label" x="{N(box.CenterX)}" y="{N(box.Y + 10)}" text-anchor="middle" fill="{Ink}" font-size="10.5">""");
        Lines(sb, lines, box.CenterX);
        sb.Append("</text>");
    }

    private static void Edge(StringBuilder sb, DiEdge edge, string prefix)
    {
        var points = string.Join(' ', edge.Waypoints.Select(p => $"{N(p.X)},{N(p.Y)}"));
        sb.Append(CultureInfo.InvariantCulture, $"""<g class="sequenceFlow" data-element-id="{Markup.Escape(edge.ElementId)}"><polyline points="{points}" fill="none" stroke="{Ink}" stroke-width="1.2" stroke-linejoin="round" marker-end="url(#{prefix}-arrow)"/>""");
        if (edge.Name is { } name)
        {
            var box = edge.Label ?? MidLabel(edge);
            var lines = Wrap(name, Math.Max(box.Width, 40));
            sb.Append(CultureInfo.InvariantCulture, $"""<text class="flow-label" x="{N(box.CenterX)}" y="{N(box.Y + 10)}" text-anchor="middle" fill="{Accent}" font-weight="700" font-size="10.5" paint-order="stroke" stroke="#ffffff" stroke-width="3">""");
            Lines(sb, lines, box.CenterX);
            sb.Append("</text>");
        }

        sb.Append("</g>");
    }

    private static DiBounds MidLabel(DiEdge edge)
    {
        var (a, b) = (edge.Waypoints[0], edge.Waypoints[1]);
        return new DiBounds(((a.X + b.X) / 2) - 20, ((a.Y + b.Y) / 2) - 14, 40, 14);
    }

    private static void Lines(StringBuilder sb, IReadOnlyList<string> lines, double x)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"""<tspan x="{N(x)}" dy="{(i == 0 ? "0" : N(LineHeight))}">{Markup.Escape(lines[i])}</tspan>""");
        }
    }

    /// <summary>Greedy word wrap on an estimated character width.</summary>
    internal static IReadOnlyList<string> Wrap(string text, double width)
    {
        var max = Math.Max(6, (int)(width / CharWidth));
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > max)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
    }

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string SafeId(string value) => new([.. value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);
}
