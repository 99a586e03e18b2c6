using System.Net;
using System.Net.Http.Json;
using System.Text;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using ContactCenter.Server.Identity;
using FluentAssertions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests;

/// <summary>
/// The migration API over the real server: a process owner proposes, the mapping is refused when
/// it names a missing element or one of another kind, a dry run, four eyes on approval (a 403 and a
/// security event), apply only once approved, and the move in the instance's journal.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MigrationApiTests(ServerFixture server)
{
    private const string Key = "migrasi-uji";

    private static string Flow(string taskName) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cc="https://contactcenter.pegadaian.co.id/schema/bpmn/1.0" id="Defs_{Key}">
          <bpmn:process id="{Key}" name="Uji migrasi" isExecutable="true">
            <bpmn:laneSet id="LaneSet_1"><bpmn:lane id="Lane_Agent" name="Agent" cc:performer="Agent"><bpmn:flowNodeRef>Task_A</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:startEvent id="Event_Start" />
            <bpmn:sequenceFlow id="Flow_1" sourceRef="Event_Start" targetRef="Task_A" />
            <bpmn:userTask id="Task_A" name="{taskName}" />
            <bpmn:boundaryEvent id="Event_Reminder" attachedToRef="Task_A" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_A" targetRef="Event_End" />
            <bpmn:endEvent id="Event_End" />
            <bpmn:sequenceFlow id="Flow_3" sourceRef="Event_Reminder" targetRef="Event_Reminded" />
            <bpmn:endEvent id="Event_Reminded" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private static async Task<int> PublishAsync(string bpmn, HttpClient owner, HttpClient reviewer, HttpClient approver)
    {
        var draft = await (await owner.PostAsync("/api/definitions", new StringContent(bpmn, Encoding.UTF8, "application/xml"))).JsonAsync(HttpStatusCode.Created);
        var version = draft.GetProperty("version").GetInt32();
        var url = $"/api/definitions/{Key}/versions/{version}";
        await owner.PostJsonAsync($"{url}/submit", new { });
        await reviewer.PostJsonAsync($"{url}/check", new { });
        await approver.PostJsonAsync($"{url}/approve", new { });
        await owner.PostJsonAsync($"{url}/publish", new { effectiveFrom = DateTimeOffset.UtcNow.AddSeconds(-1) });
        return version;
    }

    [Fact]
    public async Task Propose_DryRun_Approve_Apply_WithFourEyes_AndBadMappingsRefusedNamingTheElement()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        using var reviewer = await server.ClientForAsync("reviewer.franskel");
        using var approver = await server.ClientForAsync("approver.rosyid");
        var v1 = await PublishAsync(Flow("Langkah lama"), owner, reviewer, approver);
        var runtime = server.Services.GetRequiredService<InstanceRuntime>();
        var instance = await runtime.StartAsync(new StartRequest { DefinitionKey = Key, Channel = "live-chat", Agent = "agent.sari", Actor = "agent.sari" });
        var v2 = await PublishAsync(Flow("Langkah baru"), owner, reviewer, approver);

        var candidates = await owner.GetJsonAsync($"/api/migrations/candidates?key={Key}&version={v1}");
        candidates.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).Should().Contain(instance.Id);
        var mapping = await owner.GetJsonAsync($"/api/migrations/mapping?key={Key}&from={v1}&to={v2}");
        mapping.GetProperty("mapping").GetProperty("Task_A").GetString().Should().Be("Task_A");
        mapping.GetProperty("matchedBy").GetProperty("Event_Reminder").GetString().Should().Be("id");

        // Bad input: a target that does not exist, one of another kind.
        var missing = await (await owner.PostAsJsonAsync("/api/migrations", new { definitionKey = Key, fromVersion = v1, toVersion = v2, instanceIds = new[] { instance.Id }, mapping = new Dictionary<string, string> { ["Task_A"] = "Task_Tidak_Ada", ["Event_Reminder"] = "Event_End" } }))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        missing.GetProperty("errors").GetProperty("Task_A")[0].GetString().Should().Contain("'Task_Tidak_Ada', which is not an element of the new version");
        missing.GetProperty("errors").GetProperty("Event_Reminder")[0].GetString().Should().Contain("another kind (timer boundaryEvent to endEvent)");
        await (await owner.PostAsJsonAsync("/api/migrations", new { definitionKey = Key, fromVersion = v1 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await approver.PostAsJsonAsync("/api/migrations", new { definitionKey = Key, fromVersion = v1, toVersion = v2, instanceIds = new[] { instance.Id } })).ProblemAsync(HttpStatusCode.Forbidden);

        var proposed = await (await owner.PostAsJsonAsync("/api/migrations", new { definitionKey = Key, fromVersion = v1, toVersion = v2, instanceIds = new[] { instance.Id }, note = "Nama langkah diperbarui" })).JsonAsync(HttpStatusCode.Created);
        var url = $"/api/migrations/{proposed.GetProperty("id").GetGuid()}";
        proposed.GetProperty("status").GetString().Should().Be("Proposed");
        proposed.GetProperty("proposedBy").GetString().Should().Be("owner.gadhong");

        (await (await approver.PostAsync($"{url}/approve", null)).ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString().Should().Contain("no dry run");
        await (await owner.PostAsync($"{url}/approve", null)).ProblemAsync(HttpStatusCode.Forbidden);
        var dryRun = await owner.PostJsonAsync($"{url}/dry-run", new { });
        dryRun.GetProperty("dryRun")[0].GetProperty("canMove").GetBoolean().Should().BeTrue();
        dryRun.GetProperty("dryRunBy").GetString().Should().Be("owner.gadhong");
        (await (await owner.PostAsync($"{url}/apply", null)).ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString().Should().Contain("not approved yet");

        (await approver.PostJsonAsync($"{url}/approve", new { })).GetProperty("decidedBy").GetString().Should().Be("approver.rosyid");
        var applied = await approver.PostJsonAsync($"{url}/apply", new { });
        applied.GetProperty("status").GetString().Should().Be("Applied");
        applied.GetProperty("appliedBy").GetString().Should().Be("approver.rosyid");
        applied.GetProperty("result")[0].GetProperty("moved").GetBoolean().Should().BeTrue();
        (await runtime.GetAsync(instance.Id)).DefinitionVersion.Should().Be(v2);
        (await runtime.GetStateAsync(instance.Id)).WorkItems.Should().ContainSingle().Which.Name.Should().Be("Langkah baru");
        (await runtime.ReadJournalAsync(instance.Id)).OfType<InstanceMigrated>().Should().ContainSingle().Which.Actor.Should().Be("approver.rosyid");
        await (await approver.PostAsync($"{url}/apply", null)).ProblemAsync(HttpStatusCode.Conflict);

        // QC's exact replay holds across the move, and the step-by-step replay reads the moved history.
        using var qc = await server.ClientForAsync("qc.agus");
        (await qc.GetJsonAsync($"/api/instances/{instance.Id}/replay")).GetProperty("matches").GetBoolean().Should().BeTrue();
        await qc.GetJsonAsync($"/api/instances/{instance.Id}/replay/steps");
        (await owner.GetJsonAsync($"/api/migrations?key={Key}")).EnumerateArray().Should().Contain(m => m.GetProperty("id").GetGuid() == proposed.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Approve_OwnProposal_Is403AndASecurityEvent()
    {
        const string ownerApprover = "owner.approver.migrasi";
        var password = IdentityStartup.NewPassword();
        using (var scope = server.Services.CreateScope())
        {
            await IdentityStartup.CreateAsync(scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>(), new DemoUser(ownerApprover, "Owner Approver", ["ProcessOwner", "Approver"]), password);
        }

        using var self = await server.ClientForAsync(ownerApprover, password);
        var runtime = server.Services.GetRequiredService<InstanceRuntime>();
        var chat = await runtime.StartAsync(new StartRequest { DefinitionKey = "live-chat", Channel = "live-chat", Agent = "agent.sari" });
        var proposed = await (await self.PostAsJsonAsync("/api/migrations", new { definitionKey = "live-chat", fromVersion = 1, toVersion = 1, instanceIds = new[] { chat.Id } }))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        proposed.GetProperty("detail").GetString().Should().Contain("both 1");

        // Without a second published version of a shared flow, the four-eyes rule is checked on a proposal of this user's.
        var migrations = server.Services.GetRequiredService<InstanceMigrations>();
        var bpmn = File.ReadAllText(Path.Combine(ServerFactory.WorkflowsFolder, "whatsapp.bpmn"))
            .Replace("<bpmn:process id=\"whatsapp\"", "<bpmn:process id=\"whatsapp-migrasi\"", StringComparison.Ordinal)
            .Replace("bpmnElement=\"whatsapp\"", "bpmnElement=\"whatsapp-migrasi\"", StringComparison.Ordinal);
        var catalog = server.Services.GetRequiredService<Runtime.Definitions.DefinitionCatalog>();
        foreach (var name in new[] { "Verifikasi data nasabah", "Verifikasi data nasabah (CIF)" })
        {
            var draft = await catalog.CreateDraftAsync(bpmn.Replace("name=\"Verifikasi data nasabah\"", $"name=\"{name}\"", StringComparison.Ordinal), "maker.x");
            await catalog.SubmitAsync(draft.Key, draft.Version, "maker.x");
            await catalog.CheckAsync(draft.Key, draft.Version, "checker.x");
            await catalog.ApproveAsync(draft.Key, draft.Version, "approver.x");
            await catalog.PublishAsync(draft.Key, draft.Version, DateTimeOffset.UtcNow.AddSeconds(-1));
        }

        var wa = await runtime.StartAsync(new StartRequest { DefinitionKey = "whatsapp-migrasi", Channel = "whatsapp", Agent = "agent.sari" });
        (await runtime.GetAsync(wa.Id)).DefinitionVersion.Should().Be(2);
        var mine = await (await self.PostAsJsonAsync("/api/migrations", new { definitionKey = "whatsapp-migrasi", fromVersion = 2, toVersion = 1, instanceIds = new[] { wa.Id } })).JsonAsync(HttpStatusCode.Created);
        var url = $"/api/migrations/{mine.GetProperty("id").GetGuid()}";
        await self.PostJsonAsync($"{url}/dry-run", new { });

        var problem = await (await self.PostAsync($"{url}/approve", null)).ProblemAsync(HttpStatusCode.Forbidden);

        problem.GetProperty("detail").GetString().Should().Contain("proposed this migration");
        server.SecurityEvents()
            .Where(e => e.TryGetProperty("Path", out var path) && path.GetString() == $"{url}/approve")
            .Should().Contain(e => e.GetProperty("UserName").GetString() == ownerApprover);
        (await migrations.GetAsync(mine.GetProperty("id").GetGuid())).Record.Status.Should().Be(Runtime.Storage.MigrationStatus.Proposed, "a refused approval changes nothing");
    }
}
