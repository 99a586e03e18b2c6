using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

[Collection(WebAppCollection.Name)]
public sealed partial class DesignerTests(WebAppFixture app)
{
    private const string NewScript = "Terima kasih telah menghubungi Contact Center Pegadaian. {salamPenutup}. Semoga harimu menyenangkan, sampai jumpa di Pegadaian.";

    [Fact]
    public async Task Owner_EditsAndSubmits_ReviewerSeesTheDiffAndChecks_ApproverApproves_OwnerPublishesWithADate()
    {
        // The process owner opens the WhatsApp flow in effect and starts a new draft from it.
        var owner = await app.NewPageAsync();
        await owner.SignInAsync(app, "owner.gadhong");
        await owner.GotoAsync("/designer");
        var whatsapp = owner.GetByTestId("definition").And(owner.Locator("[data-key=whatsapp]"));
        await Expect(whatsapp.GetByTestId("in-effect")).ToContainTextAsync("v1");
        await Expect(whatsapp.Locator("[data-testid=version-row][data-version='1'] [data-testid=version-status]")).ToHaveAttributeAsync("data-state", "Published");
        await app.ScreenshotAsync(owner, "designer-01-list");

        await whatsapp.Locator("[data-testid=version-row][data-version='1']").GetByRole(AriaRole.Link, new() { Name = "Buka" }).ClickAsync();
        await Expect(owner.GetByTestId("read-only")).ToBeVisibleAsync();
        await Expect(owner.GetByTestId("viewer")).ToHaveAttributeAsync("data-ready", "true");
        await owner.GetByTestId("new-draft").ClickAsync();
        await owner.WaitForModelerAsync();
        await Expect(owner.GetByTestId("lint-issues")).ToHaveAttributeAsync("data-count", "0");

        // A lint error appears on the canvas when the service kind is emptied, the server agrees, and it goes once fixed.
        await owner.SelectAsync("Task_EskalasiTiket");
        await Expect(owner.Property("serviceKind")).ToHaveValueAsync("createTicket");
        await owner.Property("serviceKind").FillAsync(string.Empty);
        await Expect(owner.LintMarker("Task_EskalasiTiket")).ToBeVisibleAsync();
        var issue = owner.GetByTestId("lint-issues").Locator("li.cc-issue[data-element='Task_EskalasiTiket']");
        await Expect(issue).ToHaveAttributeAsync("data-rule", "cc/service-kind");
        await Expect(issue).ToContainTextAsync("cc:serviceKind");
        await owner.GetByTestId("validate").ClickAsync();
        await Expect(owner.GetByTestId("server-problems").Locator("li.cc-issue[data-element='Task_EskalasiTiket']")).ToContainTextAsync("cc:serviceKind");
        await Expect(owner.Modeler().Locator(".cc-server-badge[data-element='Task_EskalasiTiket']")).ToBeVisibleAsync();
        await app.ScreenshotAsync(owner, "designer-02-lint-error");
        await owner.Property("serviceKind").FillAsync("createTicket");
        await Expect(owner.LintMarker("Task_EskalasiTiket")).ToHaveCountAsync(0);
        await Expect(owner.GetByTestId("lint-issues")).ToHaveAttributeAsync("data-count", "0");

        // Step 6's script, edited in the properties panel exactly as the SOP writes it, saved as a new draft.
        await owner.SelectAsync("Task_SalamPenutup");
        await Expect(owner.Property("step")).ToHaveValueAsync("6");
        await owner.Property("script").FillAsync(NewScript);
        await Expect(owner.GetByTestId("dirty")).ToBeVisibleAsync();
        await owner.GetByTestId("change-note").FillAsync("Langkah 6: salam penutup diperbarui");
        await app.ScreenshotAsync(owner, "designer-03-properties");
        await owner.GetByTestId("save").ClickAsync();
        await owner.WaitForURLAsync(VersionUrl());
        var version = int.Parse(VersionUrl().Match(owner.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        version.Should().BeGreaterThan(1);
        await owner.ExpectStatusAsync("Draft");
        await owner.WaitForModelerAsync();
        await owner.SelectAsync("Task_SalamPenutup");
        await Expect(owner.Property("script")).ToHaveValueAsync(NewScript);

        await owner.Action("submit").ClickAsync();
        await owner.ExpectStatusAsync("InReview");
        await Expect(owner.GetByTestId("designer-message")).ToHaveAttributeAsync("data-kind", "ok");

        // The reviewer finds it awaiting a check and compares it with the version in effect.
        var reviewer = await app.NewPageAsync();
        await reviewer.SignInAsync(app, "reviewer.franskel");
        await reviewer.GotoAsync("/designer");
        var awaiting = reviewer.GetByTestId("awaiting-item").And(reviewer.Locator($"[data-key=whatsapp][data-version='{version}']"));
        await Expect(awaiting).ToContainTextAsync("Perlu diperiksa");
        await awaiting.GetByRole(AriaRole.Link).ClickAsync();
        await reviewer.ExpectStatusAsync("InReview");
        await reviewer.GetByTestId("compare-in-effect").First.ClickAsync();
        var right = reviewer.GetByTestId("diff-right");
        await Expect(right).ToHaveAttributeAsync("data-ready", "true");
        await Expect(right.Locator("g.djs-element.cc-diff-changed[data-element-id='Task_SalamPenutup']")).ToHaveCountAsync(1);
        await Expect(reviewer.GetByTestId("diff-left").Locator("g.djs-element.cc-diff-changed[data-element-id='Task_SalamPenutup']")).ToHaveCountAsync(1);
        await Expect(right.Locator("g.djs-element.cc-diff-changed[data-element-id='Task_Verifikasi']")).ToHaveCountAsync(0);
        var change = reviewer.GetByTestId("diff-row").And(reviewer.Locator("[data-element='Task_SalamPenutup'][data-change='changed']"));
        await Expect(change).ToContainTextAsync("cc:script");
        await Expect(change).ToContainTextAsync("Semoga harimu menyenangkan");
        await Expect(reviewer.GetByTestId("legend")).ToBeVisibleAsync();
        await app.ScreenshotAsync(reviewer, "designer-04-diff");

        await reviewer.GotoAsync($"/designer/whatsapp/{version}");
        await Expect(reviewer.GetByTestId("read-only")).ToBeVisibleAsync();
        await reviewer.Action("check").ClickAsync();
        await reviewer.ExpectStatusAsync("Checked");
        await app.ScreenshotAsync(reviewer, "designer-05-checked");

        // The approver approves; the owner publishes with an effective date.
        var approver = await app.NewPageAsync();
        await approver.SignInAsync(app, "approver.rosyid");
        await approver.GotoAsync("/designer");
        var toApprove = approver.GetByTestId("awaiting-item").And(approver.Locator($"[data-key=whatsapp][data-version='{version}']"));
        await Expect(toApprove).ToContainTextAsync("Perlu disetujui");
        await toApprove.GetByRole(AriaRole.Link).ClickAsync();
        await approver.Action("approve").ClickAsync();
        await approver.ExpectStatusAsync("Approved");

        // Effective tomorrow at 08:00 WIB: scheduled, so conversations of the other tests keep v1.
        var tomorrow = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).Date.AddDays(1).AddHours(8);
        var effective = new DateTimeOffset(tomorrow, TimeSpan.FromHours(7));
        await owner.GotoAsync($"/designer/whatsapp/{version}");
        await owner.ExpectStatusAsync("Approved");
        await owner.GetByTestId("effective-from").FillAsync(tomorrow.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await app.ScreenshotAsync(owner, "designer-06-publish");
        await owner.Action("publish").ClickAsync();
        await owner.ExpectStatusAsync("Scheduled");

        await owner.GotoAsync("/designer/whatsapp");
        var row = owner.Locator($"[data-testid=version-row][data-version='{version}']");
        await Expect(row.GetByTestId("version-status")).ToHaveAttributeAsync("data-state", "Scheduled");
        await Expect(row.GetByTestId("version-status")).ToHaveTextAsync("Terbit (terjadwal)");
        var iso = await row.GetByTestId("effective").GetAttributeAsync("data-iso");
        DateTimeOffset.Parse(iso!, System.Globalization.CultureInfo.InvariantCulture).Should().Be(effective);
        await Expect(row.GetByTestId("effective")).ToContainTextAsync("08.00");
        await Expect(row.GetByTestId("effective")).ToContainTextAsync(tomorrow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(owner.GetByTestId("in-effect")).ToContainTextAsync("v1");
        await app.ScreenshotAsync(owner, "designer-07-versions");

        // The .bpmn downloads with the new script, exactly as written.
        var download = await owner.RunAndWaitForDownloadAsync(() => row.GetByTestId("download").ClickAsync());
        download.SuggestedFilename.Should().Be($"whatsapp-v{version}.bpmn");
        var path = Path.Combine(app.DataFolder, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        var bpmn = await File.ReadAllTextAsync(path);
        bpmn.Should().Contain("cc:script=\"" + NewScript + "\"");
        bpmn.Should().Contain("cc:serviceKind=\"createTicket\"");

        foreach (var page in new[] { owner, reviewer, approver })
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Reviewer_ReturnsToDraftWithANote_AndAStalePagesCheckIsRefusedClearly()
    {
        var owner = await app.NewPageAsync();
        await owner.SignInAsync(app, "owner.gadhong");
        await owner.GotoAsync("/designer/still-connected/1?edit=1");
        await owner.WaitForModelerAsync();
        await owner.GetByTestId("change-note").FillAsync("Uji kembalikan ke draf");
        await owner.GetByTestId("save").ClickAsync();
        await owner.WaitForURLAsync(VersionUrl());
        var url = new Uri(owner.Url).AbsolutePath;
        await owner.Action("submit").ClickAsync();
        await owner.ExpectStatusAsync("InReview");
        await owner.Context.CloseAsync();

        // Two tabs of the reviewer on the version in review; the first sends it back with a note.
        var reviewer = await app.NewPageAsync();
        await reviewer.SignInAsync(app, "reviewer.franskel");
        await reviewer.GotoAsync(url);
        var stale = await reviewer.Context.NewPageAsync();
        await stale.GotoAsync(url);
        await Expect(stale.Action("check")).ToBeEnabledAsync();

        await reviewer.GetByTestId("return-note").FillAsync("Langkah 2a: skrip perlu dicek ulang");
        await reviewer.Action("return").ClickAsync();
        await reviewer.ExpectStatusAsync("Draft");
        await Expect(reviewer.Locator(".cc-change-note")).ToContainTextAsync("[reviewer.franskel] Langkah 2a: skrip perlu dicek ulang");
        await Expect(reviewer.GetByTestId("lifecycle")).ToHaveCountAsync(0);
        await app.ScreenshotAsync(reviewer, "designer-08-returned");

        // The stale tab still offers "check": the server's 409 is shown as a wrong state, not swallowed.
        await stale.Action("check").ClickAsync();
        var message = stale.GetByTestId("designer-message");
        await Expect(message).ToHaveAttributeAsync("data-kind", "error");
        await Expect(message).ToContainTextAsync("(409)");
        await Expect(message).ToContainTextAsync("is Draft, not InReview");
        await app.ScreenshotAsync(stale, "designer-09-refused");
        await reviewer.Context.CloseAsync();
    }

    [Fact]
    public async Task BrokenFlows_LintAndServerValidator_FindTheSameElements()
    {
        var owner = await app.NewPageAsync();
        await owner.SignInAsync(app, "owner.gadhong");
        await owner.GotoAsync("/designer/whatsapp/1?edit=1");
        await owner.WaitForModelerAsync();
        var lint = owner.GetByTestId("lint-issues");
        var server = owner.GetByTestId("server-problems");
        var document = 1;
        await Expect(lint).ToHaveAttributeAsync("data-document", "1");

        var disagreements = new List<string>();
        var directory = Path.Combine(app.DataFolder, "broken-flows");
        Directory.CreateDirectory(directory);
        foreach (var (name, bpmn) in BrokenFlows.All())
        {
            var file = Path.Combine(directory, name + ".bpmn");
            await File.WriteAllTextAsync(file, bpmn);
            await owner.GetByTestId("import-file").SetInputFilesAsync(file);
            document++;
            await Expect(lint).ToHaveAttributeAsync("data-document", document.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(server).ToHaveAttributeAsync("data-count", string.Empty);
            await owner.GetByTestId("validate").ClickAsync();
            await Expect(server).ToHaveAttributeAsync("data-count", new Regex(@"^\d+$"));

            var byLint = await owner.ElementIdsAsync("lint-issues");
            var byServer = await owner.ElementIdsAsync("server-problems");
            if (name.StartsWith("valid-", StringComparison.Ordinal) ? byLint.Length + byServer.Length > 0 : byServer.Length == 0 || !byLint.SequenceEqual(byServer))
            {
                disagreements.Add($"{name}: lint [{string.Join(", ", byLint)}] server [{string.Join(", ", byServer)}]");
            }

            if (name == "plain-task-outside-subset")
            {
                await app.ScreenshotAsync(owner, "designer-10-agreement");
            }
        }

        disagreements.Should().BeEmpty();
        await owner.Context.CloseAsync();
    }

    [GeneratedRegex(@"/designer/[a-z0-9-]+/(\d+)$")]
    private static partial Regex VersionUrl();
}
