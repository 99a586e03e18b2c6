using System.Text;
using System.Text.RegularExpressions;
using ContactCenter.Engine.Parsing;
using ContactCenter.Modules.Documents;
using ContactCenter.Rendering;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.Documents;

/// <summary>The SOP document generated from the repo's workflows, imported into a real catalogue.</summary>
public partial class SopDocumentGeneratorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] ChannelFlows = ["inbound-call", "social-media", "email", "whatsapp", "live-chat", "outlet-reservation"];

    /// <summary>Every cc:step of every repo workflow, by key, read from the files themselves.</summary>
    private static Dictionary<string, List<string>> StepsInRepo() =>
        Directory.EnumerateFiles(Path.Combine(RuntimeFixture.RepoRoot(), "workflows"), "*.bpmn").ToDictionary(
            f => BpmnParser.Parse(File.ReadAllText(f, Encoding.UTF8)).Definition!.Key,
            f => BpmnParser.Parse(File.ReadAllText(f, Encoding.UTF8)).Definition!.Nodes.Values.Select(n => n.Step).OfType<string>().ToList());

    private static async Task<(RuntimeFixture Fixture, SopDocumentGenerator Generator, FakeTimeProvider Clock)> StartAsync()
    {
        var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var clock = new FakeTimeProvider(Now);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        return (fixture, new SopDocumentGenerator(fixture.Catalog, clock, new SvgDiagramRenderer()), clock);
    }

    [Fact]
    public async Task Build_RepoWorkflows_HeaderFromTheSeedImport_SixChannelSectionsAndTwoAppendices()
    {
        var (fixture, generator, _) = await StartAsync();
        await using var _ = fixture;

        var document = await generator.BuildAsync();

        document.Header.DocumentCode.Should().Be("OCC.PGDN.01.01");
        document.Header.Revision.Should().Be("02");
        document.Header.EffectiveFrom.Should().Be(new DateTimeOffset(2025, 9, 25, 0, 0, 0, TimeSpan.FromHours(7)));
        document.Header.Maker.Name.Should().Be("Gadhong Pangenggar");
        document.Header.Checker.Name.Should().Be("Franskel Wawan Ardiansyah");
        document.Header.Approver.Name.Should().Be("Rosyid Hamidi");
        document.Sections.Where(s => !s.IsAppendix).Select(s => (s.Number, s.Key)).Should().Equal(ChannelFlows.Select((k, i) => ($"8.{i + 1}", k)));
        document.Sections.Where(s => s.IsAppendix).Select(s => (s.Number, s.Key)).Should().Equal(("A", "still-connected"), ("B", "ticket-escalation"));
        document.Sections.Single(s => s.Key == "live-chat").Title.Should().Be("Diagram Proses Handling Live Chat");
    }

    [Fact]
    public async Task Build_EveryStepOfEveryFlow_InSopOrder_WithNameLaneAndScriptAsDefined()
    {
        var (fixture, generator, _) = await StartAsync();
        await using var _ = fixture;

        var document = await generator.BuildAsync();

        foreach (var (key, steps) in StepsInRepo())
        {
            var section = document.Sections.Single(s => s.Key == key);
            section.Steps.Select(s => s.Number).OfType<string>().Should().BeEquivalentTo(steps, o => o.WithoutStrictOrdering(), key);
        }

        var escalation = document.Sections.Single(s => s.Key == "ticket-escalation").Steps.Select(s => s.Number).OfType<string>();
        escalation.Should().Equal("12", "13", "14", "14a", "14b", "15", "16", "17", "18", "19");
        var ladder = document.Sections.Single(s => s.Key == "still-connected").Steps;
        // Each question is the agent's step and its delivery to the customer (A24); 2c is the
        // question and then the agent's choice to close (A25).
        ladder.Select(s => s.Number).OfType<string>().Should().Equal("2a", "2a", "2b", "2b", "2c", "2c", "2c");
        var confirm = ladder.First(s => s.Number == "2a");
        confirm.Name.Should().Be("Konfirmasi kepada nasabah apakah masih terhubung");
        confirm.Lane.Should().Be("Agent");
        confirm.Script.Should().Be("Apakah saat ini Bapak/Ibu masih terhubung dengan kami?");
        var greeting = document.Sections.Single(s => s.Key == "live-chat").Steps.First(s => s.ElementId == "Task_SalamPembuka");
        greeting.Script.Should().Be("{salamPembuka}, terima kasih telah menghubungi Contact Center Pegadaian. Saya {namaAgent}, ada yang bisa saya bantu?");
        document.Sections.Single(s => s.Key == "live-chat").Steps.Should().Contain(s => s.ElementId == "Activity_Menunggu1" && s.Details.Any(d => d.Contains("Lampiran A")));
    }

    [Fact]
    public async Task RenderHtml_ContainsHeaderEveryStepNumberOneSvgPerFlowAndAChangeLogRowPerVersion()
    {
        var (fixture, generator, clock) = await StartAsync();
        await using var _ = fixture;
        var bpmn = File.ReadAllText(Path.Combine(fixture.WorkflowsFolder, "still-connected.bpmn")).Replace(">PT1M<", ">PT2M<", StringComparison.Ordinal);
        var draft = await fixture.Catalog.CreateDraftAsync(bpmn, "Gadhong Pangenggar", "Jeda konfirmasi \"masih terhubung?\" menjadi 2 menit <uji>", revision: "03");
        await fixture.Catalog.SubmitAsync(draft.Key, draft.Version, "Gadhong Pangenggar");
        await fixture.Catalog.CheckAsync(draft.Key, draft.Version, "Franskel Wawan Ardiansyah");
        await fixture.Catalog.ApproveAsync(draft.Key, draft.Version, "Rosyid Hamidi");
        await fixture.Catalog.PublishAsync(draft.Key, draft.Version, Now.AddDays(1));

        var before = await generator.RenderHtmlAsync();
        clock.Advance(TimeSpan.FromDays(2));
        var html = await generator.RenderHtmlAsync();

        // Before the new version takes effect, the document is still revision 02 without it.
        before.Should().Contain("id=\"revision\">02<").And.NotContain("Jeda konfirmasi");
        html.Should().Contain("id=\"revision\">03<");
        html.Should().Contain("id=\"document-code\">OCC.PGDN.01.01<");
        html.Should().Contain("id=\"effective-date\">11 Maret 2026<");
        html.Should().Contain("Gadhong Pangenggar").And.Contain("Franskel Wawan Ardiansyah").And.Contain("Rosyid Hamidi");
        html.Should().Contain("Kepala Departemen Contact Center").And.Contain("Kepala Divisi Jaringan &amp; Operasional");

        foreach (var (key, steps) in StepsInRepo())
        {
            var section = SectionOf(html, key);
            foreach (var step in steps)
            {
                section.Should().Contain($"<td class=\"col-no step-number\">{step}</td>", $"{key} step {step}");
            }

            Regex.Count(section, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bpmn-diagram\"").Should().Be(1, key);
        }

        Regex.Count(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bpmn-diagram\"").Should().Be(8);
        var versions = await fixture.Catalog.ListAsync();
        Regex.Count(html, "<tr class=\"change\"").Should().Be(versions.Count).And.Be(9);
        foreach (var v in versions)
        {
            html.Should().Contain($"<tr class=\"change\" data-key=\"{v.Key}\" data-version=\"{v.Version}\">");
        }

        // Texts from the catalogue are escaped: the change note's quotes and angle brackets.
        html.Should().Contain("Jeda konfirmasi &quot;masih terhubung?&quot; menjadi 2 menit &lt;uji&gt;").And.NotContain("<uji>");
        SectionOf(html, "still-connected").Should().Contain("Batas waktu: 2 menit");
    }

    [Fact]
    public async Task RenderHtml_EscapesMarkupInNamesAndScripts()
    {
        var (fixture, generator, _) = await StartAsync();
        await using var _ = fixture;
        var bpmn = File.ReadAllText(Path.Combine(fixture.WorkflowsFolder, "still-connected.bpmn"))
            .Replace("cc:script=\"Apakah saat ini Bapak/Ibu masih terhubung dengan kami?\"", "cc:script=\"&lt;script&gt;alert(1)&lt;/script&gt; &amp; masih?\"", StringComparison.Ordinal)
            .Replace("name=\"Nasabah membalas\"", "name=\"&lt;b onmouseover=x&gt;membalas\"", StringComparison.Ordinal);
        await Definitions.CatalogBpmn.PublishNewAsync(fixture.Catalog, bpmn, Now.AddMinutes(-1));

        var html = await generator.RenderHtmlAsync();

        html.Should().NotContain("<script>").And.NotContain("<b onmouseover");
        html.Should().Contain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; masih?");
        html.Should().Contain("&lt;b onmouseover=x&gt;membalas");
    }

    [Fact]
    public async Task Build_AsOfBeforeAnyVersion_IsNotFound()
    {
        var (fixture, generator, _) = await StartAsync();
        await using var _ = fixture;

        var act = () => generator.BuildAsync(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));

        (await act.Should().ThrowAsync<Runtime.Definitions.CatalogException>()).Which.Error.Should().Be(Runtime.Definitions.CatalogError.NotFound);
    }

    /// <summary>The HTML of one flow's section, up to the next section.</summary>
    private static string SectionOf(string html, string key)
    {
        var start = html.IndexOf($"id=\"flow-{key}\"", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, key);
        var end = html.IndexOf("<section", start, StringComparison.Ordinal);
        return html[start..(end < 0 ? html.Length : end)];
    }
}
