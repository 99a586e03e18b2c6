using System.Diagnostics;
using ContactCenter.Modules.Documents;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContactCenter.Rendering;

/// <summary>Where chromium is and how long a print may take.</summary>
public sealed record ChromiumPdfOptions
{
    /// <summary>Default is Debian's <c>/usr/bin/chromium</c>.</summary>
    public string ExecutablePath { get; init; } = "/usr/bin/chromium";

    /// <summary>Default is 60 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Prints HTML to PDF with headless Debian chromium
/// (<c>chromium --headless --no-sandbox --print-to-pdf=&lt;file&gt; &lt;html file&gt;</c>), in a
/// throwaway folder that also holds chromium's profile, so concurrent prints never share one.
/// </summary>
/// <remarks>
/// The HTML is written to a file and opened from there: the document is self-contained (inline
/// CSS and SVG), so chromium needs no network. A print that outlives
/// <see cref="ChromiumPdfOptions.Timeout"/> is killed with its process tree.
/// </remarks>
public sealed class ChromiumPdfPrinter(ChromiumPdfOptions? options = null, ILogger<ChromiumPdfPrinter>? logger = null) : IPdfPrinter
{
    private readonly ChromiumPdfOptions _options = options ?? new ChromiumPdfOptions();
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public bool IsAvailable => File.Exists(_options.ExecutablePath);

    /// <summary>The PDF of <paramref name="html"/>.</summary>
    /// <exception cref="PdfPrintException">Chromium is missing, failed, timed out or wrote no PDF.</exception>
    public async Task<byte[]> PrintAsync(string html, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(html);
        var folder = Directory.CreateTempSubdirectory("cc-sop-print-");
        try
        {
            var htmlPath = Path.Combine(folder.FullName, "sop.html");
            var pdfPath = Path.Combine(folder.FullName, "sop.pdf");
            await File.WriteAllTextAsync(htmlPath, html, cancellationToken).ConfigureAwait(false);
            await PrintFileAsync(htmlPath, pdfPath, Path.Combine(folder.FullName, "profile"), cancellationToken).ConfigureAwait(false);
            return await File.ReadAllBytesAsync(pdfPath, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A chromium helper still closing a file: the OS cleans its temp folder later.
            }
        }
    }

    /// <summary>Prints an HTML file to <paramref name="pdfPath"/>.</summary>
    /// <exception cref="PdfPrintException">Chromium is missing, failed, timed out or wrote no PDF.</exception>
    public async Task PrintFileAsync(string htmlPath, string pdfPath, string? profileFolder = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(htmlPath);
        ArgumentNullException.ThrowIfNull(pdfPath);
        if (!IsAvailable)
        {
            throw new PdfPrintException($"chromium is not installed at {_options.ExecutablePath}");
        }

        var ownProfile = profileFolder is null;
        var profile = profileFolder ?? Directory.CreateTempSubdirectory("cc-sop-profile-").FullName;
        var start = new ProcessStartInfo(_options.ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-pdf-header-footer",
            $"--user-data-dir={profile}", $"--print-to-pdf={Path.GetFullPath(pdfPath)}", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            File.Delete(pdfPath);
            using var process = Process.Start(start) ?? throw new PdfPrintException($"chromium at {_options.ExecutablePath} did not start");
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new PdfPrintException($"chromium did not finish printing within {_options.Timeout.TotalSeconds:0} s");
            }

            await Task.WhenAll(stderr, stdout).ConfigureAwait(false);
            if (process.ExitCode != 0 || !File.Exists(pdfPath) || new FileInfo(pdfPath).Length == 0)
            {
                throw new PdfPrintException($"chromium exited with {process.ExitCode} and no PDF: {Tail(await stderr.ConfigureAwait(false))}");
            }

            _logger.LogInformation("Printed {HtmlPath} to {PdfPath} ({Bytes} bytes)", htmlPath, pdfPath, new FileInfo(pdfPath).Length);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PdfPrintException($"chromium at {_options.ExecutablePath} could not be started: {e.Message}", e);
        }
        finally
        {
            if (ownProfile)
            {
                TryDelete(profile);
            }
        }
    }

    private static string Tail(string text) => text.Length > 600 ? text[^600..] : text;

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // See PrintAsync.
        }
    }
}
