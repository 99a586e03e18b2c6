using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>What a user does in the app, in the words of its screens.</summary>
internal static partial class Browser
{
    public static async Task SignInAsync(this IPage page, WebAppFixture app, string userName)
    {
        await page.GotoAsync("/");
        await page.ShowsSignInAsync();
        await page.GetByLabel("Nama pengguna").FillAsync(userName);
        await page.GetByLabel("Kata sandi").FillAsync(app.PasswordOf(userName));
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        await Expect(page.GetByTestId("user")).ToContainTextAsync(userName.Split('.')[^1], new() { IgnoreCase = true });
    }

    /// <summary>Waits until the app has moved to /login.</summary>
    /// <remarks>
    /// The app gets there with history.replaceState once /api/auth/me answers 401, sometimes before
    /// GotoAsync returns; WaitForURLAsync then waited for a navigation already over (a timeout in one
    /// of six loaded runs). The assertion polls the page's URL instead.
    /// </remarks>
    public static Task ShowsSignInAsync(this IPage page) => Expect(page).ToHaveURLAsync(SignInUrl());

    public static ILocator Task(this IPage page, string elementId) => page.Locator($"form[data-testid=task][data-element='{elementId}']");

    /// <summary>Completes the open step <paramref name="elementId"/> (its "Selesai" button, or an outcome) and waits until it is gone.</summary>
    public static async Task CompleteAsync(this IPage page, string elementId, string outcome = "")
    {
        var task = page.Task(elementId);
        await FillFieldsAsync(task);
        await task.Locator($"button[data-outcome='{outcome}']").ClickAsync();
        await Expect(task).ToHaveCountAsync(0);
    }

    /// <summary>Fills the fields a step asks for (the documentation step's) with values the server accepts: a list's first choice, text otherwise.</summary>
    public static async Task FillFieldsAsync(ILocator task)
    {
        var fields = task.Locator("[data-field]");
        for (var i = 0; i < await fields.CountAsync(); i++)
        {
            var field = fields.Nth(i);
            if (await field.EvaluateAsync<string>("e => e.tagName") == "SELECT")
            {
                await field.SelectOptionAsync(new SelectOptionValue { Index = 1 });
            }
            else if (string.IsNullOrEmpty(await field.InputValueAsync()))
            {
                await field.FillAsync("Tabungan Emas");
            }
        }
    }

    public static async Task CustomerSaysAsync(this IPage page, string text)
    {
        await page.GetByTestId("sim-text").FillAsync(text);
        await page.GetByTestId("sim-send").ClickAsync();
        await Expect(page.GetByTestId("conversation").Locator(".msg.customer", new() { HasText = text })).ToBeVisibleAsync();
    }

    public static async Task<Guid> StartContactAsync(this IPage page, string channel, string customer)
    {
        var form = page.GetByTestId("start-form");
        await form.Locator("select[name=channel]").SelectOptionAsync(channel);
        await form.Locator("input[name=customerRef]").FillAsync(customer);
        await form.GetByRole(AriaRole.Button, new() { Name = "Mulai" }).ClickAsync();
        await page.WaitForURLAsync(ConsoleUrl());
        return Guid.Parse(ConsoleUrl().Match(page.Url).Groups[1].Value);
    }

    /// <summary>The queue's row of the ticket whose text holds <paramref name="text"/>, once it shows (the queue refreshes live).</summary>
    public static async Task<ILocator> TicketRowAsync(this IPage page, string text)
    {
        await page.WaitForURLAsync("**/tickets");
        var row = page.GetByTestId("ticket-row").Filter(new() { HasText = text });
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });
        return row;
    }

    /// <summary>Tier 2 dispatches the open ticket to <paramref name="unit"/> and waits until the form is gone and the unit shown.</summary>
    public static async Task DispatchAsync(this IPage page, string unit, string note)
    {
        var dispatch = page.GetByTestId("dispatch");
        await dispatch.Locator("input[name=unit]").FillAsync(unit);
        await dispatch.Locator("input[name=note]").FillAsync(note);
        await dispatch.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(dispatch).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Expect(page.Locator("dl.facts")).ToContainTextAsync(unit);
    }

    /// <summary>Tier 2 closes the ticket with <paramref name="memo"/> once the close form shows (live, after the related team).</summary>
    public static async Task CloseTicketAsync(this IPage page, string memo)
    {
        var close = page.GetByTestId("close");
        await Expect(close).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await close.Locator("textarea[name=memo]").FillAsync(memo);
        await close.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Tiket sudah ditutup");
    }

    /// <summary>Waits until the diagram is drawn with <paramref name="elementId"/> highlighted.</summary>
    public static async Task DiagramShowsAsync(this IPage page, string elementId)
    {
        var diagram = page.GetByTestId("diagram");
        await Expect(diagram).ToHaveAttributeAsync("data-ready", "true");
        await Expect(diagram.Locator($"g.djs-element.cc-current[data-element-id='{elementId}']")).ToHaveCountAsync(1);
    }

    /// <summary>
    /// Counts the app's fetches in the page (from its next load on) until their bodies are read and
    /// what the app does with them has run, for <see cref="FetchesHandledAsync"/>.
    /// </summary>
    public static Task TrackFetchesAsync(this IPage page) => page.AddInitScriptAsync("""
        (() => {
          const fetch = window.fetch.bind(window);
          window.ccFetchesPending = 0;
          // A macrotask after the body is read runs after every promise continuation the app chained on it.
          const settle = () => setTimeout(() => window.ccFetchesPending--, 0);
          window.fetch = (...args) => {
            window.ccFetchesPending++;
            return fetch(...args).then(response => {
              const text = response.text.bind(response);
              response.text = () => text().finally(settle);
              return response;
            }, error => { settle(); throw error; });
          };
        })();
        """);

    /// <summary>Waits until every fetch the app started (after <see cref="TrackFetchesAsync"/>) has been answered and handled.</summary>
    public static Task FetchesHandledAsync(this IPage page) => page.WaitForFunctionAsync("() => window.ccFetchesPending === 0");

    [GeneratedRegex("/login$")]
    private static partial Regex SignInUrl();

    [GeneratedRegex("/console/([0-9a-f-]{36})$")]
    private static partial Regex ConsoleUrl();
}
