using System.Net;
using System.Text;
using FluentAssertions;

namespace ContactCenter.Server.Tests;

/// <summary>
/// Every role against every endpoint: allowed (any answer but 401/403) or 403 with problem details
/// and a security event. Allowed calls are made harmless on purpose (unknown versions, invalid
/// bodies), so the matrix changes no state.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RoleMatrixTests(ServerFixture server)
{
    public static readonly string[] Users = ["agent.sari", "agent.budi", "tier2.dewi", "team.gadai", "leader.rina", "qc.agus", "owner.gadhong", "reviewer.franskel", "approver.rosyid", "admin"];

    private const string Everyone = "*";

    /// <summary>Endpoint name → method, path ({sari} is a conversation of agent.sari), body, and who is allowed.</summary>
    private static readonly Dictionary<string, (string Method, string Path, string? Body, string[] Allowed)> Endpoints = new(StringComparer.Ordinal)
    {
        ["me"] = ("GET", "/api/auth/me", null, [Everyone]),
        ["definitions.list"] = ("GET", "/api/definitions", null, [Everyone]),
        ["definitions.key"] = ("GET", "/api/definitions/whatsapp", null, [Everyone]),
        ["definitions.version"] = ("GET", "/api/definitions/whatsapp/versions/1", null, [Everyone]),
        ["definitions.bpmn"] = ("GET", "/api/definitions/whatsapp/versions/1/bpmn", null, [Everyone]),
        ["definitions.diff"] = ("GET", "/api/definitions/whatsapp/diff?from=1&to=1", null, [Everyone]),
        ["definitions.draft"] = ("POST", "/api/definitions", "xml:<not-bpmn/>", ["owner.gadhong"]),
        ["definitions.submit"] = ("POST", "/api/definitions/whatsapp/versions/999/submit", null, ["owner.gadhong"]),
        ["definitions.check"] = ("POST", "/api/definitions/whatsapp/versions/999/check", null, ["reviewer.franskel"]),
        ["definitions.approve"] = ("POST", "/api/definitions/whatsapp/versions/999/approve", null, ["approver.rosyid"]),
        ["definitions.publish"] = ("POST", "/api/definitions/whatsapp/versions/999/publish", "{}", ["owner.gadhong", "approver.rosyid", "admin"]),
        ["definitions.retire"] = ("POST", "/api/definitions/whatsapp/versions/999/retire", null, ["owner.gadhong", "approver.rosyid", "admin"]),
        ["instances.start"] = ("POST", "/api/instances", "{}", ["agent.sari", "agent.budi"]),
        ["instances.list"] = ("GET", "/api/instances", null, ["agent.sari", "agent.budi", "tier2.dewi", "leader.rina", "qc.agus", "admin"]),
        ["instances.get"] = ("GET", "/api/instances/{sari}", null, ["agent.sari", "tier2.dewi", "leader.rina", "qc.agus", "admin"]),
        ["instances.complete"] = ("POST", "/api/instances/{sari}/tasks/999999/complete", "{}", ["agent.sari"]),
        ["instances.message"] = ("POST", "/api/instances/{sari}/messages", "{\"text\":\"" + new string('x', 4001) + "\"}", ["agent.sari"]),
        ["instances.cancel"] = ("POST", "/api/instances/{sari}/cancel", "{\"reason\":\"\"}", ["agent.sari", "leader.rina", "admin"]),
        ["journal.read"] = ("GET", "/api/instances/{sari}/journal", null, ["agent.sari", "tier2.dewi", "leader.rina", "qc.agus", "admin"]),
        ["journal.export"] = ("GET", "/api/instances/{sari}/journal/export", null, ["agent.sari", "tier2.dewi", "leader.rina", "qc.agus", "admin"]),
        ["calendar.holidays"] = ("GET", "/api/calendar/holidays?year=2026", null, [Everyone]),
        ["greetings.preview"] = ("GET", "/api/greetings/preview?at=2026-03-02T09:00:00%2B07:00", null, [Everyone]),
        ["definitions.validate"] = ("POST", "/api/definitions/validate", "xml:<not-bpmn/>", ["owner.gadhong", "reviewer.franskel", "approver.rosyid", "admin"]),
        ["definitions.return"] = ("POST", "/api/definitions/whatsapp/versions/999/return", "{\"note\":\"x\"}", ["reviewer.franskel", "approver.rosyid"]),
        ["replay.verify"] = ("GET", "/api/instances/{sari}/replay", null, ["leader.rina", "qc.agus", "admin"]),
        ["replay.steps"] = ("GET", "/api/instances/{sari}/replay/steps", null, ["leader.rina", "qc.agus", "admin"]),
        ["quality.histories"] = ("GET", "/api/quality/histories?limit=1", null, ["leader.rina", "qc.agus", "admin"]),
        ["dashboard.overview"] = ("GET", "/api/dashboard/overview", null, ["leader.rina", "admin"]),
        ["dashboard.heatmap"] = ("GET", "/api/dashboard/heatmap?definitionKey=whatsapp", null, ["leader.rina", "admin"]),
        ["outbox.deadLetters"] = ("GET", "/api/admin/outbox/dead-letters", null, ["admin"]),
        ["outbox.requeue"] = ("POST", "/api/admin/outbox/00000000-0000-0000-0000-000000000001/requeue", null, ["admin"]),
    };

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in Endpoints.Keys)
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
        var (method, path, body, allowed) = Endpoints[endpoint];
        var sari = await server.SharedAsync("sari-conversation", async () =>
        {
            using var agent = await server.ClientForAsync("agent.sari");
            return (await Conversation.StartAsync(agent, "whatsapp", "matrix")).Id;
        });
        using var client = await server.ClientForAsync(user);
        var url = path.Replace("{sari}", sari.ToString(), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = body.StartsWith("xml:", StringComparison.Ordinal)
                ? new StringContent(body[4..], Encoding.UTF8, "application/xml")
                : new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (allowed.Contains(Everyone) || allowed.Contains(user))
        {
            response.StatusCode.Should().NotBe(HttpStatusCode.Forbidden, "{0} may {1}: {2}", user, endpoint, text);
            response.StatusCode.Should().NotBe(HttpStatusCode.Unauthorized);
            ((int)response.StatusCode).Should().BeLessThan(500, text);
        }
        else
        {
            await response.ProblemAsync(HttpStatusCode.Forbidden);
            server.SecurityEvents().Should().Contain(
                e => e.GetProperty("@mt").GetString()!.StartsWith("Denied", StringComparison.Ordinal)
                    && e.GetProperty("UserName").GetString() == user
                    && e.GetProperty("Path").GetString() == url.Split('?')[0],
                "a denied action is a security event");
        }
    }

    [Fact]
    public void Matrix_CoversEveryRole()
    {
        var roles = new[] { "Agent", "Tier2", "RelatedTeam", "TeamLeader", "QualityControl", "ProcessOwner", "Reviewer", "Approver", "Admin" };
        roles.Should().BeEquivalentTo(Security.Roles.All);
        Users.Should().HaveCount(10);
    }
}
