using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Security;

/// <summary>
/// The admin API for users, on the shared server: each test adds users of its own (unique names),
/// so the demo users stay as they are. Disabling, re-roling or a new password ends the user's
/// existing tokens at their next request; every change is an audit row.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class UserAdministrationTests(ServerFixture server)
{
    private static string NewName(string prefix) => $"{prefix}.{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task AddedUser_SignsIn_IsListedAndAudited()
    {
        using var admin = await server.ClientForAsync("admin");
        var name = NewName("agent");

        var added = await admin.PostJsonAsync("/api/admin/users", new { userName = name, displayName = "Wati", roles = new[] { "Agent" } }, HttpStatusCode.Created);
        var password = added.GetProperty("password").GetString()!;
        password.Should().HaveLength(20, "a password the server makes is returned once");

        using var client = await SignInAsync(name, password);
        var me = await client.GetJsonAsync("/api/auth/me");
        me.GetProperty("displayName").GetString().Should().Be("Wati");
        me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Agent");

        var listed = (await admin.GetJsonAsync("/api/admin/users")).EnumerateArray().Single(u => u.GetProperty("userName").GetString() == name);
        listed.GetProperty("disabled").GetBoolean().Should().BeFalse();
        listed.GetProperty("lastSignInAt").ValueKind.Should().Be(JsonValueKind.String, "the sign-in above is recorded");

        var audit = (await admin.GetJsonAsync($"/api/admin/users/audit?userName={name}")).EnumerateArray().ToList();
        audit.Should().ContainSingle();
        audit[0].GetProperty("actor").GetString().Should().Be("admin");
        audit[0].GetProperty("action").GetString().Should().Be("created");
        audit[0].GetProperty("details").GetString().Should().Contain("roles: Agent").And.NotContain(password);
    }

    [Fact]
    public async Task BadInput_IsA400NamingTheField_TakenNameA409_UnknownUserA404()
    {
        using var admin = await server.ClientForAsync("admin");

        (await Field(admin.PostAsJsonAsync("/api/admin/users", new { userName = "Ab", displayName = "x", roles = new[] { "Agent" } }))).Should().Equal("userName");
        (await Field(admin.PostAsJsonAsync("/api/admin/users", new { userName = NewName("x"), displayName = "x", roles = new[] { "Boss" } }))).Should().Equal("roles");
        (await Field(admin.PostAsJsonAsync("/api/admin/users", new { userName = NewName("x"), displayName = "x", roles = new[] { "RelatedTeam" } }))).Should().Equal("unit");
        (await Field(admin.PostAsJsonAsync("/api/admin/users", new { userName = NewName("x"), displayName = "x", roles = new[] { "Agent" }, unit = "Divisi Gadai" }))).Should().Equal("unit");
        (await Field(admin.PostAsJsonAsync("/api/admin/users", new { userName = NewName("x"), displayName = "", roles = new[] { "Agent" } }))).Should().Equal("displayName");
        (await Field(admin.PostAsJsonAsync("/api/admin/users", new { userName = NewName("x"), displayName = "x", roles = new[] { "Agent" }, password = "short" }))).Should().Equal("password");

        var taken = await (await admin.PostAsJsonAsync("/api/admin/users", new { userName = "agent.sari", displayName = "x", roles = new[] { "Agent" } })).ProblemAsync(HttpStatusCode.Conflict);
        taken.GetProperty("detail").GetString().Should().Contain("agent.sari");

        await (await admin.PostAsync("/api/admin/users/nobody/disable", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PutAsJsonAsync("/api/admin/users/nobody", new { displayName = "x", roles = new[] { "Agent" } })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsJsonAsync("/api/admin/users/nobody/password", new { })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Disabled_CannotSignIn_AndTheirTokenStopsAtTheNextRequest()
    {
        using var admin = await server.ClientForAsync("admin");
        var name = NewName("tier2");
        var password = (await admin.PostJsonAsync("/api/admin/users", new { userName = name, displayName = "Dian", roles = new[] { "Tier2" } }, HttpStatusCode.Created)).GetProperty("password").GetString()!;
        using var user = await SignInAsync(name, password);
        (await user.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await admin.PostJsonAsync($"/api/admin/users/{name}/disable", new { })).GetProperty("disabled").GetBoolean().Should().BeTrue();

        (await user.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the token was issued before the user was disabled");
        (await Login(name, password)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await admin.PostJsonAsync($"/api/admin/users/{name}/enable", new { });
        (await Login(name, password)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await admin.GetJsonAsync($"/api/admin/users/audit?userName={name}")).EnumerateArray().Select(a => a.GetProperty("action").GetString())
            .Should().Equal("enabled", "disabled", "created");
    }

    [Fact]
    public async Task Disabled_TheirOpenLiveStreamEnds()
    {
        using var admin = await server.ClientForAsync("admin");
        var name = NewName("agent");
        var password = (await admin.PostJsonAsync("/api/admin/users", new { userName = name, displayName = "Sekar", roles = new[] { "Agent" } }, HttpStatusCode.Created)).GetProperty("password").GetString()!;
        using var user = await SignInAsync(name, password);
        // A bound on a hang, not a timing assertion: the stream must end on its own, long before.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var live = await user.GetAsync("/api/live", HttpCompletionOption.ResponseHeadersRead, guard.Token);
        live.StatusCode.Should().Be(HttpStatusCode.OK);
        using var reader = new StreamReader(await live.Content.ReadAsStreamAsync(guard.Token));
        (await reader.ReadLineAsync(guard.Token)).Should().Be(": connected");

        await admin.PostJsonAsync($"/api/admin/users/{name}/disable", new { });

        // What the stream still sends after the change, up to its end (a heartbeat is 15 s away).
        var rest = await reader.ReadToEndAsync(guard.Token);
        guard.IsCancellationRequested.Should().BeFalse();
        rest.Should().NotContain("event:", "a disabled user receives no further event");
        using var again = await user.GetAsync("/api/live", HttpCompletionOption.ResponseHeadersRead, guard.Token);
        again.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the browser's reconnect is refused");
    }

    [Fact]
    public async Task ChangedRolesAndUnit_EndOldTokens_NewSignInCarriesThem()
    {
        using var admin = await server.ClientForAsync("admin");
        var name = NewName("agent");
        var password = (await admin.PostJsonAsync("/api/admin/users", new { userName = name, displayName = "Eko", roles = new[] { "Agent" } }, HttpStatusCode.Created)).GetProperty("password").GetString()!;
        using var before = await SignInAsync(name, password);

        var changed = await (await admin.PutAsJsonAsync($"/api/admin/users/{name}", new { displayName = "Eko P.", roles = new[] { "RelatedTeam" }, unit = "Divisi Gadai" })).JsonAsync();
        changed.GetProperty("unit").GetString().Should().Be("Divisi Gadai");

        (await before.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the token still says Agent");
        using var after = await SignInAsync(name, password);
        var me = await after.GetJsonAsync("/api/auth/me");
        me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("RelatedTeam");
        me.GetProperty("unit").GetString().Should().Be("Divisi Gadai");
        me.GetProperty("displayName").GetString().Should().Be("Eko P.");
        var audit = (await admin.GetJsonAsync($"/api/admin/users/audit?userName={name}")).EnumerateArray().First();
        audit.GetProperty("details").GetString().Should().Be("displayName: Eko → Eko P.; roles: Agent → RelatedTeam; unit: - → Divisi Gadai");
    }

    [Fact]
    public async Task ResetPassword_OldOneFails_NewOneWorks_AWeakOneIsRefused()
    {
        using var admin = await server.ClientForAsync("admin");
        var name = NewName("leader");
        var first = (await admin.PostJsonAsync("/api/admin/users", new { userName = name, displayName = "Lia", roles = new[] { "TeamLeader" } }, HttpStatusCode.Created)).GetProperty("password").GetString()!;

        var made = (await admin.PostJsonAsync($"/api/admin/users/{name}/password", new { })).GetProperty("password").GetString()!;
        (await Login(name, first)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Login(name, made)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await Field(admin.PostAsJsonAsync($"/api/admin/users/{name}/password", new { password = "abc" }))).Should().Equal("password");
        var given = await admin.PostJsonAsync($"/api/admin/users/{name}/password", new { password = "Gadai-2026-Kuat!" });
        given.GetProperty("password").ValueKind.Should().Be(JsonValueKind.Null, "a given password is not echoed");
        (await Login(name, "Gadai-2026-Kuat!")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheLastEnabledAdmin_CannotDisableOrDeAdminThemselves()
    {
        using var admin = await server.ClientForAsync("admin");

        var disable = await (await admin.PostAsync("/api/admin/users/admin/disable", null)).ProblemAsync(HttpStatusCode.Conflict);
        disable.GetProperty("detail").GetString().Should().Contain("last enabled administrator");
        var deAdmin = await (await admin.PutAsJsonAsync("/api/admin/users/admin", new { displayName = "Administrator", roles = new[] { "Agent" } })).ProblemAsync(HttpStatusCode.Conflict);
        deAdmin.GetProperty("detail").GetString().Should().Contain("last enabled administrator");

        (await admin.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK, "nothing changed");
    }

    private static async Task<string[]> Field(Task<HttpResponseMessage> answer)
    {
        var problem = await (await answer).ProblemAsync(HttpStatusCode.BadRequest);
        return [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }

    private async Task<HttpResponseMessage> Login(string userName, string password)
    {
        using var anonymous = server.Anonymous();
        return await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password });
    }

    private async Task<HttpClient> SignInAsync(string userName, string password)
    {
        var token = (await (await Login(userName, password)).JsonAsync()).GetProperty("accessToken").GetString();
        var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
