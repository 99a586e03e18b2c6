using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class TicketQueueTests(WebAppFixture app)
{
    private const string Complaint = "Saldo tabungan emas tidak bertambah setelah top up";

    [Fact]
    public async Task Complaint_RaisedInConsole_IsDispatchedWorkedByTheTeamAndClosedByTier2()
    {
        // The agent raises the complaint at the ticket gateway.
        var agent = await app.NewPageAsync();
        await agent.SignInAsync(app, "agent.budi");
        await agent.StartContactAsync("whatsapp", "+6281299990002");
        await agent.CompleteAsync("Task_SalamPembuka");
        await agent.CustomerSaysAsync("Saldo tabungan emas saya tidak bertambah");
        await agent.CompleteAsync("Task_Verifikasi");
        await agent.CompleteAsync("Task_Identifikasi");
        await agent.CompleteAsync("Task_Solusi");
        var gateway = agent.Task("Gateway_PerluTiket");
        await gateway.Locator("button[data-outcome='Ya']").ClickAsync();
        var form = agent.GetByTestId("complaint");
        await form.Locator("select[name=kategori]").SelectOptionAsync("Transaksi");
        await form.Locator("select[name=prioritas]").SelectOptionAsync("Tinggi");
        await form.Locator("textarea[name=deskripsi]").FillAsync(Complaint);
        await app.ScreenshotAsync(agent, "10-console-complaint");
        await agent.GetByTestId("raise-complaint").ClickAsync();
        await Expect(gateway).ToHaveCountAsync(0);
        await Expect(agent.Task("Task_TawarkanBantuan")).ToBeVisibleAsync();
        await agent.Context.CloseAsync();

        // Tier 2 finds it in the queue, most urgent first, with its SLA.
        var tier2 = await app.NewPageAsync();
        await tier2.SignInAsync(app, "tier2.dewi");
        var row = await tier2.TicketRowAsync(Complaint);
        await Expect(row.GetByTestId("sla")).ToHaveAttributeAsync("data-colour", "on-track");
        await Expect(row).ToContainTextAsync("Tinggi");
        await app.ScreenshotAsync(tier2, "11-tickets-queue");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(tier2.GetByTestId("ticket-status")).ToHaveTextAsync("Berjalan");
        await tier2.GetByTestId("add-note").Locator("textarea").FillAsync("Nasabah dihubungi, bukti transfer diterima.");
        await tier2.GetByTestId("add-note").GetByRole(AriaRole.Button).ClickAsync();
        await Expect(tier2.GetByTestId("notes")).ToContainTextAsync("bukti transfer diterima");
        await tier2.GetByTestId("dispatch").Locator("input[name=unit]").FillAsync("Divisi Gadai");
        await tier2.GetByTestId("dispatch").Locator("input[name=note]").FillAsync("Mohon cek mutasi top up.");
        await app.ScreenshotAsync(tier2, "12-ticket-tier2");
        await tier2.GetByTestId("dispatch").GetByRole(AriaRole.Button).ClickAsync();
        await Expect(tier2.GetByTestId("dispatch")).ToHaveCountAsync(0);
        await Expect(tier2.Locator("dl.facts")).ToContainTextAsync("Divisi Gadai");

        // The related team works its steps 16-19.
        var team = await app.NewPageAsync();
        await team.SignInAsync(app, "team.gadai");
        var teamRow = await team.TicketRowAsync(Complaint);
        await app.ScreenshotAsync(team, "13-tickets-related-queue");
        await teamRow.GetByRole(AriaRole.Link).ClickAsync();
        for (var step = 16; step <= 19; step++)
        {
            var task = team.GetByTestId("related-task");
            await Expect(task).ToContainTextAsync($"Langkah {step}");
            if (step == 19)
            {
                await task.Locator("textarea[name=catatan]").FillAsync("Top up masuk tertunda, saldo sudah dikoreksi.");
                await app.ScreenshotAsync(team, "14-ticket-related-team");
            }

            await task.Locator("button[data-outcome]").First.ClickAsync();
        }

        await Expect(team.GetByTestId("related-task")).ToHaveCountAsync(0);
        await team.Context.CloseAsync();

        // Back with Tier 2 (live): the memo closes the ticket.
        await tier2.CloseTicketAsync("Saldo sudah dikoreksi oleh Divisi Gadai; nasabah sudah diinformasikan.");
        await Expect(tier2.GetByTestId("notes")).ToContainTextAsync("Top up masuk tertunda");
        await app.ScreenshotAsync(tier2, "15-ticket-closed");

        await tier2.GotoAsync("/tickets");
        await Expect(tier2.GetByTestId("ticket-row").Filter(new() { HasText = Complaint })).ToHaveCountAsync(0);
        await tier2.Context.CloseAsync();
    }
}
