using System.Net;
using System.Text;
using System.Text.Json;
using ContactCenter.Server.Identity;
using FluentAssertions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests;

/// <summary>The designer's own endpoints: validate without storing, and return a version in review to its maker.</summary>
[Collection(ServerCollection.Name)]
public sealed class DesignerApiTests(ServerFixture server)
{
    private static readonly string[] Everyone = ["agent.sari", "agent.budi", "tier2.dewi", "team.gadai", "leader.rina", "qc.agus", "owner.gadhong", "reviewer.franskel", "approver.rosyid", "admin"];

    private static string WhatsAppAs(string key) =>
        File.ReadAllText(Path.Combine(ServerFactory.WorkflowsFolder, "whatsapp.bpmn"))
            .Replace("<bpmn:process id=\"whatsapp\"", $"<bpmn:process id=\"{key}\"", StringComparison.Ordinal)
            .Replace("bpmnElement=\"whatsapp\"", $"bpmnElement=\"{key}\"", StringComparison.Ordinal);

    private static StringContent Xml(string bpmn) => new(bpmn, Encoding.UTF8, "application/xml");

    private static int LineOf(string text, string fragment) =>
        1 + text.AsSpan(0, text.IndexOf(fragment, StringComparison.Ordinal)).Count('\n');

    [Fact]
    public async Task Validate_BrokenFlow_ListsEveryProblemWithElementAndLine_AndStoresNothing()
    {
        const string key = "whatsapp-validate";
        using var owner = await server.ClientForAsync("owner.gadhong");
        var broken = WhatsAppAs(key)
            .Replace(" cc:serviceKind=\"createTicket\"", string.Empty, StringComparison.Ordinal)
            .Replace("<bpmn:exclusiveGateway id=\"Gateway_PerluTiket\"", "<bpmn:exclusiveGateway id=\"Gateway_PerluTiket\" cc:assign=\"x = = 1\"", StringComparison.Ordinal);

        var verdict = await (await owner.PostAsync("/api/definitions/validate", Xml(broken))).JsonAsync();

        verdict.GetProperty("valid").GetBoolean().Should().BeFalse();
        var problems = verdict.GetProperty("problems").EnumerateArray().ToList();
        // The parser stops at the cc:assign before the validator runs (as for a draft): one problem, on its element and line.
        problems.Should().ContainSingle(p => p.GetProperty("elementId").GetString() == "Gateway_PerluTiket")
            .Which.GetProperty("line").GetInt32().Should().Be(LineOf(broken, "<bpmn:exclusiveGateway id=\"Gateway_PerluTiket\""));

        var validatorOnly = WhatsAppAs(key).Replace(" cc:serviceKind=\"createTicket\"", string.Empty, StringComparison.Ordinal);
        var second = await (await owner.PostAsync("/api/definitions/validate", Xml(validatorOnly))).JsonAsync();
        var problem = second.GetProperty("problems").EnumerateArray().Should().ContainSingle().Subject;
        problem.GetProperty("elementId").GetString().Should().Be("Task_EskalasiTiket");
        problem.GetProperty("line").GetInt32().Should().Be(LineOf(validatorOnly, "<bpmn:serviceTask id=\"Task_EskalasiTiket\""));
        problem.GetProperty("message").GetString().Should().Contain("cc:serviceKind");
        problem.GetProperty("text").GetString().Should().Contain("Task_EskalasiTiket");
        second.GetProperty("key").GetString().Should().Be(key);

        // Nothing stored: the key is unknown to the catalogue, valid or not.
        var valid = await (await owner.PostAsync("/api/definitions/validate", Xml(WhatsAppAs(key)))).JsonAsync();
        valid.GetProperty("valid").GetBoolean().Should().BeTrue();
        valid.GetProperty("problems").GetArrayLength().Should().Be(0);
        await (await owner.GetAsync($"/api/definitions/{key}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Validate_CallToAnUnpublishedDefinition_IsTheDraftsProblemToo()
    {
        using var reviewer = await server.ClientForAsync("reviewer.franskel");
        var calling = WhatsAppAs("whatsapp-calls").Replace("calledElement=\"still-connected\"", "calledElement=\"never-published\"", StringComparison.Ordinal);

        var verdict = await (await reviewer.PostAsync("/api/definitions/validate", Xml(calling))).JsonAsync();

        verdict.GetProperty("valid").GetBoolean().Should().BeFalse();
        var problem = verdict.GetProperty("problems").EnumerateArray().Should().ContainSingle().Subject;
        problem.GetProperty("elementId").GetString().Should().Be("Activity_Menunggu1", "the first call activity naming it, as the catalogue reports");
        problem.GetProperty("message").GetString().Should().Contain("never-published");
    }

    [Fact]
    public async Task Validate_NotXmlOrEmpty_IsAProblem_AndMalformedXmlIsAVerdict()
    {
        using var approver = await server.ClientForAsync("approver.rosyid");
        await (await approver.PostAsync("/api/definitions/validate", new StringContent("{}", Encoding.UTF8, "application/json"))).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await approver.PostAsync("/api/definitions/validate", Xml("  "))).ProblemAsync(HttpStatusCode.BadRequest);

        var verdict = await (await approver.PostAsync("/api/definitions/validate", Xml("<bpmn:definitions"))).JsonAsync();
        verdict.GetProperty("valid").GetBoolean().Should().BeFalse();
        verdict.GetProperty("problems")[0].GetProperty("line").GetInt32().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task ReturnToDraft_ByReviewerOrApprover_WithANote_ClearsTheCheck_AndTheMakerCanSubmitAgain()
    {
        const string key = "whatsapp-return";
        using var owner = await server.ClientForAsync("owner.gadhong");
        using var reviewer = await server.ClientForAsync("reviewer.franskel");
        using var approver = await server.ClientForAsync("approver.rosyid");
        var draft = await (await owner.PostAsync("/api/definitions?changeNote=first%20try", Xml(WhatsAppAs(key)))).JsonAsync(HttpStatusCode.Created);
        var url = $"/api/definitions/{key}/versions/{draft.GetProperty("version").GetInt32()}";

        // Only a version in review goes back: a draft is 409.
        await (await reviewer.PostAsync($"{url}/return", Json(new { note = "too early" }))).ProblemAsync(HttpStatusCode.Conflict);

        await owner.PostJsonAsync($"{url}/submit", new { });
        await reviewer.PostJsonAsync($"{url}/check", new { });

        // Without a note it is 400 and nothing changes.
        var missing = await (await approver.PostAsync($"{url}/return", Json(new { note = "  " }))).ProblemAsync(HttpStatusCode.BadRequest);
        missing.GetProperty("errors").TryGetProperty("note", out _).Should().BeTrue();
        (await owner.GetJsonAsync(url)).GetProperty("checker").GetString().Should().Be("reviewer.franskel");

        var returned = await approver.PostJsonAsync($"{url}/return", new { note = "Langkah 6: skrip salam penutup kurang lengkap" });
        returned.GetProperty("status").GetString().Should().Be("Draft");
        returned.GetProperty("checker").ValueKind.Should().Be(JsonValueKind.Null);
        returned.GetProperty("changeNote").GetString().Should().Be("first try\n[approver.rosyid] Langkah 6: skrip salam penutup kurang lengkap");

        // The maker submits again; the reviewer sends it back too.
        await owner.PostJsonAsync($"{url}/submit", new { });
        var again = await reviewer.PostJsonAsync($"{url}/return", new { note = "lane salah" });
        again.GetProperty("status").GetString().Should().Be("Draft");
        again.GetProperty("changeNote").GetString().Should().EndWith("[reviewer.franskel] lane salah");

        // Approved is past review: 409. Unknown version: 404.
        await owner.PostJsonAsync($"{url}/submit", new { });
        await reviewer.PostJsonAsync($"{url}/check", new { });
        await approver.PostJsonAsync($"{url}/approve", new { });
        await (await reviewer.PostAsync($"{url}/return", Json(new { note = "late" }))).ProblemAsync(HttpStatusCode.Conflict);
        await (await reviewer.PostAsync($"/api/definitions/{key}/versions/999/return", Json(new { note = "x" }))).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DesignerEndpoints_Roles()
    {
        foreach (var user in Everyone)
        {
            using var client = await server.ClientForAsync(user);
            var validate = await client.PostAsync("/api/definitions/validate", Xml("<not-bpmn/>"));
            var mayValidate = user is "owner.gadhong" or "reviewer.franskel" or "approver.rosyid" or "admin";
            validate.StatusCode.Should().Be(mayValidate ? HttpStatusCode.OK : HttpStatusCode.Forbidden, "{0} validating", user);

            // An unknown version: 404 for the allowed roles, 403 before that for everyone else.
            var back = await client.PostAsync("/api/definitions/whatsapp/versions/999/return", Json(new { note = "x" }));
            var mayReturn = user is "reviewer.franskel" or "approver.rosyid";
            back.StatusCode.Should().Be(mayReturn ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden, "{0} returning", user);
        }

        (await server.Anonymous().PostAsync("/api/definitions/validate", Xml("<not-bpmn/>"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ReturnToDraft_ByTheMaker_Is403()
    {
        const string key = "whatsapp-return-self";
        const string makerReviewer = "owner.reviewer";
        var password = IdentityStartup.NewPassword();
        using (var scope = server.Services.CreateScope())
        {
            await IdentityStartup.CreateAsync(scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>(), new DemoUser(makerReviewer, "Owner Reviewer", ["ProcessOwner", "Reviewer"]), password);
        }

        using var self = await server.ClientForAsync(makerReviewer, password);
        var draft = await (await self.PostAsync("/api/definitions", Xml(WhatsAppAs(key)))).JsonAsync(HttpStatusCode.Created);
        var url = $"/api/definitions/{key}/versions/{draft.GetProperty("version").GetInt32()}";
        await self.PostJsonAsync($"{url}/submit", new { });

        var problem = await (await self.PostAsync($"{url}/return", Json(new { note = "mine" }))).ProblemAsync(HttpStatusCode.Forbidden);
        problem.GetProperty("detail").GetString().Should().Contain("made this version");
        (await self.GetJsonAsync(url)).GetProperty("status").GetString().Should().Be("InReview");
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
