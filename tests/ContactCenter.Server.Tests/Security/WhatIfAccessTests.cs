using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Security;

/// <summary>
/// What-if gives each role what its REST routes give it: roles that read conversations get the
/// candidate journal with the customer's words; process owners, reviewers and approvers (refused
/// the journal) get the comparison only.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WhatIfAccessTests(ServerFixture server)
{
    private const string Secret = "Nomor rekening saya 1234567890";

    [Theory]
    [InlineData("owner.gadhong")]
    [InlineData("reviewer.franskel")]
    [InlineData("approver.rosyid")]
    public async Task WhatIf_ForARoleRefusedTheJournal_HasNoJournalAgentOrCustomerWords(string user)
    {
        var id = await ConversationWithAMessageAsync();
        using var client = await server.ClientForAsync(user);
        (await client.GetAsync($"/api/instances/{id}/journal")).StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden, "the REST rule the what-if must match");

        var one = await client.PostJsonAsync($"/api/instances/{id}/what-if", new { candidate = await SameVersionAsync() });
        var many = await client.PostJsonAsync("/api/what-if", new { candidate = await SameVersionAsync(), channel = "whatsapp" });

        one.GetProperty("report").GetProperty("candidateJournal").GetArrayLength().Should().Be(0);
        one.GetProperty("agent").ValueKind.Should().Be(JsonValueKind.Null);
        one.GetProperty("report").GetProperty("inputsApplied").GetInt32().Should().BeGreaterThan(0, "the comparison itself is still there");
        one.ToString().Should().NotContain(Secret);
        many.ToString().Should().NotContain(Secret).And.NotContain("agent.sari");
    }

    [Fact]
    public async Task WhatIf_ForQualityControl_HasTheCandidateJournal()
    {
        var id = await ConversationWithAMessageAsync();
        using var qc = await server.ClientForAsync("qc.agus");

        var one = await qc.PostJsonAsync($"/api/instances/{id}/what-if", new { candidate = await SameVersionAsync() });

        one.GetProperty("report").GetProperty("candidateJournal").GetArrayLength().Should().BeGreaterThan(0);
        one.GetProperty("agent").GetString().Should().Be("agent.sari");
        one.ToString().Should().Contain(Secret);
    }

    /// <summary>The conversation's own whatsapp version as the candidate: the comparison is the point, not a change.</summary>
    private async Task<Dictionary<string, int>> SameVersionAsync()
    {
        using var admin = await server.ClientForAsync("admin");
        var state = await admin.GetJsonAsync($"/api/instances/{await ConversationWithAMessageAsync()}");
        return new Dictionary<string, int> { ["whatsapp"] = state.GetProperty("definitionVersion").GetInt32() };
    }

    private Task<Guid> ConversationWithAMessageAsync() => server.SharedAsync("what-if-access", async () =>
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+6281200007001");
        await chat.CompleteAsync("Task_SalamPembuka");
        await chat.CustomerSaysAsync(Secret, "wi-1");
        return chat.Id;
    });
}
