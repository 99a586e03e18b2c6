using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed class UserAdministrationTests(WebAppFixture app)
{
    [Fact]
    public async Task Admin_AddsAnAgentWhoSignsIn_ResetsTheirPassword_DisablesThem()
    {
        var admin = await app.NewPageAsync();
        admin.Dialog += (_, dialog) => dialog.AcceptAsync();
        await admin.SignInAsync(app, "admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Pengguna" }).ClickAsync();
        await Expect(admin.GetByTestId("user").Filter(new() { HasText = "agent.sari" })).ToBeVisibleAsync();

        // Add an agent: the password the server made is shown once.
        var add = admin.GetByTestId("add-user");
        await add.GetByLabel("Nama pengguna").FillAsync("agent.wati");
        await add.GetByLabel("Nama tampilan").FillAsync("Wati");
        await add.Locator("input[name=role-Agent]").CheckAsync();
        await add.GetByRole(AriaRole.Button, new() { Name = "Tambah pengguna" }).ClickAsync();
        var shown = admin.GetByTestId("new-password").GetByTestId("password");
        await Expect(shown).ToBeVisibleAsync();
        var password = await shown.TextContentAsync();
        var row = admin.GetByTestId("user").Filter(new() { HasText = "agent.wati" });
        await Expect(row).ToContainTextAsync("Agent");
        await app.ScreenshotAsync(admin, "50-users-added");

        // The new agent signs in with it.
        var agent = await app.NewPageAsync();
        await agent.GotoAsync("/");
        await agent.ShowsSignInAsync();
        await agent.GetByLabel("Nama pengguna").FillAsync("agent.wati");
        await agent.GetByLabel("Kata sandi").FillAsync(password!);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        await Expect(agent.GetByTestId("user")).ToContainTextAsync("Wati");

        // A reset shows a different password; disabling marks the row.
        await row.GetByTestId("reset-password").ClickAsync();
        await Expect(shown).Not.ToHaveTextAsync(password!);
        await row.GetByTestId("disable").ClickAsync();
        await Expect(row.GetByTestId("user-status")).ToHaveTextAsync("Nonaktif");
        await Expect(admin.GetByTestId("user-audit")).ToContainTextAsync("admin → agent.wati: disabled");

        // The disabled agent's next request sends them to the sign-in.
        await agent.ReloadAsync();
        await agent.ShowsSignInAsync();

        await admin.Context.CloseAsync();
        await agent.Context.CloseAsync();
    }
}
