using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace ContactCenter.Cli.Tests;

/// <summary>The real server in memory on a temp data folder (real SQLite, the repository's workflows, demo users).</summary>
public sealed class InMemoryServer : WebApplicationFactory<global::Program>, IAsyncLifetime
{
    public string DataFolder { get; } = Directory.CreateTempSubdirectory("cc-cli-server-").FullName;

    public Func<HttpMessageHandler> Handler => () => Server.CreateHandler();

    public string Url => Server.BaseAddress.ToString();

    public Task InitializeAsync()
    {
        _ = Server; // starts the host: migrations, import, demo users
        return Task.CompletedTask;
    }

    public string PasswordOf(string userName)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(DataFolder, "demo-users.json")));
        return file.RootElement.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == userName).GetProperty("password").GetString()!;
    }

    public async Task<HttpClient> ClientForAsync(string userName)
    {
        var client = CreateClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = PasswordOf(userName) });
        login.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ContactCenter:DataFolder", DataFolder);
        builder.UseSetting("ContactCenter:WorkflowsFolder", Path.Combine(CliRun.Root, "workflows"));
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A log or database file still held on the way out; the OS temp folder cleans it later.
        }
    }
}

/// <summary><c>publish</c> against the real server: sign-in, the publish route, and its refusals.</summary>
public sealed class PublishCommandTests(InMemoryServer server) : IClassFixture<InMemoryServer>
{
    private const string Approver = "approver.rosyid";

    private Task<(int Code, string Out, string Err)> PublishAsync(string user, string? password, params string[] args) =>
        CliRun.RunAsync(
            CliRun.Root,
            ["publish", .. args, "--server", server.Url, "--user", user],
            server.Handler,
            password is null ? null : new Dictionary<string, string> { ["CONTACTCENTER_PASSWORD"] = password });

    [Fact]
    public async Task Publish_ApprovedVersion_SignsInAndPublishes_ExitsZero()
    {
        var version = await ApprovedDraftAsync("email-cli-trial");

        var (code, output, error) = await PublishAsync(Approver, server.PasswordOf(Approver), "email-cli-trial", version.ToString(System.Globalization.CultureInfo.InvariantCulture), "--effective-from", "2026-01-01T00:00:00+07:00");

        code.Should().Be(0, error);
        output.Should().StartWith($"published email-cli-trial v{version} \"Handling Email\": status Published, effective from 2026-01-01T00:00:00+07:00, in effect now: yes; maker owner.gadhong, checker reviewer.franskel, approver approver.rosyid, sha256:");
        using var owner = await server.ClientForAsync("owner.gadhong");
        var view = JsonDocument.Parse(await owner.GetStringAsync($"/api/definitions/email-cli-trial/versions/{version}")).RootElement;
        view.GetProperty("status").GetString().Should().Be("Published");
        view.GetProperty("effectiveFrom").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(7)));
    }

    [Fact]
    public async Task Publish_PasswordOption_TakesPrecedence_WrongPasswordIs401_ExitsOne()
    {
        var (code, output, error) = await CliRun.RunAsync(
            CliRun.Root,
            ["publish", "email", "1", "--effective-from", "2026-01-01T00:00:00Z", "--server", server.Url, "--user", Approver, "--password", "wrong"],
            server.Handler,
            new Dictionary<string, string> { ["CONTACTCENTER_PASSWORD"] = server.PasswordOf(Approver) });

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Be($"error: sign-in as {Approver} failed (HTTP 401 Unauthorized): Sign-in failed: Wrong user name or password.\n");
    }

    [Fact]
    public async Task Publish_AsAnAgent_Is403_ExitsOne()
    {
        var (code, _, error) = await PublishAsync("agent.sari", server.PasswordOf("agent.sari"), "email", "1", "--effective-from", "2026-01-01T00:00:00+07:00");

        code.Should().Be(1);
        error.Should().StartWith("error: agent.sari may not publish definitions (ProcessOwner, Approver or Admin only) (HTTP 403 Forbidden)");
    }

    [Fact]
    public async Task Publish_AlreadyPublishedVersion_Is409_UnknownKeyIs404_ExitsOne()
    {
        var password = server.PasswordOf(Approver);

        var published = await PublishAsync(Approver, password, "email", "1", "--effective-from", "2026-01-01T00:00:00+07:00");
        var unknown = await PublishAsync(Approver, password, "no-such-flow", "1", "--effective-from", "2026-01-01T00:00:00+07:00");

        published.Code.Should().Be(1);
        published.Err.Should().StartWith("error: email v1 cannot be published now (HTTP 409 Conflict): ");
        unknown.Code.Should().Be(1);
        unknown.Err.Should().StartWith("error: there is no no-such-flow v1 (HTTP 404 Not Found)");
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:5080", "2026-04-01T00:00:00+07:00", "no password: pass --password or set CONTACTCENTER_PASSWORD")]
    [InlineData("pw", "127.0.0.1:5080", "2026-04-01T00:00:00+07:00", "is not an http(s) URL")]
    [InlineData("pw", "http://127.0.0.1:5080", "2026-04-01T00:00:00", "is not an ISO 8601 date and time with an offset")]
    [InlineData("pw", "http://127.0.0.1:5080", "1 April 2026", "is not an ISO 8601 date and time with an offset")]
    public async Task Publish_BadArguments_ExitTwo_WithoutCallingTheServer(string? password, string url, string effectiveFrom, string message)
    {
        var (code, _, error) = await CliRun.RunAsync(
            CliRun.Root,
            ["publish", "email", "2", "--effective-from", effectiveFrom, "--server", url, "--user", Approver],
            () => throw new InvalidOperationException("no HTTP call expected"),
            password is null ? null : new Dictionary<string, string> { ["CONTACTCENTER_PASSWORD"] = password });

        code.Should().Be(2);
        error.Should().Contain(message);
    }

    [Fact]
    public async Task Publish_MissingRequiredOption_ExitsTwo() =>
        (await CliRun.RunAsync(CliRun.Root, ["publish", "email", "2", "--server", "http://127.0.0.1:5080", "--user", Approver])).Code.Should().Be(2);

    [Fact]
    public async Task Publish_ServerNotRunning_ExitsOne()
    {
        var (code, _, error) = await CliRun.RunAsync(
            CliRun.Root,
            ["publish", "email", "2", "--effective-from", "2026-04-01T00:00:00+07:00", "--server", "http://127.0.0.1:9", "--user", Approver],
            variables: new Dictionary<string, string> { ["CONTACTCENTER_PASSWORD"] = "pw" });

        code.Should().Be(1);
        error.Should().StartWith("error: cannot reach http://127.0.0.1:9/: ");
    }

    /// <summary>A copy of email.bpmn under another key, made by the owner, checked by the reviewer and approved by the approver.</summary>
    private async Task<int> ApprovedDraftAsync(string key)
    {
        var bpmn = (await File.ReadAllTextAsync(Path.Combine(CliRun.Root, "workflows", "email.bpmn")))
            .Replace("<bpmn:process id=\"email\"", $"<bpmn:process id=\"{key}\"", StringComparison.Ordinal)
            .Replace("bpmnElement=\"email\"", $"bpmnElement=\"{key}\"", StringComparison.Ordinal);
        using var owner = await server.ClientForAsync("owner.gadhong");
        using var reviewer = await server.ClientForAsync("reviewer.franskel");
        using var approver = await server.ClientForAsync(Approver);
        var created = await owner.PostAsync("/api/definitions", new StringContent(bpmn, Encoding.UTF8, "application/xml"));
        created.EnsureSuccessStatusCode();
        var version = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32();
        var url = $"/api/definitions/{key}/versions/{version}";
        (await owner.PostAsJsonAsync($"{url}/submit", new { })).EnsureSuccessStatusCode();
        (await reviewer.PostAsJsonAsync($"{url}/check", new { })).EnsureSuccessStatusCode();
        (await approver.PostAsJsonAsync($"{url}/approve", new { })).EnsureSuccessStatusCode();
        return version;
    }
}
