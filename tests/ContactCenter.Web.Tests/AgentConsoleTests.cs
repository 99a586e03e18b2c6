using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class AgentConsoleTests(WebAppFixture app)
{
    private const string StillConnected = "Apakah saat ini Bapak/Ibu masih terhubung dengan kami?";

    [Fact]
    public async Task WhatsApp_SilencePromptThenCustomerReplies_RunsToTheEnd()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/console");
        await page.ShowsSignInAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Masuk ke ContactCenter" })).ToBeVisibleAsync();
        await app.ScreenshotAsync(page, "01-sign-in");

        await page.SignInAsync(app, "agent.sari");
        await Expect(page.GetByTestId("user")).ToContainTextAsync("Agent");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Konsol agen" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Antrean tiket" })).ToHaveCountAsync(0);
        await Expect(page.Locator(".live")).ToHaveTextAsync("Langsung");
        await app.ScreenshotAsync(page, "02-console-empty");

        var id = await page.StartContactAsync("whatsapp", "+6281299990001");

        // Step: greeting, resolved by the server for the time of day, with the agent's name.
        var greeting = page.Task("Task_SalamPembuka");
        await Expect(greeting.GetByTestId("script")).ToContainTextAsync("terima kasih telah menghubungi Contact Center Pegadaian. Saya Sari, ada yang bisa saya bantu?");
        await page.DiagramShowsAsync("Task_SalamPembuka");
        await app.ScreenshotAsync(page, "03-console-greeting");
        await page.CompleteAsync("Task_SalamPembuka");

        // The still-connected ladder is waiting: a live countdown to the first prompt.
        await Expect(page.GetByTestId("countdown")).ToContainTextAsync("masih terhubung?");
        await Expect(page.GetByTestId("countdown-value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^0:[0-5][0-9]$|^1:00$"));
        await Expect(page.GetByTestId("conversation").Locator(".msg.agent")).ToContainTextAsync("Saya Sari");
        await page.DiagramShowsAsync("Event_Timer1");
        await app.ScreenshotAsync(page, "04-console-countdown");

        // A minute of silence: the timer fires (as Quartz would, on the fake clock) and the agent's
        // step 2a appears live, highlighted, with the SOP's exact words; nothing was sent by itself.
        await app.FireSilenceTimerAsync(id);
        var ask = page.Locator("form.task.ask-due");
        await Expect(ask).ToBeVisibleAsync();
        await Expect(ask.GetByTestId("step")).ToHaveTextAsync("Langkah 2a");
        await Expect(ask.GetByTestId("script")).ToHaveTextAsync(StillConnected);
        await Expect(page.GetByTestId("countdown")).ToContainTextAsync("Tanyakan sekarang");
        await Expect(page.GetByTestId("conversation").Locator(".msg", new() { HasText = StillConnected })).ToHaveCountAsync(0);
        await app.ScreenshotAsync(page, "05-console-silence-question-due");

        // One click asks: the exact text goes to the customer as the agent's message, once.
        await ask.GetByTestId("ask-now").ClickAsync();
        var asked = page.GetByTestId("conversation").Locator(".msg", new() { HasText = StillConnected });
        await Expect(asked).ToHaveCountAsync(1);
        await Expect(asked).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\bagent\\b"));
        await Expect(asked.Locator(".who")).ToContainTextAsync("2a");
        await Expect(page.Locator("form.task.ask-due")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("countdown")).ToContainTextAsync("masih terhubung?");
        await app.ScreenshotAsync(page, "05b-console-question-asked");

        // The customer answers through the loopback simulator; the flow moves on to verification.
        await page.CustomerSaysAsync("Masih, saya mau tanya cara gadai emas");
        await Expect(page.Task("Task_Verifikasi")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("countdown")).ToHaveCountAsync(0);
        await page.DiagramShowsAsync("Task_Verifikasi");
        await app.ScreenshotAsync(page, "06-console-customer-replied");

        await page.CompleteAsync("Task_Verifikasi");
        await page.CompleteAsync("Task_Identifikasi");
        await page.CompleteAsync("Task_Solusi");
        await Expect(page.Task("Gateway_PerluTiket").Locator("button[data-outcome]")).ToHaveCountAsync(2);
        await page.CompleteAsync("Gateway_PerluTiket", "Tidak");
        await page.CompleteAsync("Task_TawarkanBantuan");
        await page.CustomerSaysAsync("Tidak, sudah cukup. Terima kasih");
        await page.CompleteAsync("Gateway_BantuanLain", "Tidak");
        await page.CompleteAsync("Task_SalamPenutup");
        await page.CompleteAsync("Gateway_Tertarik", "Tidak");
        await page.CompleteAsync("Task_Dokumentasi");

        await Expect(page.GetByTestId("status")).ToHaveTextAsync("Selesai");
        await Expect(page.GetByTestId("ended")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("conversations").Locator("li.selected")).ToContainTextAsync("Selesai");
        await app.ScreenshotAsync(page, "07-console-completed");

        // The English switch changes the interface words, never the SOP's texts.
        await page.GetByRole(AriaRole.Button, new() { Name = "EN" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Conversation", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("conversation").Locator(".msg.agent", new() { HasText = StillConnected })).ToHaveCountAsync(1);
        await app.ScreenshotAsync(page, "08-console-english");
        await page.GetByRole(AriaRole.Button, new() { Name = "ID" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Keluar" }).ClickAsync();
        await page.WaitForURLAsync("**/login");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Console_OlderAnswerLandsAfterNewerOne_KeepsTheNewerStep()
    {
        var page = await app.NewPageAsync();
        await page.SignInAsync(app, "agent.sari");
        var started = await page.APIRequest.PostAsync("/api/instances", new() { DataObject = new { channel = "whatsapp", customerRef = "+6281299990002" } });
        Assert.True(started.Ok, await started.TextAsync());
        var id = (await started.JsonAsync())!.Value.GetProperty("id").GetGuid();

        // The console's first read of the conversation is answered with the state of that moment
        // (the greeting open), but the answer is held back until a newer read has been drawn.
        var instanceUrl = $"{app.BaseUrl}/api/instances/{id}";
        var heldRead = new TaskCompletionSource<(IRoute Route, IAPIResponse Response)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(url => url == instanceUrl, async route =>
        {
            if (heldRead.Task.IsCompleted)
            {
                await route.FallbackAsync();
                return;
            }

            heldRead.SetResult((route, await route.FetchAsync()));
        });
        await page.TrackFetchesAsync();
        await page.GotoAsync($"/console/{id}");
        var (held, oldAnswer) = await heldRead.Task;
        await Expect(page.Locator(".live")).ToHaveTextAsync("Langsung");

        // The greeting is completed (as from another tab); the live event makes the console read again.
        var greeting = (await oldAnswer.JsonAsync())!.Value.GetProperty("tasks")[0];
        Assert.Equal("Task_SalamPembuka", greeting.GetProperty("elementId").GetString());
        var version = (await oldAnswer.JsonAsync())!.Value.GetProperty("version").GetInt64();
        var completed = await page.APIRequest.PostAsync(
            $"/api/instances/{id}/tasks/{greeting.GetProperty("id").GetInt64()}/complete",
            new() { DataObject = new { outcome = (string?)null, data = (object?)null, expectedVersion = version } });
        Assert.True(completed.Ok, await completed.TextAsync());
        await Expect(page.GetByTestId("countdown")).ToContainTextAsync("masih terhubung?");
        await page.DiagramShowsAsync("Event_Timer1");

        // The old answer lands last: the console must not go back to the greeting.
        await held.FulfillAsync(new() { Response = oldAnswer });
        await page.FetchesHandledAsync();
        await Expect(page.Task("Task_SalamPembuka")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("countdown")).ToContainTextAsync("masih terhubung?");
        await Expect(page.GetByTestId("diagram")).ToHaveAttributeAsync("data-current", "Event_Timer1");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Console_LiveUpdateWhileTyping_KeepsTheFocusInTheSimulator()
    {
        var page = await app.NewPageAsync();
        await page.TrackFetchesAsync();
        await page.SignInAsync(app, "agent.sari");
        var id = await page.StartContactAsync("whatsapp", "+6281299990003");
        var greeting = page.Task("Task_SalamPembuka");
        await Expect(greeting).ToBeVisibleAsync();
        var text = page.GetByTestId("sim-text");
        await text.FocusAsync();
        await page.Keyboard.TypeAsync("Halo");

        // The greeting is completed elsewhere (another tab): the live update redraws the screen,
        // moving the simulator box into the new tree while the agent types in it.
        var shown = (await (await page.APIRequest.GetAsync($"/api/instances/{id}")).JsonAsync())!.Value;
        var completed = await page.APIRequest.PostAsync(
            $"/api/instances/{id}/tasks/{shown.GetProperty("tasks")[0].GetProperty("id").GetInt64()}/complete",
            new() { DataObject = new { outcome = (string?)null, data = (object?)null, expectedVersion = shown.GetProperty("version").GetInt64() } });
        Assert.True(completed.Ok, await completed.TextAsync());
        await Expect(page.GetByTestId("countdown")).ToBeVisibleAsync();
        await Expect(greeting).ToHaveCountAsync(0);
        await page.FetchesHandledAsync();

        await Expect(text).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(", masih");
        await Expect(text).ToHaveValueAsync("Halo, masih");
        await page.Context.CloseAsync();
    }
}
