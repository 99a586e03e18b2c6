using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Quality;

/// <summary>The SOP document generated from the published flows, and what-if replay against another version, over HTTP.</summary>
[Collection(ServerCollection.Name)]
public sealed class DocumentAndWhatIfApiTests(ServerFixture server)
{
    [Fact]
    public async Task SopDocument_Html_HasTheHeaderAndEveryChannel_ForAnySignedInUser()
    {
        using var agent = await server.ClientForAsync("agent.sari");

        var response = await agent.GetAsync("/api/sop-document");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain("OCC.PGDN.01.01").And.Contain("<svg");
        foreach (var flow in new[] { "inbound-call", "social-media", "email", "whatsapp", "live-chat", "outlet-reservation" })
        {
            var name = JsonDocument.Parse(await (await agent.GetAsync($"/api/definitions/{flow}")).Content.ReadAsStringAsync()).RootElement;
            html.Should().Contain(System.Net.WebUtility.HtmlEncode(name.GetProperty("name").GetString()!), $"the {flow} flow has its section");
        }

        using var anonymous = server.Anonymous();
        (await anonymous.GetAsync("/api/sop-document")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WhatIf_AgainstItsOwnVersions_ShowsNoDivergence_AndIsForQcAndProcessOwners()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        using var qc = await server.ClientForAsync("qc.agus");
        var chat = await Conversation.StartAsync(sari, "live-chat", "+6281400000001");
        await chat.CompleteAsync("Task_SalamPembuka");
        await chat.CustomerSaysAsync("Halo", "wi-1");
        var pinned = (await chat.StateAsync()).GetProperty("pinnedVersions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

        var report = await qc.PostJsonAsync($"/api/instances/{chat.Id}/what-if", new { candidate = pinned });

        report.GetProperty("report").GetProperty("divergence").ValueKind.Should().Be(JsonValueKind.Null, report.ToString());
        await (await sari.PostAsJsonAsync($"/api/instances/{chat.Id}/what-if", new { candidate = pinned })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await qc.PostAsJsonAsync($"/api/instances/{chat.Id}/what-if", new { candidate = new Dictionary<string, int> { ["live-chat"] = 99 } })).ProblemAsync(HttpStatusCode.NotFound);
    }
}
