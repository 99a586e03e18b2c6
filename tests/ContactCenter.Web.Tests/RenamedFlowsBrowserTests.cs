using ContactCenter.Modules.Flows;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// Issue 13 item 3, browser half: with every workflow's element ids renamed bpmn-js style
/// (<see cref="RenamedFlows"/>), the console and the ticket screens work unchanged: a WhatsApp
/// chat is greeted, verified, served and raises a complaint; Tier 2 dispatches the ticket, the
/// related team works it, Tier 2 closes it. Steps are found by their declared purposes in the
/// server's definitions, never by id, so the shipped flows may change.
/// </summary>
[Collection(RenamedFlowsWebAppCollection.Name)]
public sealed class RenamedFlowsBrowserTests(RenamedFlowsWebAppFixture app)
{
    private const string Complaint = "Pencairan gadai belum masuk (alur baru)";

    /// <summary>The id of the one element of the flow in effect that declares <paramref name="purpose"/>; asserted to be a renamed id.</summary>
    private async Task<string> IdOfAsync(string key, string purpose)
    {
        var catalog = app.Services.GetRequiredService<DefinitionCatalog>();
        var version = (await catalog.GetInEffectAsync(key, DateTimeOffset.UtcNow)).Version;
        var id = (await catalog.LoadAsync(key, version)).NodesWithPurpose(purpose).Single().Id;
        RenamedFlows.Maps[key].Values.Should().Contain(id, "the server runs the renamed copy of {0}", key);
        return id;
    }

    [Fact]
    public async Task ConsoleAndTicketScreens_OnFlowsWithEveryIdRenamed_WorkUnchanged()
    {
        var agent = await app.NewPageAsync();
        await agent.SignInAsync(app, "agent.budi");
        var chat = await agent.StartContactAsync("whatsapp", "+6281299990013");
        var key = (await app.Services.GetRequiredService<InstanceRuntime>().GetAsync(chat)).DefinitionKey;

        var greeting = await IdOfAsync(key, StepPurposes.OpeningGreeting);
        await Expect(agent.Task(greeting).GetByTestId("script")).ToContainTextAsync("terima kasih telah menghubungi Contact Center Pegadaian");
        await agent.DiagramShowsAsync(greeting);
        await agent.CompleteAsync(greeting);

        // The still-connected ladder, found by its roles: the countdown, then the agent's question, asked in one click.
        await Expect(agent.GetByTestId("countdown")).ToContainTextAsync("masih terhubung?");
        await app.FireSilenceTimerAsync(chat);
        var ask = agent.Locator("form.task.ask-due");
        await Expect(ask).ToBeVisibleAsync();
        await ask.GetByTestId("ask-now").ClickAsync();
        await Expect(agent.GetByTestId("conversation").Locator(".msg.agent", new() { HasText = "masih terhubung" })).ToHaveCountAsync(1);
        await agent.CustomerSaysAsync("Masih, pencairan gadai saya belum masuk");

        var verification = await IdOfAsync(key, StepPurposes.Verification);
        await Expect(agent.Task(verification)).ToBeVisibleAsync();
        await agent.DiagramShowsAsync(verification);
        await agent.CompleteAsync(verification);
        await agent.CompleteAsync(await IdOfAsync(key, StepPurposes.NeedIdentification));
        await agent.CompleteAsync(await IdOfAsync(key, StepPurposes.Solution));

        // The complaint decision: "Ya" opens the complaint form (the console knows it by its role).
        var decision = agent.Task(await IdOfAsync(key, StepPurposes.ComplaintDecision));
        await decision.Locator("button[data-outcome='Ya']").ClickAsync();
        var form = agent.GetByTestId("complaint");
        await form.Locator("select[name=kategori]").SelectOptionAsync("Transaksi");
        await form.Locator("select[name=prioritas]").SelectOptionAsync("Tinggi");
        await form.Locator("textarea[name=deskripsi]").FillAsync(Complaint);
        await agent.GetByTestId("raise-complaint").ClickAsync();
        await Expect(decision).ToHaveCountAsync(0);
        await Expect(agent.Locator("form[data-testid=task]")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await app.ScreenshotAsync(agent, "90-renamed-console-complaint");
        await agent.Context.CloseAsync();

        // Tier 2: the ticket in the queue, dispatched to the related team.
        var tier2 = await app.NewPageAsync();
        await tier2.SignInAsync(app, "tier2.dewi");
        await (await tier2.TicketRowAsync(Complaint)).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(tier2.GetByTestId("ticket-status")).ToHaveTextAsync("Berjalan");
        await tier2.DispatchAsync("Divisi Gadai", "Mohon cek pencairan.");

        // The related team sees it and works each of its steps, however many the flow has.
        var team = await app.NewPageAsync();
        await team.SignInAsync(app, "team.gadai");
        await (await team.TicketRowAsync(Complaint)).GetByRole(AriaRole.Link).ClickAsync();
        var task = team.GetByTestId("related-task");
        await Expect(task).ToBeVisibleAsync();
        for (var steps = 0; await task.CountAsync() > 0; steps++)
        {
            steps.Should().BeLessThan(20, "the related team's steps end");
            var before = await task.InnerTextAsync();
            var notes = task.Locator("textarea[name=catatan]");
            if (await notes.CountAsync() > 0)
            {
                await notes.FillAsync("Pencairan tertunda, sudah diproses ulang.");
            }

            await task.Locator("button[data-outcome]").First.ClickAsync();
            await team.WaitForFunctionAsync("before => { const t = document.querySelector('[data-testid=related-task]'); return !t || t.innerText !== before; }", before);
        }

        await team.Context.CloseAsync();

        // Back with Tier 2 (live): the memo closes the ticket.
        await tier2.CloseTicketAsync("Pencairan sudah masuk; nasabah sudah diinformasikan.");
        await Expect(tier2.GetByTestId("notes")).ToContainTextAsync("Pencairan tertunda");
        await app.ScreenshotAsync(tier2, "91-renamed-ticket-closed");
        await tier2.Context.CloseAsync();
    }
}
