using System.Text.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Conversations;

/// <summary>
/// A whole conversation per channel over HTTP: each channel's scripted sample (samples/conversations)
/// driven through the API as an agent's console would, to the status the sample expects, with a
/// journal that replays exactly.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class EveryChannelTests(ServerFixture server)
{
    public static TheoryData<string> Samples() =>
    [
        "inbound-call/happy-path",
        "email/happy-path",
        "whatsapp/complaint-ticket",
        "live-chat/happy-path",
        "social-media/happy-path",
        "outlet-reservation/confirmed",
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_DrivenOverHttp_EndsAsTheSampleExpects(string sample)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(ServerFactory.RepoRoot, "samples", "conversations", sample + ".json")));
        var script = file.RootElement;
        var workflow = script.GetProperty("workflow").GetString()!;
        using var agent = await server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(agent, workflow, "cust-" + sample.Replace('/', '-'));

        await chat.PlayAsync(script.GetProperty("steps"), sample);

        var state = await chat.StateAsync();
        state.GetProperty("status").GetString().Should().Be(script.GetProperty("expect").GetProperty("status").GetString());
        var journal = (await agent.GetJsonAsync($"{chat.Url}/journal")).EnumerateArray().ToList();
        var services = journal.Where(e => e.GetProperty("type").GetString() == "service-invoked@1").Select(e => e.GetProperty("serviceKind").GetString()).ToList();
        if (script.GetProperty("expect").TryGetProperty("services", out var expectedServices))
        {
            services.Should().Equal(expectedServices.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString() : s.GetProperty("kind").GetString()));
        }

        using var qc = await server.ClientForAsync("qc.agus");
        (await qc.GetJsonAsync($"/api/instances/{chat.Id}/replay")).GetProperty("matches").GetBoolean().Should().BeTrue();
    }
}
