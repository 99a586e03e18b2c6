namespace ContactCenter.Modules.Documents;

/// <summary>Draws a flow's diagram for the SOP document (the Rendering adapter draws inline SVG).</summary>
public interface IDiagramRenderer
{
    /// <summary>
    /// The markup of <paramref name="diagram"/>, fitted to a box of <paramref name="boxWidth"/> ×
    /// <paramref name="boxHeight"/> CSS pixels; <paramref name="idPrefix"/> keeps its ids unique in a page.
    /// </summary>
    string Render(BpmnDiagram diagram, string idPrefix, string title, double boxWidth, double boxHeight);
}

/// <summary>Prints an HTML document to PDF (the Rendering adapter uses headless chromium).</summary>
public interface IPdfPrinter
{
    /// <summary>Whether printing can work here at all (the printer's program is installed).</summary>
    bool IsAvailable { get; }

    /// <summary>The PDF of <paramref name="html"/>.</summary>
    /// <exception cref="PdfPrintException">The printer is missing, failed, timed out or wrote no PDF.</exception>
    Task<byte[]> PrintAsync(string html, CancellationToken cancellationToken = default);
}

/// <summary>The PDF printer is missing, failed or produced no PDF.</summary>
public sealed class PdfPrintException(string message, Exception? inner = null) : Exception(message, inner);
