using System.Text.Json;
using Microsoft.Playwright;

namespace ContactCenter.Workflows.Tests;

/// <summary>
/// Imports every workflows/*.bpmn into the real bpmn-js modeler (the designer process owners use) inside
/// Debian's chromium, and keeps a screenshot of each diagram under tests/results/screenshots.
/// </summary>
/// <remarks>
/// Nothing is fetched: the page is set from a string and the bundle and its CSS are injected from
/// node_modules; every request the page would make is aborted. Missing chromium or node_modules fail
/// the test with the command that installs them (tests/ContactCenter.Workflows.Tests/setup.sh).
/// </remarks>
public sealed class BpmnJsImportTests : IClassFixture<BpmnJsBrowser>
{
    private const string ImportScript = """
        async (xml) => {
          const modeler = new BpmnJS({ container: '#canvas' });
          window.modeler = modeler;
          try {
            const result = await modeler.importXML(xml);
            const canvas = modeler.get('canvas');
            const inner = canvas.viewbox().inner;
            return { error: null, warnings: result.warnings.map(w => String(w.message)), x: inner.x, y: inner.y, width: inner.width, height: inner.height };
          } catch (err) {
            return { error: String((err && err.message) || err), warnings: ((err && err.warnings) || []).map(w => String(w.message)), x: 0, y: 0, width: 0, height: 0 };
          }
        }
        """;

    private const string FitScript = """
        (box) => {
          const canvas = window.modeler.get('canvas');
          canvas.resized();
          canvas.viewbox(box);
          return canvas.zoom();
        }
        """;

    private readonly BpmnJsBrowser browser;

    public BpmnJsImportTests(BpmnJsBrowser browser) => this.browser = browser;

    [Theory]
    [MemberData(nameof(WorkflowFiles.All), MemberType = typeof(WorkflowFiles))]
    public async Task ImportXml_Workflow_HasNoWarningsAndSavesScreenshot(string key)
    {
        var xml = await File.ReadAllTextAsync(WorkflowFiles.PathOf(key));
        var page = await browser.NewPageAsync();
        try
        {
            var result = await page.EvaluateAsync<ImportResult>(ImportScript, xml);

            result.Error.Should().BeNull($"bpmn-js must import {key}.bpmn");
            result.Warnings.Should().BeEmpty($"bpmn-js must import {key}.bpmn without warnings");
            result.Width.Should().BeGreaterThan(0, "the diagram must draw something");

            const int margin = 20;
            var width = (int)Math.Ceiling(result.Width) + (2 * margin);
            var height = (int)Math.Ceiling(result.Height) + (2 * margin);
            await page.SetViewportSizeAsync(width, height);
            await page.EvaluateAsync<double>(FitScript, new { x = result.X - margin, y = result.Y - margin, width, height });

            Directory.CreateDirectory(RepoPaths.Screenshots);
            var png = Path.Combine(RepoPaths.Screenshots, key + ".png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = png, FullPage = true });
            new FileInfo(png).Length.Should().BeGreaterThan(1000, "the screenshot must hold the diagram");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    public sealed class ImportResult
    {
        public string? Error { get; set; }

        public string[] Warnings { get; set; } = [];

        public double X { get; set; }

        public double Y { get; set; }

        public double Width { get; set; }

        public double Height { get; set; }

        public override string ToString() => JsonSerializer.Serialize(this);
    }
}

/// <summary>One headless chromium for the whole class.</summary>
public sealed class BpmnJsBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? playwright;
    private IBrowser? browser;

    private static string Dist => Path.Combine(Path.Combine(RepoPaths.Root, "tests", "ContactCenter.Workflows.Tests"), "node_modules", "bpmn-js", "dist");

    public async Task InitializeAsync()
    {
        const string hint = "run tests/ContactCenter.Workflows.Tests/setup.sh (npm ci there, apt-get install chromium)";
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: {hint}.");
        }

        if (!File.Exists(Path.Combine(Dist, "bpmn-modeler.development.js")))
        {
            throw new InvalidOperationException($"bpmn-js is missing under {Dist}: {hint}.");
        }

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        if (browser is null)
        {
            throw new InvalidOperationException("The browser did not start.");
        }

        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 1600, Height = 900 },
        });
        await page.RouteAsync("**/*", route => route.AbortAsync());
        await page.SetContentAsync("""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><style>
              html, body { margin: 0; padding: 0; width: 100%; height: 100%; background: #fff; }
              #canvas { width: 100%; height: 100%; }
              .djs-palette, .bjs-powered-by { display: none !important; }
            </style></head><body><div id="canvas"></div></body></html>
            """);
        await page.AddStyleTagAsync(new PageAddStyleTagOptions { Path = Path.Combine(Dist, "assets", "diagram-js.css") });
        await page.AddStyleTagAsync(new PageAddStyleTagOptions { Path = Path.Combine(Dist, "assets", "bpmn-js.css") });
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Path.Combine(Dist, "bpmn-modeler.development.js") });
        return page;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
    }
}
