using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// SOP §5.3: an agent asks the Team Leader for help from the console; the Team Leader's open
/// dashboard shows it live and answers; the answer appears in the agent's console live; QC's
/// replay shows both. Two browser contexts, each signed in as its own user.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class HelpRequestTests(WebAppFixture app)
{
    [Fact]
    public async Task Agent_AsksTheTeamLeader_WhoSeesItLive_AndAnswers_AndTheAgentSeesTheAnswer()
    {
        var leader = await app.NewPageAsync();
        await leader.SignInAsync(app, "leader.rina");
        await leader.GotoAsync("/dashboard");
        await Expect(leader.GetByTestId("dash-help")).ToBeVisibleAsync();

        var agent = await app.NewPageAsync();
        await agent.SignInAsync(app, "agent.sari");
        var id = await agent.StartContactAsync("live-chat", "help-web-1");
        var help = agent.GetByTestId("help");
        await help.GetByTestId("help-to").SelectOptionAsync("TeamLeader");
        await help.GetByTestId("help-text").FillAsync("Nasabah menanyakan pelunasan dipercepat, mohon info prosedurnya");
        await help.GetByTestId("help-send").ClickAsync();
        await Expect(help.GetByTestId("help-request")).ToContainTextAsync("Menunggu jawaban");

        // The leader's dashboard, open all along, gets it from the live stream.
        var item = leader.GetByTestId("help-item").Filter(new() { HasText = "pelunasan dipercepat" });
        await Expect(item).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(item).ToContainTextAsync("agent.sari");
        await item.GetByTestId("help-answer-text").FillAsync("Arahkan ke outlet terdekat dengan membawa KTP dan surat bukti kredit");
        await item.GetByTestId("help-answer-send").ClickAsync();
        await Expect(item).ToHaveCountAsync(0);

        // The agent's console shows the answer without a reload.
        await Expect(help.GetByTestId("help-answer")).ToContainTextAsync("leader.rina: Arahkan ke outlet terdekat", new() { Timeout = 20_000 });
        await app.ScreenshotAsync(agent, "70-help-answered");

        // QC's replay has both on the timeline.
        var qc = await app.NewPageAsync();
        await qc.SignInAsync(app, "qc.agus");
        await qc.GotoAsync($"/quality/{id}");
        var annotations = qc.GetByTestId("timeline").Locator("[data-type='annotated@1']");
        await Expect(annotations.Filter(new() { HasText = "help-requested" })).ToHaveCountAsync(1);
        await Expect(annotations.Filter(new() { HasText = "help-answered" })).ToHaveCountAsync(1);
    }
}
