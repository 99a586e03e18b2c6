using ContactCenter.Engine.Expressions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Modules.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class NotificationTests(WebAppFixture app)
{
    [Fact]
    public async Task DispatchedTicket_ArrivesLiveForTheTeamLeader_TheUnitAcknowledges_EveryoneSeesWhoAndWhen()
    {
        var leader = await app.NewPageAsync();
        await leader.SignInAsync(app, "leader.rina");
        await leader.GetByRole(AriaRole.Link, new() { Name = "Notifikasi" }).ClickAsync();
        await Expect(leader.GetByTestId("notifications")).ToBeVisibleAsync();

        // A ticket Tier 2 dispatches to Divisi Gadai (made on the runtime: the ticket screens have their own test).
        var runtime = app.Services.GetRequiredService<InstanceRuntime>();
        var ticket = await runtime.StartAsync(new StartRequest
        {
            DefinitionKey = "ticket-escalation",
            Channel = "ticket",
            CustomerRef = "+6281299990077",
            Actor = "system",
            Variables = new Dictionary<string, Value> { ["kategori"] = "Transaksi", ["prioritas"] = "Tinggi", ["deskripsi"] = "Dana gadai belum cair", ["agentPelapor"] = "agent.budi" },
        });
        await app.Services.GetRequiredService<TicketDesk>().DispatchAsync(ticket.Id, "Divisi Gadai", null, "tier2.dewi");

        // The Team Leader's open screen gets it from the live stream, without a reload.
        var atLeader = leader.GetByTestId("notification").Filter(new() { HasText = "+6281299990077" });
        await Expect(atLeader).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(atLeader.GetByTestId("notification-title")).ToHaveTextAsync("Dispatch tiket ke tim terkait");
        await Expect(atLeader.GetByTestId("acknowledge")).ToBeVisibleAsync();

        // The unit's team acknowledges it.
        var team = await app.NewPageAsync();
        await team.SignInAsync(app, "team.gadai");
        await team.GotoAsync("/notifications");
        var atTeam = team.GetByTestId("notification").Filter(new() { HasText = "+6281299990077" });
        await Expect(atTeam.GetByTestId("acknowledge")).ToBeVisibleAsync();
        var badge = team.GetByTestId("notification-count");
        await Expect(badge).ToBeVisibleAsync();
        var waitingBefore = int.Parse(await badge.TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        await atTeam.GetByTestId("acknowledge").ClickAsync();
        await Expect(atTeam.GetByTestId("acknowledged")).ToContainTextAsync("Diterima oleh team.gadai");
        if (waitingBefore == 1)
        {
            await Expect(badge).ToBeHiddenAsync();
        }
        else
        {
            await Expect(badge).ToHaveTextAsync((waitingBefore - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 5_000 });
        }

        await app.ScreenshotAsync(team, "40-notifications-acknowledged");

        // The Team Leader sees who took it and when; an agent sees nothing of it.
        await leader.ReloadAsync();
        await Expect(atLeader.GetByTestId("acknowledged")).ToContainTextAsync("Diterima oleh team.gadai");
        await Expect(atLeader.GetByTestId("acknowledge")).ToHaveCountAsync(0);
        var agent = await app.NewPageAsync();
        await agent.SignInAsync(app, "agent.budi");
        await agent.GotoAsync("/notifications");
        await Expect(agent.GetByTestId("notifications")).ToBeVisibleAsync();
        await Expect(agent.GetByTestId("notification").Filter(new() { HasText = "+6281299990077" })).ToHaveCountAsync(0);

        await leader.Context.CloseAsync();
        await team.Context.CloseAsync();
        await agent.Context.CloseAsync();
    }
}
