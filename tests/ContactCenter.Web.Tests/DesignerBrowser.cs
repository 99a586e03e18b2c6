using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>What a process owner, reviewer or approver does in the designer, in the words of its screens.</summary>
internal static class DesignerBrowser
{
    public static ILocator Modeler(this IPage page) => page.GetByTestId("modeler");

    public static ILocator Shape(this IPage page, string elementId) => page.Modeler().Locator($"g.djs-element[data-element-id='{elementId}']");

    /// <summary>bpmn-js-bpmnlint's marker on an element (the overlay container carries the element id).</summary>
    public static ILocator LintMarker(this IPage page, string elementId) =>
        page.Modeler().Locator($".djs-overlays[data-container-id='{elementId}'] .bjsl-overlay");

    public static ILocator Property(this IPage page, string attribute) => page.GetByTestId("properties").Locator($"#bio-properties-panel-cc-{attribute}");

    public static async Task WaitForModelerAsync(this IPage page) =>
        await Expect(page.Modeler()).ToHaveAttributeAsync("data-ready", "true");

    /// <summary>Fits the whole flow into the canvas, selects an element by clicking its shape, and waits for the properties panel to show it.</summary>
    public static async Task SelectAsync(this IPage page, string elementId)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Muat layar" }).ClickAsync();
        await page.Shape(elementId).ClickAsync();
        await Expect(page.GetByTestId("properties").Locator("input[name=id]")).ToHaveValueAsync(elementId);
    }

    public static ILocator Action(this IPage page, string action) => page.GetByTestId("lifecycle").Locator($"[data-action='{action}']");

    public static async Task ExpectStatusAsync(this IPage page, string state) =>
        await Expect(page.Locator(".cc-version-head [data-testid=version-status]")).ToHaveAttributeAsync("data-state", state);

    /// <summary>The element ids of the listed issues (bpmnlint's or the server's).</summary>
    public static async Task<string[]> ElementIdsAsync(this IPage page, string list) =>
        (await page.GetByTestId(list).Locator("li.cc-issue").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.element)"))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
}

/// <summary>Broken flows for the lint ↔ validator agreement: the repository's flows, each with one kind of mistake.</summary>
internal static class BrokenFlows
{
    private static string Workflow(string name) => File.ReadAllText(Path.Combine(WebAppFixture.RepoRoot, "workflows", name));

    private static string Change(string text, string from, string to)
    {
        var index = text.IndexOf(from, StringComparison.Ordinal);
        if (index < 0)
        {
            throw new InvalidOperationException($"the fixture text '{from}' is not in the flow any more");
        }

        return string.Concat(text.AsSpan(0, index), to, text.AsSpan(index + from.Length));
    }

    /// <summary>Name → BPMN text. The valid flows are there too: both sides must then find nothing.</summary>
    public static IReadOnlyList<(string Name, string Bpmn)> All()
    {
        var whatsapp = Workflow("whatsapp.bpmn");
        var stillConnected = Workflow("still-connected.bpmn");
        const string verifikasi = """
            <bpmn:userTask id="Task_Verifikasi" cc:purpose="verification" name="Verifikasi data nasabah">
                  <bpmn:incoming>Flow_GwTerhubung1_Verifikasi</bpmn:incoming>
                  <bpmn:outgoing>Flow_Verifikasi_GwMergeIdentifikasi</bpmn:outgoing>
                </bpmn:userTask>
            """;
        return
        [
            ("valid-whatsapp", whatsapp),
            ("valid-still-connected", stillConnected),
            ("service-kind-missing", Change(whatsapp, " cc:serviceKind=\"createTicket\"", string.Empty)),
            ("service-kind-on-user-task", Change(whatsapp, "cc:step=\"6\"", "cc:step=\"6\" cc:serviceKind=\"createTicket\"")),
            ("unknown-cc-attribute", Change(whatsapp, "cc:step=\"6\"", "cc:step=\"6\" cc:colour=\"green\"")),
            ("condition-does-not-parse", Change(whatsapp, "terhubung == true</", "terhubung === true</")),
            ("assign-does-not-parse", Change(whatsapp, "cc:step=\"6\"", "cc:step=\"6\" cc:assign=\"x = = 1\"")),
            ("agent-gateway-same-names", Change(whatsapp, "name=\"Tidak\" sourceRef=\"Gateway_PerluTiket\"", "name=\"Ya\" sourceRef=\"Gateway_PerluTiket\"")),
            ("link-without-catch", Change(whatsapp, "<bpmn:linkEventDefinition id=\"Event_ThrowG2_Def\" name=\"G\" />", "<bpmn:linkEventDefinition id=\"Event_ThrowG2_Def\" name=\"Z\" />")),
            ("task-in-no-lane", Change(whatsapp, "<bpmn:flowNodeRef>Task_Solusi</bpmn:flowNodeRef>", string.Empty)),
            ("plain-task-outside-subset", Change(whatsapp, verifikasi.ReplaceLineEndings("\n"), verifikasi.ReplaceLineEndings("\n").Replace("bpmn:userTask", "bpmn:task", StringComparison.Ordinal))),
            ("flow-loops-back", Change(whatsapp, "sourceRef=\"Task_Identifikasi\" targetRef=\"Task_Solusi\"", "sourceRef=\"Task_Identifikasi\" targetRef=\"Task_Identifikasi\"")),
            ("not-executable", Change(whatsapp, "isExecutable=\"true\"", "isExecutable=\"false\"")),
            ("called-definition-unknown", Change(whatsapp, "calledElement=\"still-connected\"", "calledElement=\"still-connectd\"")),
            ("timer-zero", Change(stillConnected, ">PT1M<", ">PT0S<")),
            ("timer-not-iso", Change(stillConnected, ">PT1M<", ">1 menit<")),
            ("timer-longer-than-a-year", Change(stillConnected, ">PT1M<", ">P367D<")),
            ("condition-nested-too-deep", Change(whatsapp, "terhubung == true</", new string('(', 65) + "terhubung == true" + new string(')', 65) + "</")),
            ("event-gateway-to-task", Change(stillConnected, "sourceRef=\"Gateway_Wait1\" targetRef=\"Event_Reply1\"", "sourceRef=\"Gateway_Wait1\" targetRef=\"Task_Ask2a\"")),
            ("purpose-missing", Change(whatsapp, " cc:purpose=\"opening-greeting\"", string.Empty)),
            ("purpose-twice", Change(stillConnected, "cc:purpose=\"still-connected-prompt-2\"", "cc:purpose=\"still-connected-prompt-1\"")),
            ("purpose-on-wrong-element", Change(Change(stillConnected, " cc:purpose=\"still-connected-close\"", string.Empty), "cc:purpose=\"still-connected-prompt-2\"", "cc:purpose=\"still-connected-prompt-2, still-connected-close\"")),
            ("purpose-unknown", Change(whatsapp, "cc:purpose=\"documentation\"", "cc:purpose=\"dokumentasi\"")),
            ("purpose-not-a-name", Change(whatsapp, "cc:purpose=\"documentation\"", "cc:purpose=\"Dokumentasi Omni\"")),
            ("flow-kind-unknown", Change(whatsapp, "cc:flowKind=\"conversation\"", "cc:flowKind=\"chat\"")),
            ("ticket-decision-without-dispatch", Change(Workflow("ticket-escalation.bpmn"), " cc:purpose=\"dispatch\"", string.Empty)),
            ("condition-on-task-flow", Change(
                stillConnected,
                "<bpmn:sequenceFlow id=\"Flow_Task_Send2a_Gateway_Wait2\" sourceRef=\"Task_Send2a\" targetRef=\"Gateway_Wait2\" />",
                "<bpmn:sequenceFlow id=\"Flow_Task_Send2a_Gateway_Wait2\" sourceRef=\"Task_Send2a\" targetRef=\"Gateway_Wait2\"><bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">terhubung == true</bpmn:conditionExpression></bpmn:sequenceFlow>")),
        ];
    }
}
