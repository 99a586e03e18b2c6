using System.Text.RegularExpressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// Quality Control's replay in the browser: a WhatsApp conversation run by the server to the end
/// (a silence prompt, the customer's replies), found by agent and channel, replayed step by step
/// with its path, checked against the SOP checklist and reviewed; and no access for an agent.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class QualityReplayTests(WebAppFixture app)
{
    private const string StillConnected = "Apakah saat ini Bapak/Ibu masih terhubung dengan kami?";

    [Fact]
    public async Task QualityControl_FindsAConversation_StepsThroughItsReplay_ChecksTheSop_AndReviewsIt()
    {
        var customer = "+62812777" + Random.Shared.Next(10000, 99999);
        var id = await QualityConversation.RunWhatsAppAsync(app.Services, "agent.budi", "Budi", customer);
        var journal = await app.Services.GetRequiredService<InstanceRuntime>().ReadJournalAsync(id);
        var waits = journal.OfType<ElementEntered>().Count(e => e.ElementId == "Gateway_Wait1");
        var verification = journal.OfType<WorkItemCreated>().Single(e => e.ElementId == "Task_Verifikasi");
        var prompt = journal.OfType<PromptSent>().Single();
        var asked = journal.OfType<WorkItemCompleted>().Single(c => c.WorkItemId == journal.OfType<WorkItemCreated>().Single(w => w.Step == "2a").WorkItemId);

        var page = await app.NewPageAsync();
        await page.SignInAsync(app, "qc.agus");
        await page.GetByRole(AriaRole.Link, new() { Name = "Replay QC" }).ClickAsync();
        await page.WaitForURLAsync("**/quality");

        // Find it by agent and channel; the filters go into the URL and survive a reload.
        await page.GetByTestId("filter-agent").FillAsync("agent.budi");
        await page.GetByTestId("filter-channel").SelectOptionAsync("whatsapp");
        await page.GetByTestId("search").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/quality\?agent=agent\.budi&channel=whatsapp$"));
        var row = page.Locator($"tr[data-testid=history][data-id='{id}']");
        await Expect(row).ToContainTextAsync(customer);
        await Expect(row).ToContainTextAsync("Selesai");
        await Expect(row.GetByTestId("score")).ToHaveTextAsync(new Regex(@"^\d+(,\d)?%$"));
        await page.ReloadAsync();
        await Expect(page.GetByTestId("filter-agent")).ToHaveValueAsync("agent.budi");
        await Expect(page.GetByTestId("filter-channel")).ToHaveValueAsync("whatsapp");
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.GetByTestId("histories").Locator("tr[data-testid=history]")).Not.ToContainTextAsync(["agent.sari"]);
        await app.ScreenshotAsync(page, "quality-search");

        // Open it: the facts, the exact-replay verdict, the diagram with the path and visit counts.
        await row.GetByTestId("history-link").ClickAsync();
        await page.WaitForURLAsync(new Regex($"/quality/{id}"));
        await Expect(page.GetByTestId("verdict")).ToContainTextAsync("Replay cocok");
        await Expect(page.GetByTestId("verdict")).ToHaveAttributeAsync("data-matches", "true");
        await Expect(page.GetByTestId("fact-agent")).ToHaveTextAsync("agent.budi");
        await Expect(page.GetByTestId("fact-versions")).ToContainTextAsync("whatsapp v");
        await Expect(page.GetByTestId("fact-versions")).ToContainTextAsync("still-connected v");
        var diagram = page.GetByTestId("diagram");
        await Expect(diagram).ToHaveAttributeAsync("data-ready", "true");
        await Expect(diagram).ToHaveAttributeAsync("data-definition", new Regex("^whatsapp@"));
        await Expect(diagram.Locator("g.djs-element.qc-visited[data-element-id='Task_Verifikasi']")).ToHaveCountAsync(1);
        await Expect(diagram.Locator("g.djs-element.qc-visited[data-element-id='Task_JelaskanProduk']")).ToHaveCountAsync(0);
        await Expect(diagram.Locator("g.djs-connection.qc-taken[data-element-id='Flow_GwPerluTiket_GwMergeBantuan']")).ToHaveCountAsync(1);
        await Expect(diagram.Locator("g.djs-connection.qc-taken[data-element-id='Flow_GwPerluTiket_EskalasiTiket']")).ToHaveCountAsync(0);
        await Expect(diagram.Locator(".qc-count[data-element='Task_SalamPembuka']")).ToHaveTextAsync("1");
        await app.ScreenshotAsync(page, "quality-replay");

        // The called "masih terhubung?" ladder ran twice (two waits): its elements were visited that often.
        waits.Should().Be(2);
        await page.GetByTestId("diagram-tab").Filter(new() { HasText = "still-connected" }).ClickAsync();
        await Expect(diagram).ToHaveAttributeAsync("data-definition", new Regex("^still-connected@"));
        await Expect(diagram.Locator(".qc-count[data-element='Gateway_Wait1']")).ToHaveTextAsync(waits.ToString());
        await Expect(diagram.Locator(".qc-count[data-element='Task_Ask2a']")).ToHaveTextAsync("1");
        await Expect(diagram.Locator("g.djs-element.qc-visited[data-element-id='Task_Ask2b']")).ToHaveCountAsync(0);

        // The timeline: at the step that opened the verification, that task is open; one step back it is not.
        var timeline = page.GetByTestId("timeline");
        await timeline.Locator($"li[data-sequence='{verification.Sequence}']").ClickAsync();
        var tasks = page.GetByTestId("state-tasks");
        await Expect(tasks).ToContainTextAsync("Verifikasi data nasabah");
        await Expect(page.GetByTestId("step-title")).ToContainTextAsync("Langkah dibuka");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(page.GetByTestId("step")).Not.ToContainTextAsync($"#{verification.Sequence}");
        await Expect(tasks).Not.ToContainTextAsync("Verifikasi data nasabah");
        await page.GetByTestId("next").ClickAsync();
        await Expect(page.GetByTestId("step")).ToContainTextAsync($"#{verification.Sequence}");
        await Expect(tasks).ToContainTextAsync("Verifikasi data nasabah");
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.GetByTestId("position")).Not.ToContainTextAsync($"Langkah {verification.Sequence} ");

        // Mid-way: the prompt "masih terhubung?" just went out; the diagram follows into the ladder.
        await timeline.Locator($"li[data-sequence='{prompt.Sequence}']").ClickAsync();
        await Expect(page.GetByTestId("step-text")).ToHaveTextAsync(StillConnected);
        // The agent asked it (one click): the words are the agent's line, delivered by the flow's send task.
        await Expect(page.GetByTestId("conversation").Locator(".msg.agent", new() { HasText = StillConnected })).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("conversation").Locator(".msg.customer")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("state-status")).ToHaveTextAsync("Berjalan");
        await Expect(page).ToHaveURLAsync(new Regex($@"\?step={prompt.Sequence}$"));
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Ikuti langkah" }).CheckAsync();
        await Expect(diagram).ToHaveAttributeAsync("data-step", prompt.Sequence.ToString());
        await Expect(diagram).ToHaveAttributeAsync("data-event", "Task_Send2a");
        await Expect(diagram.Locator("g.djs-element.qc-event[data-element-id='Task_Send2a']")).ToHaveCountAsync(1);
        await app.ScreenshotAsync(page, "quality-mid-timeline");

        // The checklist: ten rules; evidence jumps the timeline to its step.
        var rules = page.GetByTestId("rule");
        await Expect(rules).ToHaveCountAsync(10);
        var prompts = page.Locator("[data-testid=rule][data-rule='still-connected-prompts']");
        // The silence timer fired at its due time (a timer never fires early) and the agent asked at
        // once, so the question came after a full minute of silence, as the SOP asks; the evidence
        // is the agent's completion of step 2a.
        await Expect(prompts).ToHaveAttributeAsync("data-outcome", "Passed");
        await Expect(prompts.GetByTestId("evidence").First).ToHaveAttributeAsync("data-sequence", asked.Sequence.ToString());
        await Expect(page.Locator("[data-testid=rule][data-rule='opening-greeting']")).ToHaveAttributeAsync("data-outcome", "Passed");
        var evidence = page.Locator("[data-testid=rule][data-rule='documentation'] [data-testid=evidence]").First;
        var sequence = await evidence.GetAttributeAsync("data-sequence");
        await evidence.ClickAsync();
        await Expect(page.GetByTestId("step")).ToContainTextAsync($"#{sequence}");
        await Expect(timeline.Locator("li.current")).ToHaveAttributeAsync("data-sequence", sequence!);
        await app.ScreenshotAsync(page, "quality-checklist");

        // QC's own review, kept and listed.
        await page.GetByTestId("review-score").FillAsync("88");
        await page.GetByTestId("review-note").FillAsync("Prompt tepat waktu; salam penutup sesuai SOP.");
        await page.GetByTestId("review-save").ClickAsync();
        await Expect(page.GetByTestId("review-item").First).ToContainTextAsync("88/100");
        await Expect(page.GetByTestId("review-item").First).ToContainTextAsync("Prompt tepat waktu; salam penutup sesuai SOP.");
        await Expect(page.GetByTestId("review-item").First).ToContainTextAsync("qc.agus");
        await app.ScreenshotAsync(page, "quality-review");

        // Back in the search the review shows beside the automatic score.
        await page.GoBackAsync();
        await page.GotoAsync("/quality?agent=agent.budi&channel=whatsapp");
        await Expect(page.Locator($"tr[data-testid=history][data-id='{id}']")).ToContainTextAsync("88");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Agent_HasNoQualityScreen_AndNoReplayData()
    {
        var id = await QualityConversation.StartAsync(app.Services, "agent.sari", "Sari", "+6281277700001");
        var page = await app.NewPageAsync();
        await page.SignInAsync(app, "agent.sari");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Replay QC" })).ToHaveCountAsync(0);

        await page.GotoAsync($"/quality/{id}");
        await Expect(page.GetByTestId("no-access")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("verdict")).ToHaveCountAsync(0);
        var steps = await page.APIRequest.GetAsync($"/api/instances/{id}/replay/steps");
        steps.Status.Should().Be(403);
        var search = await page.APIRequest.GetAsync("/api/quality/histories?agent=agent.sari");
        search.Status.Should().Be(403);
        await page.Context.CloseAsync();
    }
}
