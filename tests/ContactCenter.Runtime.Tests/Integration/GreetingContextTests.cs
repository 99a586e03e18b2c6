using ContactCenter.Runtime.Instances;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary>The closing greeting is computed for the minute the agent closes, through the real runtime.</summary>
public class GreetingContextTests
{
    [Fact]
    public async Task ClosingGreeting_CallOpenedBefore1800AndClosedAfter_SaysSelamatBeristirahat()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 17, 55, 0, TimeSpan.FromHours(7)));
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var call = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "inbound-call", Channel = "inbound-call", Agent = "agent.sari", Variables = new Dictionary<string, Engine.Expressions.Value> { ["namaAgent"] = "Sari" } });

        var opening = (await fixture.Runtime.GetStateAsync(call.Id)).WorkItems.Single();
        opening.Script.Should().Contain("Selamat sore", "17:55 is in the afternoon band of the opening greeting");

        // The agent works through the call; the clock passes 18:00 on the way to the closing greeting.
        string? closingScript = null;
        for (var step = 0; step < 20 && closingScript is null; step++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var item = (await fixture.Runtime.GetStateAsync(call.Id)).WorkItems.Single();
            if (item.Name is { } name && name.Contains("salam penutup", StringComparison.OrdinalIgnoreCase))
            {
                closingScript = item.Script;
                break;
            }

            await fixture.Runtime.CompleteWorkItemAsync(call.Id, item.Id, item.Outcomes.Length > 0 ? "Tidak" : null, DocumentedData.For(item), "agent.sari");
        }

        clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).Hour.Should().Be(18);
        closingScript.Should().Contain("Selamat beristirahat");
    }

    [Fact]
    public async Task TaskScripts_ClosingStepOpenedAt1759ReadAt1801_ShowsSelamatBeristirahatWhileTheJournalKeepsTheOpeningText()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 17, 40, 0, TimeSpan.FromHours(7)));
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var call = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "inbound-call", Channel = "inbound-call", Agent = "agent.sari", Variables = new Dictionary<string, Engine.Expressions.Value> { ["namaAgent"] = "Sari" } });

        // One step a minute until the closing greeting opens, well before 18:00.
        Engine.WorkItem? closing = null;
        for (var step = 0; step < 15 && closing is null; step++)
        {
            var item = (await fixture.Runtime.GetStateAsync(call.Id)).WorkItems.Single();
            if (item.ElementId == "Task_SalamPenutup")
            {
                closing = item;
                break;
            }

            clock.Advance(TimeSpan.FromMinutes(1));
            await fixture.Runtime.CompleteWorkItemAsync(call.Id, item.Id, item.Outcomes.Length > 0 ? "Tidak" : null, DocumentedData.For(item), "agent.sari");
        }

        closing.Should().NotBeNull("the inbound call reaches its closing greeting within 15 steps");
        clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).Hour.Should().Be(17);
        closing!.Script.Should().Contain("Selamat beraktifitas", "the engine resolved the script when the step opened, before 18:00");

        var scripts = fixture.Host!.Services.GetRequiredService<TaskScripts>();
        var state = await fixture.Runtime.GetStateAsync(call.Id);
        (await scripts.CurrentAsync(state))[closing.Id].Should().Contain("Selamat beraktifitas", "before 18:00 the text is unchanged");

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 18, 1, 0, TimeSpan.FromHours(7)));
        var now = await scripts.CurrentAsync(await fixture.Runtime.GetStateAsync(call.Id));
        now[closing.Id].Should().Contain("Selamat beristirahat").And.NotContain("Selamat beraktifitas");
        (await fixture.Runtime.GetStateAsync(call.Id)).WorkItems.Single().Script.Should().Contain("Selamat beraktifitas", "reading writes nothing");
    }
}
