using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class AuthenticationTests(ServerFixture server)
{
    // The webhook is the one /api route without sign-in: its HMAC signature authenticates it (tests in ContactCenter.Channels.Tests).
    private static readonly string[] Anonymous = ["/api/auth/login", "/api/auth/refresh", "/api/channels/{channel}/messages"];

    /// <summary>Every /api route the server maps (read from its endpoints, so routes added later are covered too).</summary>
    private List<(string Method, string Path)> ApiRoutes() =>
        [.. server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, Concrete(e.RoutePattern.RawText!))))
            .Where(r => !Anonymous.Contains(r.Item2.TrimEnd('/')))];

    private static string Concrete(string pattern)
    {
        var path = "/" + pattern.TrimStart('/');
        return System.Text.RegularExpressions.Regex.Replace(path, "{([^}:]+)(:[^}]+)?}", m => m.Groups[2].Value switch
        {
            ":guid" => Guid.NewGuid().ToString(),
            ":int" or ":long" => "1",
            _ => "whatsapp",
        });
    }

    [Fact]
    public async Task EveryApiRoute_WithoutSignIn_Is401ProblemAndNeverARedirect()
    {
        var routes = ApiRoutes();
        routes.Should().HaveCountGreaterThan(20);
        using var client = server.Anonymous();
        foreach (var (method, path) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT")
            {
                request.Content = JsonContent.Create(new { });
            }

            var response = await client.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "{0} {1} needs sign-in", method, path);
            response.Headers.Location.Should().BeNull();
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", "{0} {1}", method, path);
        }
    }

    [Fact]
    public async Task EveryApiRoute_ButLogin_RequiresAnAuthenticatedUser()
    {
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true);
        foreach (var endpoint in endpoints)
        {
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            anonymous.Should().Be(Anonymous.Contains("/" + endpoint.RoutePattern.RawText!.TrimStart('/').TrimEnd('/')), endpoint.RoutePattern.RawText);
        }
    }

    [Fact]
    public async Task Login_WrongPassword_Is401AndASecurityEvent()
    {
        using var client = server.Anonymous();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "agent.sari", password = "not-the-password" });
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        server.SecurityEvents().Should().Contain(e => e.GetProperty("@mt").GetString()!.StartsWith("Sign-in failed", StringComparison.Ordinal)
            && e.GetProperty("UserName").GetString() == "agent.sari");
    }

    [Fact]
    public async Task Login_MissingFields_IsValidationProblemPerField()
    {
        using var client = server.Anonymous();
        var problem = await (await client.PostAsJsonAsync("/api/auth/login", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("userName").GetArrayLength().Should().Be(1);
        problem.GetProperty("errors").GetProperty("password").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Me_WithBearerToken_ShowsNameRolesAndUnit()
    {
        using var client = await server.ClientForAsync("team.gadai");
        var me = await client.GetJsonAsync("/api/auth/me");
        me.GetProperty("userName").GetString().Should().Be("team.gadai");
        me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("RelatedTeam");
        me.GetProperty("unit").GetString().Should().Be("Divisi Gadai");
    }

    [Fact]
    public async Task Login_WithCookies_SignsTheBrowserIn()
    {
        using var client = server.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new { userName = "qc.agus", password = server.PasswordOf("qc.agus") });
        login.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.NoContent);
        login.Headers.GetValues("Set-Cookie").Should().Contain(c => c.StartsWith("ContactCenter=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        var me = await client.GetJsonAsync("/api/auth/me");
        me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("QualityControl");

        (await client.PostAsync("/api/auth/logout", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DemoUsers_OneForEveryRole_WithPasswordsInTheDataFolder()
    {
        foreach (var (user, role) in new[] { ("agent.sari", "Agent"), ("tier2.dewi", "Tier2"), ("team.gadai", "RelatedTeam"), ("leader.rina", "TeamLeader"), ("qc.agus", "QualityControl"), ("owner.gadhong", "ProcessOwner"), ("reviewer.franskel", "Reviewer"), ("approver.rosyid", "Approver"), ("admin", "Admin") })
        {
            using var client = await server.ClientForAsync(user);
            var me = await client.GetJsonAsync("/api/auth/me");
            me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Contain(role);
        }
    }

    [Fact]
    public async Task HealthAndDocs_WithoutSignIn_Answer()
    {
        using var client = server.Anonymous();
        (await client.GetJsonAsync("/health/live")).GetProperty("status").GetString().Should().Be("Healthy");
        var ready = await client.GetJsonAsync("/health/ready");
        // Degraded (still ready) in December or later while the repository has no holidays for next year.
        ready.GetProperty("status").GetString().Should().BeOneOf("Healthy", "Degraded");
        ready.TryGetProperty("checks", out _).Should().BeFalse("an anonymous caller learns the status, not what each check says");
        using var admin = await server.ClientForAsync("admin");
        var detailed = await admin.GetJsonAsync("/health/ready");
        detailed.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().Should().Be("Healthy");
        detailed.GetProperty("checks").GetProperty("scheduler").GetProperty("status").GetString().Should().Be("Healthy");

        var openApi = await client.GetJsonAsync("/openapi/v1.json");
        openApi.GetProperty("paths").TryGetProperty("/api/instances/{instanceId}/tasks/{taskId}/complete", out _).Should().BeTrue();
        (await client.GetAsync("/scalar/")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
