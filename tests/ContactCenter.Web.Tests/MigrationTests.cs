using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// The designer's migration screens in chromium: a process owner proposes moving a running
/// instance (the derived mapping completed by hand), runs the dry run, cannot approve their own
/// proposal; an approver approves and applies, and the instance runs on the new version.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class MigrationTests(WebAppFixture app)
{
    // A flow of its own, so the shared server's conversations keep their versions.
    private const string Key = "migrasi-web";

    private static string Flow(string taskId, string taskName) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cc="https://contactcenter.pegadaian.co.id/schema/bpmn/1.0" id="Defs_{Key}">
          <bpmn:process id="{Key}" name="Uji migrasi web" isExecutable="true">
            <bpmn:laneSet id="LaneSet_1"><bpmn:lane id="Lane_Agent" name="Agent" cc:performer="Agent"><bpmn:flowNodeRef>{taskId}</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:startEvent id="Event_Start" />
            <bpmn:sequenceFlow id="Flow_1" sourceRef="Event_Start" targetRef="{taskId}" />
            <bpmn:userTask id="{taskId}" name="{taskName}" />
            <bpmn:sequenceFlow id="Flow_2" sourceRef="{taskId}" targetRef="Event_End" />
            <bpmn:endEvent id="Event_End" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private async Task PublishAsync(string bpmn)
    {
        var catalog = app.Services.GetRequiredService<DefinitionCatalog>();
        var draft = await catalog.CreateDraftAsync(bpmn, "maker.x");
        await catalog.SubmitAsync(draft.Key, draft.Version, "maker.x");
        await catalog.CheckAsync(draft.Key, draft.Version, "checker.x");
        await catalog.ApproveAsync(draft.Key, draft.Version, "approver.x");
        await catalog.PublishAsync(draft.Key, draft.Version, DateTimeOffset.UtcNow.AddSeconds(-1));
    }

    [Fact]
    public async Task ProcessOwner_ProposesAndDryRuns_Approver_ApprovesAndApplies()
    {
        await PublishAsync(Flow("Task_Lama", "Langkah lama"));
        var runtime = app.Services.GetRequiredService<InstanceRuntime>();
        var instance = await runtime.StartAsync(new StartRequest { DefinitionKey = Key, Channel = "live-chat", Agent = "agent.sari", Actor = "agent.sari" });
        await PublishAsync(Flow("Activity_0web1", "Langkah baru"));

        var owner = await app.NewPageAsync();
        owner.Dialog += (_, dialog) => dialog.AcceptAsync();
        await owner.SignInAsync(app, "owner.gadhong");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Migrasi instans" }).ClickAsync();
        await owner.GetByTestId("migration-key").SelectOptionAsync(Key);
        await owner.GetByTestId("migration-from").SelectOptionAsync("1");
        await owner.GetByTestId("migration-to").SelectOptionAsync("2");
        await owner.GetByTestId("load-mapping").ClickAsync();

        // The renamed task has no counterpart by id or purpose: the owner maps it by hand.
        var task = owner.Locator("[data-testid=map][data-element=Task_Lama]");
        await Expect(task).ToHaveValueAsync(string.Empty);
        await task.SelectOptionAsync("Activity_0web1");
        await Expect(owner.Locator("[data-testid=map][data-element=Event_Start]")).ToHaveValueAsync("Event_Start");
        await Expect(owner.GetByTestId("candidate")).ToHaveCountAsync(1);
        await Expect(owner.GetByTestId("candidate")).ToHaveValueAsync(instance.Id.ToString());
        await owner.GetByTestId("migration-note").FillAsync("Nama langkah diperbarui");
        await app.ScreenshotAsync(owner, "60-migration-propose");
        await owner.GetByTestId("propose").ClickAsync();

        await Expect(owner.GetByTestId("migration-status")).ToHaveTextAsync("Diusulkan");
        await Expect(owner.GetByTestId("approve")).ToHaveCountAsync(0);
        await owner.GetByTestId("dry-run").ClickAsync();
        var verdict = owner.GetByTestId("dry-run-outcomes").GetByTestId("outcome-verdict");
        await Expect(verdict).ToHaveTextAsync("Bisa pindah");
        await app.ScreenshotAsync(owner, "61-migration-dry-run");
        var proposal = owner.Url;

        var approver = await app.NewPageAsync();
        approver.Dialog += (_, dialog) => dialog.AcceptAsync();
        await approver.SignInAsync(app, "approver.rosyid");
        await approver.GotoAsync(proposal);
        await approver.GetByTestId("approve").ClickAsync();
        await Expect(approver.GetByTestId("migration-status")).ToHaveTextAsync("Disetujui");
        await Expect(approver.GetByTestId("migration-decided-by")).ToContainTextAsync("approver.rosyid");
        await approver.GetByTestId("apply").ClickAsync();
        await Expect(approver.GetByTestId("migration-status")).ToHaveTextAsync("Diterapkan");
        await Expect(approver.GetByTestId("result-outcomes").GetByTestId("outcome-verdict")).ToHaveTextAsync("Dipindahkan");
        await app.ScreenshotAsync(approver, "62-migration-applied");

        (await runtime.GetStateAsync(instance.Id)).WorkItems.Should().ContainSingle().Which.ElementId.Should().Be("Activity_0web1");
        (await runtime.ReadJournalAsync(instance.Id)).OfType<InstanceMigrated>().Should().ContainSingle().Which.Actor.Should().Be("approver.rosyid");

        await owner.Context.CloseAsync();
        await approver.Context.CloseAsync();
    }
}
