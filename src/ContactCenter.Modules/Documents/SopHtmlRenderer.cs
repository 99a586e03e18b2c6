using System.Globalization;
using System.Text;

namespace ContactCenter.Modules.Documents;

/// <summary>
/// Writes a <see cref="SopDocument"/> as one self-contained, printable HTML page: A4 print CSS,
/// the seed's cover (header and signatures), the document box repeated at the top of every
/// printed page, one section per flow starting on a new page, and the change log. Every text
/// from the catalogue is escaped.
/// </summary>
public static class SopHtmlRenderer
{
    private static readonly string[] Months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];

    public static string Render(SopDocument document, SopDocumentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        options ??= new SopDocumentOptions();
        var h = document.Header;
        string Date(DateTimeOffset? at) => FormatDate(at, options.DisplayOffset);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{E(h.Title)} — {E(h.Subtitle)} ({E(h.DocumentCode)} Rev. {E(h.Revision)})</title>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<meta name=\"document-code\" content=\"{E(h.DocumentCode)}\">\n<meta name=\"generated-as-of\" content=\"{E(document.AsOf.ToString("O", CultureInfo.InvariantCulture))}\">\n");
        sb.Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");

        var running = RunningHeader(h, Date);

        // Cover: the seed's first page.
        sb.Append("<section class=\"sheet cover\">\n");
        sb.Append("<div class=\"brand\">Pegadaian</div>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<h1 class=\"title\">{E(h.Title)}</h1>\n<p class=\"subtitle\">{E(h.Subtitle)}</p>\n");
        sb.Append("<table class=\"meta\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<tr><th>Tanggal Berlaku</th><td id=\"effective-date\">{E(Date(h.EffectiveFrom))}</td></tr>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<tr><th>Kode Dokumen</th><td id=\"document-code\">{E(h.DocumentCode)}</td></tr>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<tr><th>Revisi</th><td id=\"revision\">{E(h.Revision ?? "–")}</td></tr>\n");
        sb.Append("</table>\n<table class=\"signatures\">\n<tr>");
        foreach (var s in new[] { h.Maker, h.Checker, h.Approver })
        {
            sb.Append(CultureInfo.InvariantCulture, $"<th>{E(s.Role)},</th>");
        }

        sb.Append("</tr>\n<tr class=\"sign-space\"><td></td><td></td><td></td></tr>\n<tr>");
        foreach (var s in new[] { h.Maker, h.Checker, h.Approver })
        {
            sb.Append(CultureInfo.InvariantCulture, $"<td><dl><dt>Nama</dt><dd class=\"signatory\">{E(s.Name ?? "–")}</dd><dt>Jabatan</dt><dd>{E(s.Position)}</dd><dt>Tanggal</dt><dd>{E(Date(s.SignedAt))}</dd></dl></td>");
        }

        sb.Append("</tr>\n</table>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p class=\"generated\">Dokumen ini disusun otomatis dari definisi alur yang berlaku per {E(Date(document.AsOf))}; diagram dan langkah identik dengan alur yang dijalankan.</p>\n");
        sb.Append("</section>\n");

        // Contents.
        Open(sb, running, "contents");
        sb.Append("<h2>Daftar Isi</h2>\n<ol class=\"toc\">\n");
        foreach (var section in document.Sections)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#flow-{E(section.Key)}\"><span class=\"toc-number\">{E(SectionLabel(section))}</span> {E(section.Title)}</a></li>\n");
        }

        sb.Append("<li><a href=\"#change-log\"><span class=\"toc-number\">12.</span> Catatan Perubahan Dokumen</a></li>\n</ol>\n");
        sb.Append("<h2>8. Rincian Prosedur</h2>\n<p>Setiap sub-bab memuat diagram proses satu kanal dan keterangan langkah-langkahnya. Nomor langkah mengikuti penomoran SOP; alur bersama (konfirmasi \"masih terhubung?\" dan eskalasi tiket pengaduan) dimuat sebagai lampiran dan dirujuk dari alur kanal.</p>\n");
        Close(sb);

        foreach (var section in document.Sections)
        {
            Open(sb, running, "flow", $"flow-{section.Key}");
            sb.Append(CultureInfo.InvariantCulture, $"<h2><span class=\"number\">{E(SectionLabel(section))}</span> {E(section.Title)}</h2>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"version\">Alur <code>{E(section.Key)}</code> versi {section.Version.ToString(CultureInfo.InvariantCulture)} · Revisi {E(section.Revision ?? "–")} · berlaku {E(Date(section.EffectiveFrom))} · <span class=\"hash\">{E(Short(section.ContentHash))}</span></p>\n");
            if (section.Documentation is { } documentation)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<p class=\"documentation\">{Markup.EscapeLines(documentation)}</p>\n");
            }

            sb.Append("<figure class=\"diagram\">");
            sb.Append(section.Svg.Length > 0 ? section.Svg : "<p class=\"no-diagram\">(definisi ini tidak memuat diagram)</p>");
            sb.Append(CultureInfo.InvariantCulture, $"<figcaption>Gambar {E(SectionLabel(section))} — {E(section.Title)}. Pelaksana: {E(string.Join(", ", section.Lanes))}.</figcaption></figure>\n");

            sb.Append("<h3>Keterangan</h3>\n<table class=\"steps\">\n<thead><tr><th class=\"col-no\">No.</th><th class=\"col-step\">Langkah</th><th class=\"col-lane\">Pelaksana</th><th>Keterangan</th></tr></thead>\n<tbody>\n");
            foreach (var step in section.Steps)
            {
                var numberCell = step.Number is null ? "<td class=\"col-no unnumbered\">–</td>" : $"<td class=\"col-no step-number\">{E(step.Number)}</td>";
                sb.Append(CultureInfo.InvariantCulture, $"<tr data-element-id=\"{E(step.ElementId)}\">{numberCell}<td class=\"col-step\"><span class=\"step-name\">{E(step.Name ?? step.ElementId)}</span><span class=\"kind\">{E(step.Kind)}</span></td><td class=\"col-lane\">{E(step.Lane ?? "–")}</td><td>");
                if (step.Script is { } script)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"<blockquote class=\"script\">{Markup.EscapeLines(script)}</blockquote>");
                }

                foreach (var detail in step.Details)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"<p class=\"detail\">{Markup.EscapeLines(detail)}</p>");
                }

                sb.Append("</td></tr>\n");
            }

            sb.Append("</tbody>\n</table>\n");
            Close(sb);
        }

        Open(sb, running, "change-log", "change-log");
        sb.Append("<h2><span class=\"number\">12.</span> Catatan Perubahan Dokumen</h2>\n");
        sb.Append("<table class=\"changes\">\n<thead><tr><th>Rev.</th><th>Alur</th><th>Versi</th><th>Tanggal Berlaku</th><th>Deskripsi Perubahan</th><th>Dibuat</th><th>Diperiksa</th><th>Disetujui</th></tr></thead>\n<tbody>\n");
        foreach (var c in document.ChangeLog)
        {
            var retired = c.Status == Runtime.Storage.VersionStatus.Retired ? " <span class=\"retired\">(dicabut)</span>" : string.Empty;
            sb.Append(CultureInfo.InvariantCulture, $"<tr class=\"change\" data-key=\"{E(c.Key)}\" data-version=\"{c.Version.ToString(CultureInfo.InvariantCulture)}\"><td>{E(c.Revision ?? "–")}</td><td>{E(c.FlowName)}<br><code>{E(c.Key)}</code></td><td>v{c.Version.ToString(CultureInfo.InvariantCulture)}{retired}</td><td class=\"nowrap\">{E(Date(c.EffectiveFrom))}</td><td>{Markup.EscapeLines(c.ChangeNote ?? "–")}</td><td>{E(c.Maker)}</td><td>{E(c.Checker ?? "–")}</td><td>{E(c.Approver ?? "–")}</td></tr>\n");
        }

        sb.Append("</tbody>\n</table>\n");
        Close(sb);
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>"25 September 2025", in the display offset; "–" for none.</summary>
    public static string FormatDate(DateTimeOffset? at, TimeSpan offset)
    {
        if (at is not { } value)
        {
            return "–";
        }

        var local = value.ToOffset(offset);
        return string.Create(CultureInfo.InvariantCulture, $"{local.Day:00} {Months[local.Month - 1]} {local.Year}");
    }

    private static string SectionLabel(SopFlowSection section) => section.IsAppendix ? $"Lampiran {section.Number}." : section.Number + ".";

    private static string Short(string hash) => hash.Length > 19 ? hash[..19] : hash;

    private static string E(string? text) => Markup.Escape(text);

    /// <summary>The document box the seed repeats at the top of every page.</summary>
    private static string RunningHeader(SopHeader h, Func<DateTimeOffset?, string> date) =>
        $"<div class=\"running\"><div class=\"running-title\"><strong>{E(h.Title)}</strong><br>{E(h.Subtitle)}</div>"
        + $"<table class=\"running-meta\"><tr><th>Tanggal Berlaku</th><td>: {E(date(h.EffectiveFrom))}</td></tr><tr><th>Kode Dokumen</th><td>: {E(h.DocumentCode)}</td></tr><tr><th>Revisi</th><td>: {E(h.Revision ?? "–")}</td></tr></table></div>";

    /// <summary>A section that starts on a new page; the table's head repeats the document box on every printed page it spans.</summary>
    private static void Open(StringBuilder sb, string running, string cssClass, string? id = null)
    {
        var idAttribute = id is null ? string.Empty : $" id=\"{E(id)}\"";
        sb.Append(CultureInfo.InvariantCulture, $"<section class=\"sheet {cssClass}\"{idAttribute}>\n<table class=\"frame\"><thead><tr><td>{running}</td></tr></thead><tbody><tr><td class=\"frame-body\">\n");
    }

    private static void Close(StringBuilder sb) => sb.Append("</td></tr></tbody></table>\n</section>\n");

    private const string Css = """
        @page { size: A4 portrait; margin: 12mm 13mm 14mm 13mm; }
        :root { --ink: #1f2933; --muted: #52606d; --line: #cbd2d9; --accent: #0b4f8a; --band: #f0f4f8; }
        * { box-sizing: border-box; }
        html { font-family: 'Liberation Sans', Arial, 'Nimbus Sans', Helvetica, sans-serif; font-size: 10pt; color: var(--ink); line-height: 1.4; }
        body { margin: 0; background: #e4e7eb; }
        .sheet { background: #fff; width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 12mm 13mm 14mm; box-shadow: 0 1px 6px rgba(0,0,0,.25); }
        h1, h2, h3 { font-weight: 700; color: var(--ink); line-height: 1.2; }
        h2 { font-size: 13pt; margin: 4mm 0 2mm; border-bottom: 1.5pt solid var(--accent); padding-bottom: 1mm; }
        h2 .number { color: var(--accent); margin-right: 2mm; }
        h3 { font-size: 11pt; margin: 5mm 0 2mm; }
        code { font-family: 'Liberation Mono', 'DejaVu Sans Mono', monospace; font-size: 8.5pt; }
        .cover { text-align: center; padding-top: 30mm; }
        .brand { font-size: 22pt; font-weight: 700; color: #00843d; letter-spacing: .5pt; }
        .title { font-size: 20pt; margin: 22mm 0 2mm; }
        .subtitle { font-size: 16pt; margin: 0 0 16mm; }
        table.meta { margin: 0 auto 20mm; border-collapse: collapse; font-size: 11pt; }
        table.meta th { text-align: left; font-weight: 400; padding: 1mm 4mm 1mm 0; }
        table.meta td { text-align: left; font-weight: 700; padding: 1mm 0; }
        table.meta td::before { content: ": "; font-weight: 400; }
        table.signatures { width: 100%; border-collapse: collapse; table-layout: fixed; text-align: left; }
        table.signatures th, table.signatures td { border: .75pt solid var(--ink); padding: 2mm 3mm; vertical-align: top; }
        table.signatures th { font-weight: 400; background: var(--band); }
        table.signatures .sign-space td { height: 22mm; border-top: none; border-bottom: none; }
        table.signatures dl { margin: 0; display: grid; grid-template-columns: 17mm 1fr; row-gap: 1mm; font-size: 9pt; }
        table.signatures dt::after { content: " :"; }
        table.signatures dd { margin: 0; }
        table.signatures dd.signatory { font-weight: 700; }
        .generated { margin-top: 14mm; font-size: 8.5pt; color: var(--muted); }
        table.frame { width: 100%; border-collapse: collapse; }
        table.frame > thead > tr > td, table.frame > tbody > tr > td { padding: 0; }
        .running { display: flex; justify-content: space-between; align-items: stretch; border: .75pt solid var(--ink); margin-bottom: 4mm; font-size: 8.5pt; }
        .running-title { padding: 2mm 3mm; flex: 1; border-right: .75pt solid var(--ink); }
        .running-meta { border-collapse: collapse; margin: 1.5mm 3mm; }
        .running-meta th { font-weight: 400; text-align: left; padding: 0 2mm 0 0; }
        .running-meta td { padding: 0; white-space: nowrap; }
        ol.toc { list-style: none; padding: 0; margin: 0 0 6mm; }
        ol.toc li { padding: 1.2mm 0; border-bottom: .5pt dotted var(--line); }
        ol.toc a { color: var(--ink); text-decoration: none; }
        .toc-number { display: inline-block; min-width: 24mm; color: var(--accent); font-weight: 700; }
        .version { color: var(--muted); font-size: 8.5pt; margin: 0 0 2mm; }
        .hash { font-family: 'Liberation Mono', monospace; }
        .documentation { font-size: 9pt; background: var(--band); border-left: 2pt solid var(--accent); padding: 2mm 3mm; margin: 2mm 0 3mm; }
        figure.diagram { margin: 0 0 2mm; break-inside: avoid; }
        figure.diagram svg { width: 100%; height: auto; max-height: 150mm; display: block; }
        figcaption { font-size: 8.5pt; color: var(--muted); text-align: center; margin-top: 1.5mm; }
        table.steps, table.changes { width: 100%; border-collapse: collapse; font-size: 9pt; }
        table.steps th, table.steps td, table.changes th, table.changes td { border: .5pt solid var(--line); padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
        table.steps thead th, table.changes thead th { background: var(--band); font-weight: 700; border-bottom: 1pt solid var(--ink); }
        table.steps tr, table.changes tr { break-inside: avoid; }
        .col-no { width: 11mm; text-align: center !important; }
        td.step-number { font-weight: 700; color: #fff; background: var(--accent); }
        td.unnumbered { color: var(--muted); }
        .col-step { width: 52mm; }
        .col-lane { width: 24mm; }
        .step-name { display: block; font-weight: 700; }
        .kind { display: block; font-size: 7.5pt; color: var(--muted); text-transform: uppercase; letter-spacing: .3pt; }
        blockquote.script { margin: 0 0 1mm; padding: 1mm 2.5mm; border-left: 2pt solid #00843d; background: #f3faf5; font-style: italic; }
        p.detail { margin: .6mm 0; }
        .nowrap { white-space: nowrap; }
        .retired { color: #9b1c1c; font-size: 8pt; }
        @media print {
          body { background: none; }
          .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; break-before: page; }
          .sheet.cover { break-before: avoid; padding-top: 25mm; }
          a { color: inherit; }
        }

        """;
}
