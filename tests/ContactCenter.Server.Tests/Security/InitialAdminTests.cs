using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Server.Tests.Security;

/// <summary>
/// A production installation starts with no user: the first start creates one administrator with
/// a random password in <c>initial-admin.json</c> (owner-only), logs where it is but never the
/// password, and never creates it again once any user exists.
/// </summary>
public sealed class InitialAdminTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cc-initial-admin-");
    private readonly LogEvents _logs = new();

    private string DataFolder => Path.Combine(_folder.FullName, "data");

    private string AdminFile => Path.Combine(DataFolder, "initial-admin.json");

    [Fact]
    public async Task Production_FirstStart_CreatesOneAdminWhoCanSignIn()
    {
        await using (var factory = Production())
        {
            _ = factory.Server;

            File.Exists(AdminFile).Should().BeTrue();
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(AdminFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "only the server's account may read the password");
            }

            using var file = JsonDocument.Parse(await File.ReadAllTextAsync(AdminFile));
            file.RootElement.GetProperty("userName").GetString().Should().Be("admin");
            var password = file.RootElement.GetProperty("password").GetString()!;
            password.Should().HaveLength(20);

            var startup = _logs.OfCategory("ContactCenter.Server.Identity.IdentityStartup");
            startup.Should().Contain(e => e["InitialAdminFile"] == AdminFile);
            startup.SelectMany(e => e.Values).Should().NotContain(v => v != null && v.Contains(password, StringComparison.Ordinal), "the password is never logged");

            using var client = factory.CreateClient();
            var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = "admin", password });
            login.StatusCode.Should().Be(HttpStatusCode.OK);
            using var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
            using var me = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
            me.Headers.Authorization = new("Bearer", token.RootElement.GetProperty("accessToken").GetString());
            var roles = (await (await client.SendAsync(me)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roles");
            roles.EnumerateArray().Select(r => r.GetString()).Should().Equal("Admin");
            File.Exists(Path.Combine(DataFolder, "demo-users.json")).Should().BeFalse();
        }

        // The operator deleted the file as told; a restart does not make a second administrator.
        File.Delete(AdminFile);
        await using (var again = Production())
        {
            _ = again.Server;
            File.Exists(AdminFile).Should().BeFalse("an administrator is created only while there is no user at all");
        }
    }

    private ServerFactory Production() =>
        new(DataFolder, _logs.Register, runScheduler: false)
        {
            EnvironmentName = Environments.Production,
            Settings = new Dictionary<string, string?> { ["Channels:Webhook:Secret"] = "a-shared-secret-of-the-omni-channel-application" },
        };

    public void Dispose()
    {
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on the way out; the temp folder is cleaned by the OS.
        }
    }
}
