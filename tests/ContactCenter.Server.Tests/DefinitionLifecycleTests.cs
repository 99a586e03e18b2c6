using System.Net;
using System.Net.Http.Json;
using System.Text;
using ContactCenter.Server.Identity;
using FluentAssertions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class DefinitionLifecycleTests(ServerFixture server)
{
    private static string WhatsAppAs(string key) =>
        File.ReadAllText(Path.Combine(ServerFactory.WorkflowsFolder, "whatsapp.bpmn"))
            .Replace("<bpmn:process id=\"whatsapp\"", $"<bpmn:process id=\"{key}\"", StringComparison.Ordinal)
            .Replace("bpmnElement=\"whatsapp\"", $"bpmnElement=\"{key}\"", StringComparison.Ordinal);

    private static StringContent Xml(string bpmn) => new(bpmn, Encoding.UTF8, "application/xml");

    [Fact]
    public async Task Draft_SubmitCheckApprovePublish_ByThreePeople_TakesEffect_AndDiffShowsTheChange()
    {
        const string key = "whatsapp-trial";
        using var owner = await server.ClientForAsync("owner.gadhong");
        using var reviewer = await server.ClientForAsync("reviewer.franskel");
        using var approver = await server.ClientForAsync("approver.rosyid");

        var v1 = await (await owner.PostAsync("/api/definitions?changeNote=trial%20copy", Xml(WhatsAppAs(key)))).JsonAsync(HttpStatusCode.Created);
        v1.GetProperty("status").GetString().Should().Be("Draft");
        v1.GetProperty("maker").GetString().Should().Be("owner.gadhong");
        v1.GetProperty("changeNote").GetString().Should().Be("trial copy");
        var version = v1.GetProperty("version").GetInt32();
        var url = $"/api/definitions/{key}/versions/{version}";

        // Approving before review is the wrong status: 409.
        await (await approver.PostAsync($"{url}/approve", null)).ProblemAsync(HttpStatusCode.Conflict);

        (await owner.PostJsonAsync($"{url}/submit", new { })).GetProperty("status").GetString().Should().Be("InReview");
        (await reviewer.PostJsonAsync($"{url}/check", new { })).GetProperty("checker").GetString().Should().Be("reviewer.franskel");
        var approved = await approver.PostJsonAsync($"{url}/approve", new { });
        approved.GetProperty("status").GetString().Should().Be("Approved");
        approved.GetProperty("approver").GetString().Should().Be("approver.rosyid");

        var effective = DateTimeOffset.UtcNow.AddSeconds(-1);
        var published = await owner.PostJsonAsync($"{url}/publish", new { effectiveFrom = effective });
        published.GetProperty("status").GetString().Should().Be("Published");
        published.GetProperty("inEffect").GetBoolean().Should().BeTrue();

        var summary = await owner.GetJsonAsync($"/api/definitions/{key}");
        summary.GetProperty("versionInEffect").GetInt32().Should().Be(version);
        var bpmn = await owner.GetAsync($"{url}/bpmn");
        bpmn.Content.Headers.ContentType!.MediaType.Should().Be("application/xml");
        (await bpmn.Content.ReadAsStringAsync()).Should().Be(WhatsAppAs(key));

        // A second version with one renamed task, one cc: attribute changed, and one new flow-less task.
        var changed = WhatsAppAs(key)
            .Replace("name=\"Verifikasi data nasabah\"", "name=\"Verifikasi data nasabah (CIF)\"", StringComparison.Ordinal)
            .Replace("cc:step=\"6\"", "cc:step=\"6a\"", StringComparison.Ordinal);
        var v2 = await (await owner.PostAsync("/api/definitions", Xml(changed))).JsonAsync(HttpStatusCode.Created);
        var diff = await owner.GetJsonAsync($"/api/definitions/{key}/diff?from={version}&to={v2.GetProperty("version").GetInt32()}");
        var changes = diff.GetProperty("elements").GetProperty("changed").EnumerateArray().ToList();
        changes.Should().Contain(c => c.GetProperty("id").GetString() == "Task_Verifikasi"
            && c.GetProperty("changes").EnumerateArray().Any(x => x.GetProperty("name").GetString() == "name" && x.GetProperty("to").GetString() == "Verifikasi data nasabah (CIF)"));
        changes.Should().Contain(c => c.GetProperty("id").GetString() == "Task_SalamPenutup"
            && c.GetProperty("changes").EnumerateArray().Any(x => x.GetProperty("name").GetString() == "cc:step" && x.GetProperty("from").GetString() == "6" && x.GetProperty("to").GetString() == "6a"));
        diff.GetProperty("elements").GetProperty("added").GetArrayLength().Should().Be(0);
        diff.GetProperty("flows").GetProperty("changed").GetArrayLength().Should().Be(0);
        diff.GetProperty("layoutChanged").GetBoolean().Should().BeFalse();

        // Retire the published one: wrong status a second time.
        (await owner.PostJsonAsync($"{url}/retire", new { })).GetProperty("status").GetString().Should().Be("Retired");
        await (await owner.PostAsync($"{url}/retire", null)).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Approve_OwnDraft_Is403AndASecurityEvent()
    {
        const string key = "whatsapp-self";
        const string makerApprover = "owner.approver";
        var password = IdentityStartup.NewPassword();
        using (var scope = server.Services.CreateScope())
        {
            await IdentityStartup.CreateAsync(scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>(), new DemoUser(makerApprover, "Owner Approver", ["ProcessOwner", "Approver"]), password);
        }

        using var self = await server.ClientForAsync(makerApprover, password);
        using var reviewer = await server.ClientForAsync("reviewer.franskel");
        var draft = await (await self.PostAsync("/api/definitions", Xml(WhatsAppAs(key)))).JsonAsync(HttpStatusCode.Created);
        var url = $"/api/definitions/{key}/versions/{draft.GetProperty("version").GetInt32()}";
        await self.PostJsonAsync($"{url}/submit", new { });

        // The maker may not submit someone else's draft: only the maker submits.
        using var otherOwner = await server.ClientForAsync("owner.gadhong");
        var other = await (await otherOwner.PostAsync("/api/definitions", Xml(WhatsAppAs("whatsapp-other")))).JsonAsync(HttpStatusCode.Created);
        await (await self.PostAsync($"/api/definitions/whatsapp-other/versions/{other.GetProperty("version").GetInt32()}/submit", null)).ProblemAsync(HttpStatusCode.Forbidden);

        await reviewer.PostJsonAsync($"{url}/check", new { });
        var problem = await (await self.PostAsync($"{url}/approve", null)).ProblemAsync(HttpStatusCode.Forbidden);
        problem.GetProperty("detail").GetString().Should().Contain("maker or checker");
        server.SecurityEvents()
            .Where(e => e.TryGetProperty("Path", out var path) && path.GetString() == $"{url}/approve")
            .Should().Contain(e => e.GetProperty("UserName").GetString() == makerApprover
                && e.GetProperty("Reason").GetString()!.Contains("maker or checker", StringComparison.Ordinal));
        (await self.GetJsonAsync(url)).GetProperty("status").GetString().Should().Be("InReview", "a refused approval changes nothing");
    }

    [Fact]
    public async Task Draft_InvalidBpmn_Is422WithEveryProblemsElementAndLine()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        var broken = WhatsAppAs("whatsapp-broken")
            .Replace("calledElement=\"still-connected\"", "calledElement=\"still-connectd\"", StringComparison.Ordinal)
            .Replace("sourceRef=\"Task_Verifikasi\"", "sourceRef=\"Task_Nowhere\"", StringComparison.Ordinal);
        var problem = await (await owner.PostAsync("/api/definitions", Xml(broken))).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var problems = problem.GetProperty("problems").EnumerateArray().ToList();
        problems.Should().NotBeEmpty();
        problems.Should().OnlyContain(p => p.GetProperty("line").GetInt32() > 0);
        problems.Should().Contain(p => p.GetProperty("message").GetString()!.Contains("Task_Nowhere", StringComparison.Ordinal));
        problem.GetProperty("errors").EnumerateObject().Should().NotBeEmpty();

        var notXml = await (await owner.PostAsync("/api/definitions", Xml("<bpmn:definitions"))).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        notXml.GetProperty("problems").GetArrayLength().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Draft_WrongMediaTypeOrTooLarge_IsAProblem()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        await (await owner.PostAsJsonAsync("/api/definitions", new { bpmn = "x" })).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        var huge = new string(' ', (4 * 1024 * 1024) + 1);
        await (await owner.PostAsync("/api/definitions", Xml(huge))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task UnknownDefinition_Is404()
    {
        using var client = await server.ClientForAsync("qc.agus");
        await (await client.GetAsync("/api/definitions/no-such-flow")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/definitions/whatsapp/versions/999")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/definitions/whatsapp/versions/999/bpmn")).ProblemAsync(HttpStatusCode.NotFound);
        var missing = await (await client.GetAsync("/api/definitions/whatsapp/diff?from=1")).ProblemAsync(HttpStatusCode.BadRequest);
        missing.GetProperty("errors").TryGetProperty("to", out _).Should().BeTrue();
    }
}
