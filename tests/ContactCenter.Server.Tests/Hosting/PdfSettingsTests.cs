using System.Net;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Hosting;

/// <summary>The SOP document's PDF is printed by the chromium ContactCenter:Pdf names (before, the endpoint always used /usr/bin/chromium).</summary>
public sealed class PdfSettingsTests
{
    [Fact]
    public async Task SopPdf_PrintsWithTheConfiguredChromium_And503WhenItIsMissing()
    {
        var folder = Directory.CreateTempSubdirectory("cc-pdf-").FullName;
        try
        {
            await using (var missing = new ServerFactory(Path.Combine(folder, "a"), runScheduler: false)
            {
                Settings = new Dictionary<string, string?> { ["ContactCenter:Pdf:ExecutablePath"] = "/nonexistent/chromium" },
            })
            {
                using var client = await missing.SignedInClientAsync("leader.rina");
                var answer = await client.GetAsync(new Uri("/api/sop-document/pdf", UriKind.Relative));
                answer.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
                (await answer.Content.ReadAsStringAsync()).Should().Contain("/nonexistent/chromium", "the problem names the program it could not run");
            }

            await using var present = new ServerFactory(Path.Combine(folder, "b"), runScheduler: false)
            {
                Settings = new Dictionary<string, string?> { ["ContactCenter:Pdf:ExecutablePath"] = "/usr/bin/chromium" },
            };
            using var leader = await present.SignedInClientAsync("leader.rina");
            var pdf = await leader.GetAsync(new Uri("/api/sop-document/pdf", UriKind.Relative));
            pdf.StatusCode.Should().Be(HttpStatusCode.OK);
            (await pdf.Content.ReadAsByteArrayAsync()).Take(5).Should().Equal("%PDF-"u8.ToArray());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
