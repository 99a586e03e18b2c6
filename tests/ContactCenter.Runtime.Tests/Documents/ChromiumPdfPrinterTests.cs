using System.Text;
using ContactCenter.Modules.Documents;
using ContactCenter.Rendering;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.Documents;

/// <summary>
/// The SOP document printed to PDF by headless chromium. Chromium is required here: CI installs it
/// (tests/ContactCenter.Workflows.Tests/setup.sh), and a machine without it fails these tests
/// rather than skipping them.
/// </summary>
public class ChromiumPdfPrinterTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Print_GeneratedSopDocument_IsAPdf()
    {
        File.Exists(Chromium).Should().BeTrue($"the PDF is printed by {Chromium}; install it with tests/ContactCenter.Workflows.Tests/setup.sh");
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var html = await new SopDocumentGenerator(fixture.Catalog, clock, new SvgDiagramRenderer()).RenderHtmlAsync();

        var pdf = await new ChromiumPdfPrinter().PrintAsync(html);

        Encoding.ASCII.GetString(pdf, 0, 5).Should().Be("%PDF-");
        pdf.Length.Should().BeGreaterThan(20_000);
        if (Environment.GetEnvironmentVariable("SOP_DOCUMENT_OUT") is { Length: > 0 } folder)
        {
            // For looking at the document: SOP_DOCUMENT_OUT=/tmp/sop dotnet test ...
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "sop.html"), html);
            await File.WriteAllBytesAsync(Path.Combine(folder, "sop.pdf"), pdf);
        }
    }

    [Fact]
    public async Task Print_ChromiumMissing_ThrowsPdfPrintException()
    {
        var printer = new ChromiumPdfPrinter(new ChromiumPdfOptions { ExecutablePath = "/nonexistent/chromium" });

        printer.IsAvailable.Should().BeFalse();
        var act = () => printer.PrintAsync("<html></html>");

        (await act.Should().ThrowAsync<PdfPrintException>()).Which.Message.Should().Contain("/nonexistent/chromium");
    }
}
