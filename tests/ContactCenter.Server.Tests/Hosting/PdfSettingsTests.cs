using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
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
                using var client = await SignedInAsync(missing, Path.Combine(folder, "a"));
                var answer = await client.GetAsync(new Uri("/api/sop-document/pdf", UriKind.Relative));
                answer.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
                (await answer.Content.ReadAsStringAsync()).Should().Contain("/nonexistent/chromium", "the problem names the program it could not run");
            }

            await using var present = new ServerFactory(Path.Combine(folder, "b"), runScheduler: false)
            {
                Settings = new Dictionary<string, string?> { ["ContactCenter:Pdf:ExecutablePath"] = "/usr/bin/chromium" },
            };
            using var leader = await SignedInAsync(present, Path.Combine(folder, "b"));
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

    /// <summary>A client of <paramref name="factory"/> signed in as the Team Leader with the demo password.</summary>
    private static async Task<HttpClient> SignedInAsync(ServerFactory factory, string dataFolder)
    {
        var client = factory.CreateClient();
        using var users = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dataFolder, "demo-users.json")));
        var password = users.RootElement.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "leader.rina").GetProperty("password").GetString();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = "leader.rina", password });
        login.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("accessToken").GetString());
        return client;
    }
}
