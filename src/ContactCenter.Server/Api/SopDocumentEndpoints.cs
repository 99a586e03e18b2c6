using ContactCenter.Modules.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>
/// The SOP document generated from the definitions in effect (now, or as of a date): printable
/// HTML, or PDF through headless chromium. Every signed-in user may read the procedure.
/// </summary>
public static class SopDocumentEndpoints
{
    public static IEndpointRouteBuilder MapSopDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sop-document", HtmlAsync)
            .WithTags("Definitions")
            .RequireAuthorization(p => p.RequireAuthenticatedUser())
            .WithSummary("The SOP document (HTML) from the published versions in effect now or at ?asOf=.")
            .Produces(200, contentType: "text/html").ProducesProblem(404);
        app.MapGet("/api/sop-document/pdf", PdfAsync)
            .WithTags("Definitions")
            .RequireAuthorization(p => p.RequireAuthenticatedUser())
            .WithSummary("The SOP document as PDF, printed by headless chromium; 503 when chromium is not available.")
            .Produces(200, contentType: "application/pdf").ProducesProblem(404).ProducesProblem(503);
        return app;
    }

    private static async Task<ContentHttpResult> HtmlAsync(DateTimeOffset? asOf, SopDocumentGenerator generator, CancellationToken cancellationToken) =>
        TypedResults.Content(await generator.RenderHtmlAsync(asOf, cancellationToken).ConfigureAwait(false), "text/html; charset=utf-8");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PdfAsync(DateTimeOffset? asOf, SopDocumentGenerator generator, IPdfPrinter printer, CancellationToken cancellationToken)
    {
        var document = await generator.BuildAsync(asOf, cancellationToken).ConfigureAwait(false);
        var html = SopHtmlRenderer.Render(document);
        try
        {
            var pdf = await printer.PrintAsync(html, cancellationToken).ConfigureAwait(false);
            var name = $"SOP-{document.Header.DocumentCode}-Rev{document.Header.Revision ?? "0"}.pdf";
            return TypedResults.File(pdf, "application/pdf", name);
        }
        catch (PdfPrintException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The PDF cannot be printed");
        }
    }
}
