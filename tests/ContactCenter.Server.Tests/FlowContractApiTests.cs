using System.Net;
using System.Text;
using FluentAssertions;

namespace ContactCenter.Server.Tests;

/// <summary>The modules' flow contracts through the server: the designer's check and draft creation refuse a flow lacking what the code reads.</summary>
[Collection(ServerCollection.Name)]
public sealed class FlowContractApiTests(ServerFixture server)
{
    private static string Workflow(string name) => File.ReadAllText(Path.Combine(ServerFactory.WorkflowsFolder, name));

    private static string As(string bpmn, string key, string asKey) =>
        bpmn.Replace($"<bpmn:process id=\"{key}\"", $"<bpmn:process id=\"{asKey}\"", StringComparison.Ordinal)
            .Replace($"processRef=\"{key}\"", $"processRef=\"{asKey}\"", StringComparison.Ordinal)
            .Replace($"bpmnElement=\"{key}\"", $"bpmnElement=\"{asKey}\"", StringComparison.Ordinal);

    private static StringContent Xml(string bpmn) => new(bpmn, Encoding.UTF8, "application/xml");

    [Fact]
    public async Task Check_TicketFlowWithoutItsDecision_NamesThePurposeAndTheTicketDesk_WithElementAndLine()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        var broken = As(Workflow("ticket-escalation.bpmn"), "ticket-escalation", "ticket-contract")
            .Replace(" cc:purpose=\"tier2-decision\"", string.Empty, StringComparison.Ordinal);

        var verdict = await (await owner.PostAsync("/api/definitions/validate", Xml(broken))).JsonAsync();

        verdict.GetProperty("valid").GetBoolean().Should().BeFalse();
        var problem = verdict.GetProperty("problems").EnumerateArray().Should().ContainSingle().Subject;
        problem.GetProperty("elementId").GetString().Should().Be("ticket-contract");
        problem.GetProperty("line").GetInt32().Should().Be(1 + broken.AsSpan(0, broken.IndexOf("<bpmn:process ", StringComparison.Ordinal)).Count('\n'));
        problem.GetProperty("message").GetString().Should().Be("no step has cc:purpose tier2-decision, which a ticket flow must have: the ticket desk's dispatch and close needs it");
    }

    [Fact]
    public async Task CreateDraft_WithAPurposeTwice_Is422_AndStoresNothing()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        var broken = As(Workflow("still-connected.bpmn"), "still-connected", "still-connected-contract")
            .Replace("cc:purpose=\"still-connected-prompt-2\"", "cc:purpose=\"still-connected-prompt-1\"", StringComparison.Ordinal);

        var problem = await (await owner.PostAsync("/api/definitions", Xml(broken))).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        problem.GetRawText().Should().Contain("cc:purpose still-connected-prompt-1 is on 2 steps (Task_Ask2a, Task_Ask2b)");
        await (await owner.GetAsync("/api/definitions/still-connected-contract")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreateDraft_DroppingTheKindItsPublishedVersionDeclares_Is422()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        var unsigned = Workflow("ticket-escalation.bpmn").Replace(" cc:flowKind=\"ticket\"", string.Empty, StringComparison.Ordinal);

        var problem = await (await owner.PostAsync("/api/definitions", Xml(unsigned))).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        problem.GetRawText().Should().Contain("cc:flowKind must stay 'ticket'");
    }
}
