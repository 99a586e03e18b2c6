using System.Net;
using System.Text;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests;

/// <summary>
/// The authorization table: every route the server maps (route × role × object rule), walked for
/// every role: allowed (any answer but 401/403, never 5xx) or 403 with problem details and a
/// security event. Allowed calls are made harmless on purpose (unknown versions, invalid bodies),
/// so the walk changes no state. <see cref="EveryRoute_HasARowInTheTable"/> reads the server's
/// endpoints, so a route added without its row fails the build's tests. docs/security.md explains
/// the rules; object rules beyond the role are tested where named in the row.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RoleMatrixTests(ServerFixture server)
{
    public static readonly string[] Users = ["agent.sari", "agent.budi", "tier2.dewi", "team.gadai", "leader.rina", "qc.agus", "owner.gadhong", "reviewer.franskel", "approver.rosyid", "admin"];

    private const string Everyone = "*";

    /// <summary>A route without sign-in (its own check: a password, a refresh token, the webhook's HMAC signature).</summary>
    private const string Anonymous = "anonymous";

    private static readonly string[] Designers = ["owner.gadhong", "reviewer.franskel", "approver.rosyid", "admin"];
    private static readonly string[] ReadAll = ["tier2.dewi", "leader.rina", "qc.agus", "admin"];
    private static readonly string[] QualityReaders = ["leader.rina", "qc.agus", "admin"];
    private static readonly string[] WhatIfReaders = ["leader.rina", "qc.agus", "owner.gadhong", "reviewer.franskel", "approver.rosyid", "admin"];
    private static readonly string[] TicketReaders = ["tier2.dewi", "team.gadai", "leader.rina", "qc.agus", "admin"];
    private static readonly string[] TicketWorkers = ["tier2.dewi", "team.gadai"];

    /// <summary>
    /// Route (method and pattern, as the server maps it) → a concrete call ({sari} is a running
    /// conversation of agent.sari, whose customer is "matrix"), its body, who is allowed, and the
    /// object rule on top of the role (with the test that checks it).
    /// </summary>
    private static readonly Dictionary<string, (string Path, string? Body, string[] Allowed, string Rule)> Table = new(StringComparer.Ordinal)
    {
        ["POST /api/auth/login"] = ("/api/auth/login", "{\"userName\":\"\",\"password\":\"\"}", [Anonymous], "rate limit per address, delay per name and address (SignInTests)"),
        ["POST /api/auth/refresh"] = ("/api/auth/refresh", "{\"refreshToken\":\"x\"}", [Anonymous], "the refresh token itself"),
        ["POST /api/auth/logout"] = ("/api/auth/logout", null, [Everyone], "-"),
        ["GET /api/auth/me"] = ("/api/auth/me", null, [Everyone], "-"),
        ["GET /api/definitions"] = ("/api/definitions", null, [Everyone], "-"),
        ["GET /api/definitions/{key}"] = ("/api/definitions/whatsapp", null, [Everyone], "-"),
        ["GET /api/definitions/{key}/versions/{version:int}"] = ("/api/definitions/whatsapp/versions/1", null, [Everyone], "-"),
        ["GET /api/definitions/{key}/versions/{version:int}/bpmn"] = ("/api/definitions/whatsapp/versions/1/bpmn", null, [Everyone], "-"),
        ["GET /api/definitions/{key}/diff"] = ("/api/definitions/whatsapp/diff?from=1&to=1", null, [Everyone], "-"),
        ["POST /api/definitions"] = ("/api/definitions", "xml:<not-bpmn/>", ["owner.gadhong"], "-"),
        ["POST /api/definitions/validate"] = ("/api/definitions/validate", "xml:<not-bpmn/>", Designers, "-"),
        ["POST /api/definitions/{key}/versions/{version:int}/submit"] = ("/api/definitions/whatsapp/versions/999/submit", null, ["owner.gadhong"], "-"),
        ["POST /api/definitions/{key}/versions/{version:int}/check"] = ("/api/definitions/whatsapp/versions/999/check", null, ["reviewer.franskel"], "four eyes: not the maker (DefinitionLifecycleTests)"),
        ["POST /api/definitions/{key}/versions/{version:int}/return"] = ("/api/definitions/whatsapp/versions/999/return", "{\"note\":\"x\"}", ["reviewer.franskel", "approver.rosyid"], "-"),
        ["POST /api/definitions/{key}/versions/{version:int}/approve"] = ("/api/definitions/whatsapp/versions/999/approve", null, ["approver.rosyid"], "four eyes: not the maker or checker (DefinitionLifecycleTests)"),
        ["POST /api/definitions/{key}/versions/{version:int}/publish"] = ("/api/definitions/whatsapp/versions/999/publish", "{}", ["owner.gadhong", "approver.rosyid", "admin"], "-"),
        ["POST /api/definitions/{key}/versions/{version:int}/retire"] = ("/api/definitions/whatsapp/versions/999/retire", null, ["owner.gadhong", "approver.rosyid", "admin"], "-"),
        ["GET /api/migrations"] = ("/api/migrations", null, Designers, "-"),
        ["GET /api/migrations/mapping"] = ("/api/migrations/mapping?key=whatsapp&from=1&to=1", null, Designers, "-"),
        ["GET /api/migrations/candidates"] = ("/api/migrations/candidates?key=whatsapp&version=999", null, Designers, "-"),
        ["GET /api/migrations/{id:guid}"] = ("/api/migrations/00000000-0000-0000-0000-000000000001", null, Designers, "-"),
        ["POST /api/migrations"] = ("/api/migrations", "{}", ["owner.gadhong"], "-"),
        ["POST /api/migrations/{id:guid}/dry-run"] = ("/api/migrations/00000000-0000-0000-0000-000000000001/dry-run", null, Designers, "-"),
        ["POST /api/migrations/{id:guid}/approve"] = ("/api/migrations/00000000-0000-0000-0000-000000000001/approve", null, ["approver.rosyid"], "four eyes: not the proposer (MigrationApiTests, InstanceMigrationTests)"),
        ["POST /api/migrations/{id:guid}/reject"] = ("/api/migrations/00000000-0000-0000-0000-000000000001/reject", null, ["approver.rosyid"], "four eyes: not the proposer"),
        ["POST /api/migrations/{id:guid}/apply"] = ("/api/migrations/00000000-0000-0000-0000-000000000001/apply", null, ["owner.gadhong", "approver.rosyid", "admin"], "only an approved proposal (MigrationApiTests)"),
        ["POST /api/instances"] = ("/api/instances", "{}", ["agent.sari", "agent.budi"], "only flows whose cc:startableBy names the role (LaneEnforcementTests)"),
        ["GET /api/instances"] = ("/api/instances", null, ["agent.sari", "agent.budi", .. ReadAll], "an agent lists only their own"),
        ["GET /api/instances/{instanceId:guid}"] = ("/api/instances/{sari}", null, ["agent.sari", .. ReadAll], "an agent reads only their own"),
        ["POST /api/instances/{instanceId:guid}/tasks/{taskId:long}/complete"] = ("/api/instances/{sari}/tasks/999999/complete", "{}", ["agent.sari"], "the conversation's agent, on Agent-lane tasks only (LaneEnforcementTests)"),
        ["POST /api/instances/{instanceId:guid}/messages"] = ("/api/instances/{sari}/messages", "{\"text\":\"" + new string('x', 4001) + "\"}", ["agent.sari"], "the conversation's agent"),
        ["POST /api/instances/{instanceId:guid}/cancel"] = ("/api/instances/{sari}/cancel", "{\"reason\":\"\"}", ["agent.sari", "leader.rina", "admin"], "the conversation's agent, a team leader, an admin"),
        ["GET /api/instances/{instanceId:guid}/conversation"] = ("/api/instances/{sari}/conversation", null, ["agent.sari", .. ReadAll], "an agent reads only their own"),
        ["GET /api/instances/{instanceId:guid}/journal"] = ("/api/instances/{sari}/journal", null, ["agent.sari", .. ReadAll], "an agent reads only their own"),
        ["GET /api/instances/{instanceId:guid}/journal/export"] = ("/api/instances/{sari}/journal/export", null, ["agent.sari", .. ReadAll], "an agent reads only their own"),
        ["GET /api/instances/{instanceId:guid}/replay"] = ("/api/instances/{sari}/replay", null, QualityReaders, "-"),
        ["GET /api/instances/{instanceId:guid}/replay/steps"] = ("/api/instances/{sari}/replay/steps", null, QualityReaders, "-"),
        ["GET /api/quality/histories"] = ("/api/quality/histories?limit=1", null, QualityReaders, "-"),
        ["GET /api/instances/{instanceId:guid}/scorecard"] = ("/api/instances/{sari}/scorecard", null, QualityReaders, "-"),
        ["POST /api/instances/{instanceId:guid}/reviews"] = ("/api/instances/{sari}/reviews", "{\"score\":1000}", ["qc.agus"], "-"),
        ["GET /api/quality/summary"] = ("/api/quality/summary", null, QualityReaders, "-"),
        ["POST /api/instances/{instanceId:guid}/what-if"] = ("/api/instances/{sari}/what-if", "{\"candidate\":{\"whatsapp\":999}}", WhatIfReaders, "journal, agent and input texts only for roles that read conversations (WhatIfAccessTests)"),
        ["POST /api/what-if"] = ("/api/what-if", "{\"candidate\":{\"whatsapp\":999}}", WhatIfReaders, "as the one-conversation what-if"),
        ["GET /api/definitions/{key}/versions/{version:int}/samples"] = ("/api/definitions/whatsapp/versions/1/samples", null, WhatIfReaders, "the repository's sample conversations only, nothing of a customer's"),
        ["GET /api/calendar/holidays"] = ("/api/calendar/holidays?year=2026", null, [Everyone], "-"),
        ["GET /api/greetings/preview"] = ("/api/greetings/preview?at=2026-03-02T09:00:00%2B07:00", null, [Everyone], "-"),
        ["GET /api/calendar/years"] = ("/api/calendar/years", null, [Everyone], "-"),
        ["GET /api/calendar/years/{year:int}"] = ("/api/calendar/years/2026", null, [Everyone], "-"),
        ["GET /api/calendar/years/{year:int}/file"] = ("/api/calendar/years/2026/file", null, [Everyone], "-"),
        ["PUT /api/calendar/years/{year:int}"] = ("/api/calendar/years/2099?revision=0", "{}", ["admin"], "over the revision the editor started from (HolidayYearsApiTests)"),
        ["GET /api/calendar/years/changes"] = ("/api/calendar/years/changes", null, ["admin"], "-"),
        ["GET /api/sop-document"] = ("/api/sop-document", null, [Everyone], "-"),
        ["GET /api/sop-document/pdf"] = ("/api/sop-document/pdf?asOf=9999-01-01T00:00:00Z", null, [Everyone], "-"),
        ["GET /api/tickets"] = ("/api/tickets", null, TicketReaders, "a related team: only its unit's queue (TicketApiTests)"),
        ["GET /api/tickets/{ticketId:guid}"] = ("/api/tickets/{unknown}", null, TicketReaders, "a related team: only its unit's tickets (TicketApiTests)"),
        ["GET /api/tickets/{ticketId:guid}/sla"] = ("/api/tickets/{unknown}/sla", null, TicketReaders, "a related team: only its unit's tickets"),
        ["POST /api/tickets/{ticketId:guid}/notes"] = ("/api/tickets/{unknown}/notes", "{\"text\":\"\"}", TicketWorkers, "a related team: only its unit's tickets"),
        ["POST /api/tickets/{ticketId:guid}/dispatch"] = ("/api/tickets/{unknown}/dispatch", "{\"unit\":\"\"}", ["tier2.dewi"], "-"),
        ["POST /api/tickets/{ticketId:guid}/close"] = ("/api/tickets/{unknown}/close", "{\"memo\":\"\"}", ["tier2.dewi"], "-"),
        ["POST /api/tickets/{ticketId:guid}/tasks/{taskId:long}/complete"] = ("/api/tickets/{unknown}/tasks/1/complete", "{}", TicketWorkers, "the lane's cc:performer, a related team only for its unit (LaneEnforcementTests)"),
        ["POST /api/tickets/{ticketId:guid}/sla/pause"] = ("/api/tickets/{unknown}/sla/pause", "{\"reason\":\"\"}", ["tier2.dewi"], "-"),
        ["POST /api/tickets/{ticketId:guid}/sla/resume"] = ("/api/tickets/{unknown}/sla/resume", null, ["tier2.dewi"], "-"),
        ["POST /api/tickets/{ticketId:guid}/sla/extend"] = ("/api/tickets/{unknown}/sla/extend", "{\"reason\":\"\"}", ["tier2.dewi"], "-"),
        ["GET /api/dashboard/overview"] = ("/api/dashboard/overview", null, ["leader.rina", "admin"], "-"),
        ["GET /api/dashboard/heatmap"] = ("/api/dashboard/heatmap?definitionKey=whatsapp", null, ["leader.rina", "admin"], "-"),
        ["GET /api/admin/outbox/dead-letters"] = ("/api/admin/outbox/dead-letters", null, ["admin"], "-"),
        ["POST /api/admin/outbox/{messageId:guid}/requeue"] = ("/api/admin/outbox/00000000-0000-0000-0000-000000000001/requeue", null, ["admin"], "-"),
        ["GET /api/admin/users"] = ("/api/admin/users", null, ["admin"], "-"),
        ["POST /api/admin/users"] = ("/api/admin/users", "{}", ["admin"], "-"),
        ["PUT /api/admin/users/{userName}"] = ("/api/admin/users/nobody", "{}", ["admin"], "not the last enabled admin's Admin role (UserAdministrationTests)"),
        ["POST /api/admin/users/{userName}/disable"] = ("/api/admin/users/nobody/disable", null, ["admin"], "not the last enabled admin (UserAdministrationTests)"),
        ["POST /api/admin/users/{userName}/enable"] = ("/api/admin/users/nobody/enable", null, ["admin"], "-"),
        ["POST /api/admin/users/{userName}/password"] = ("/api/admin/users/nobody/password", "{}", ["admin"], "-"),
        ["GET /api/admin/users/audit"] = ("/api/admin/users/audit", null, ["admin"], "-"),
        ["POST /api/channels/{channel}/messages"] = ("/api/channels/whatsapp/messages", "{}", [Anonymous], "the HMAC signature (ContactCenter.Channels.Tests)"),
        ["GET /api/simulator/conversations/{channel}/{customerRef}"] = ("/api/simulator/conversations/whatsapp/matrix", null, ["agent.sari"], "agents and admins, for a customer whose running conversation is not someone else's (LaneEnforcementTests)"),
        ["POST /api/simulator/{channel}/{customerRef}/messages"] = ("/api/simulator/whatsapp/matrix/messages", "{\"text\":\" \"}", ["agent.sari"], "as the simulator's conversation"),
        ["GET /api/live"] = ("/api/live", null, [Everyone], "each role only the events its REST routes show (LiveUpdatesTests)"),
        ["POST /api/instances/{instanceId:guid}/help"] = ("/api/instances/{sari}/help", "{\"to\":\"TeamLeader\",\"text\":\"matrix\"}", ["agent.sari"], "only the conversation's agent asks for help on it (HelpRequestApiTests)"),
        ["GET /api/instances/{instanceId:guid}/help"] = ("/api/instances/{sari}/help", null, ["agent.sari", .. ReadAll], "an agent reads only their own conversation's requests"),
        ["POST /api/instances/{instanceId:guid}/help/{requestId}/answer"] = ("/api/instances/{sari}/help/nope/answer", "{\"text\":\"x\"}", ["tier2.dewi", "leader.rina"], "a Team Leader any request, Tier 2 those addressed to Tier 2 (HelpRequestApiTests)"),
        ["GET /api/help"] = ("/api/help", null, ["tier2.dewi", "leader.rina", "admin"], "Tier 2 lists only the requests addressed to Tier 2 (HelpRequestApiTests)"),
        ["GET /api/notifications"] = ("/api/notifications", null, [Everyone], "each user only the notifications whose audience names their role, unit or name (NotificationApiTests)"),
        ["POST /api/notifications/{notificationId:guid}/acknowledge"] = ("/api/notifications/00000000-0000-0000-0000-000000000001/acknowledge", null, [Everyone], "only a notification meant for the user; another's is 404 (NotificationApiTests)"),
    };

    /// <summary>Every /api route the server maps, as "METHOD /pattern".</summary>
    private List<string> MappedRoutes() =>
        [.. server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} /{e.RoutePattern.RawText!.Trim('/')}"))
            .Distinct()];

    [Fact]
    public void EveryRoute_HasARowInTheTable()
    {
        var routes = MappedRoutes();

        routes.Should().HaveCountGreaterThan(50);
        routes.Where(r => !Table.ContainsKey(r)).Should().BeEmpty("every route needs its row in the authorization table (who may call it, and the object rule on top)");
        Table.Keys.Where(k => !routes.Contains(k)).Should().BeEmpty("a row for a route that no longer exists is stale");
    }

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in Table.Keys)
        {
            foreach (var user in Users)
            {
                data.Add(endpoint, user);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Endpoint_ForRole_IsAllowedOr403(string endpoint, string user)
    {
        var (path, body, allowed, _) = Table[endpoint];
        var method = endpoint.Split(' ')[0];
        var sari = await server.SharedAsync("sari-conversation", async () =>
        {
            using var agent = await server.ClientForAsync("agent.sari");
            return (await Conversation.StartAsync(agent, "whatsapp", "matrix")).Id;
        });
        using var client = await server.ClientForAsync(user);
        var url = path.Replace("{sari}", sari.ToString(), StringComparison.Ordinal).Replace("{unknown}", "00000000-0000-0000-0000-00000000abcd", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = body.StartsWith("xml:", StringComparison.Ordinal)
                ? new StringContent(body[4..], Encoding.UTF8, "application/xml")
                : new StringContent(body, Encoding.UTF8, "application/json");
        }

        // The live stream never ends: its status and headers are the answer.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? string.Empty : await response.Content.ReadAsStringAsync();
        if (allowed.Contains(Anonymous))
        {
            response.StatusCode.Should().NotBe(HttpStatusCode.Forbidden, "{0} needs no sign-in: {1}", endpoint, text);
            ((int)response.StatusCode).Should().BeLessThan(500, text);
        }
        else if (allowed.Contains(Everyone) || allowed.Contains(user))
        {
            response.StatusCode.Should().NotBe(HttpStatusCode.Forbidden, "{0} may {1}: {2}", user, endpoint, text);
            response.StatusCode.Should().NotBe(HttpStatusCode.Unauthorized);
            ((int)response.StatusCode).Should().BeLessThan(500, text);
        }
        else
        {
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, "{0} may not {1}: {2}", user, endpoint, text);
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
            var logged = url.Split('?')[0];
            server.SecurityEvents().Should().Contain(
                e => e.GetProperty("@mt").GetString()!.StartsWith("Denied", StringComparison.Ordinal)
                    && e.GetProperty("UserName").GetString() == user
                    && e.GetProperty("Path").GetString() == logged,
                "a denied action is a security event");
        }
    }

    [Fact]
    public void Matrix_CoversEveryRole()
    {
        var roles = new[] { "Agent", "Tier2", "RelatedTeam", "TeamLeader", "QualityControl", "ProcessOwner", "Reviewer", "Approver", "Admin" };
        roles.Should().BeEquivalentTo(ContactCenter.Server.Security.Roles.All);
        Users.Should().HaveCount(10);
    }
}
