using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>What-if in the designer: a draft shows, before anyone checks it, how the real conversations of the last days would go on it.</summary>
[Collection(WebAppCollection.Name)]
public sealed class WhatIfDesignerTests(WebAppFixture app)
{
    // A flow of its own, so the shared server's conversations keep their versions.
    private const string Key = "whatif-web";

    private static string Flow(bool withFollowUp) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cc="https://contactcenter.pegadaian.co.id/schema/bpmn/1.0" id="Defs_{Key}">
          <bpmn:process id="{Key}" name="Uji what-if" isExecutable="true">
            <bpmn:laneSet id="LaneSet_1"><bpmn:lane id="Lane_Agent" name="Agent" cc:performer="Agent"><bpmn:flowNodeRef>Task_A</bpmn:flowNodeRef><bpmn:flowNodeRef>Task_B</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:startEvent id="Event_Start" />
            <bpmn:sequenceFlow id="Flow_1" sourceRef="Event_Start" targetRef="Task_A" />
            <bpmn:userTask id="Task_A" name="Langkah" />
            <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_A" targetRef="{(withFollowUp ? "Task_B" : "Event_End")}" />
            {(withFollowUp ? "<bpmn:userTask id=\"Task_B\" name=\"Tindak lanjut baru\" /><bpmn:sequenceFlow id=\"Flow_3\" sourceRef=\"Task_B\" targetRef=\"Event_End\" />" : string.Empty)}
            <bpmn:endEvent id="Event_End" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task Draft_ShowsTheLastDaysConversationsReplayedAgainstIt_WithALinkToTheDivergingOne()
    {
        var catalog = app.Services.GetRequiredService<DefinitionCatalog>();
        var v1 = await catalog.CreateDraftAsync(Flow(withFollowUp: false).Replace("<bpmn:flowNodeRef>Task_B</bpmn:flowNodeRef>", string.Empty, StringComparison.Ordinal), "maker.x");
        await catalog.SubmitAsync(Key, v1.Version, "maker.x");
        await catalog.CheckAsync(Key, v1.Version, "checker.x");
        await catalog.ApproveAsync(Key, v1.Version, "approver.x");
        await catalog.PublishAsync(Key, v1.Version, DateTimeOffset.UtcNow.AddSeconds(-1));
        var runtime = app.Services.GetRequiredService<InstanceRuntime>();
        var done = await runtime.StartAsync(new StartRequest { DefinitionKey = Key, Channel = "live-chat", Agent = "agent.sari", Actor = "agent.sari" });
        await runtime.CompleteWorkItemAsync(done.Id, (await runtime.GetStateAsync(done.Id)).WorkItems.Single().Id, null, null, "agent.sari");
        var draft = await catalog.CreateDraftAsync(Flow(withFollowUp: true), "owner.gadhong");

        var owner = await app.NewPageAsync();
        await owner.SignInAsync(app, "owner.gadhong");
        await owner.GotoAsync($"/designer/{Key}/{draft.Version}");
        await owner.GetByTestId("what-if-run").ClickAsync();

        await Expect(owner.GetByTestId("what-if-summary")).ToContainTextAsync("1 percakapan diputar ulang: 0 jalurnya sama, 1 berbeda; hasil bergeser pada 1.");
        var row = owner.GetByTestId("what-if-conversation");
        await Expect(row).ToContainTextAsync($"rekaman ke {Key}/Event_End, versi ini ke {Key}/Task_B");
        await Expect(row).ToContainTextAsync("Completed → Running");
        await Expect(row.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"/quality/{done.Id}");
        await app.ScreenshotAsync(owner, "63-designer-what-if");
        await owner.Context.CloseAsync();
    }
}
