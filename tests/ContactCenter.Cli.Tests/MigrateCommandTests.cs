using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ContactCenter.Cli.Tests;

/// <summary><c>migrate</c> against the real server: propose, dry run, approve (four eyes), apply, and a refused mapping.</summary>
public sealed class MigrateCommandTests(InMemoryServer server) : IClassFixture<InMemoryServer>
{
    private Task<(int Code, string Out, string Err)> MigrateAsync(string user, params string[] args) =>
        CliRun.RunAsync(
            CliRun.Root,
            ["migrate", .. args, "--server", server.Url, "--user", user],
            server.Handler,
            new Dictionary<string, string> { ["CONTACTCENTER_PASSWORD"] = server.PasswordOf(user) });

    /// <summary>A live chat past its greeting, waiting in the "masih terhubung?" ladder, and still-connected v2 with the second rung redrawn.</summary>
    private async Task<Guid> ChatInTheLadderWithANewLadderPublishedAsync()
    {
        var runtime = server.Services.GetRequiredService<InstanceRuntime>();
        var chat = await runtime.StartAsync(new StartRequest { DefinitionKey = "live-chat", Channel = "live-chat", Agent = "agent.sari", Variables = new Dictionary<string, Value> { ["namaAgent"] = "Sari" } });
        await runtime.CompleteWorkItemAsync(chat.Id, (await runtime.GetStateAsync(chat.Id)).WorkItems.Single().Id, null, null, "agent.sari");
        var catalog = server.Services.GetRequiredService<DefinitionCatalog>();
        if ((await catalog.ListAsync("still-connected")).Count == 1)
        {
            var bpmn = (await catalog.GetAsync("still-connected", 1)).Bpmn.Replace("Event_Timer2", "Event_0k3x9a", StringComparison.Ordinal);
            var draft = await catalog.CreateDraftAsync(bpmn, "maker.x");
            await catalog.SubmitAsync(draft.Key, draft.Version, "maker.x");
            await catalog.CheckAsync(draft.Key, draft.Version, "checker.x");
            await catalog.ApproveAsync(draft.Key, draft.Version, "approver.x");
            await catalog.PublishAsync(draft.Key, draft.Version, DateTimeOffset.UtcNow.AddSeconds(-1));
        }

        return chat.Id;
    }

    [Fact]
    public async Task Migrate_ProposeDryRunApproveApply_MovesTheChat_AndTheProposerCannotApprove()
    {
        var chat = await ChatInTheLadderWithANewLadderPublishedAsync();

        var proposed = await MigrateAsync("owner.gadhong", "propose", "still-connected", "1", "2", "--instance", chat.ToString(), "--map", "Event_Timer2=Event_0k3x9a", "--note", "Tangga baru");
        proposed.Code.Should().Be(0, proposed.Err);
        proposed.Out.Should().MatchRegex("^migration [0-9a-f-]{36}: still-connected v1 -> v2, Proposed; proposed by owner.gadhong, 1 instance\\(s\\), ");
        var id = proposed.Out.Split(' ')[1].TrimEnd(':');

        var dryRun = await MigrateAsync("owner.gadhong", "dry-run", id);
        dryRun.Code.Should().Be(0, dryRun.Err);
        dryRun.Out.Should().Contain($"dry run:\n  CAN MOVE   {chat}  journal at ");

        var self = await MigrateAsync("owner.gadhong", "approve", id);
        self.Code.Should().Be(1);
        self.Err.Should().StartWith($"error: approve of migration {id} was refused (HTTP 403 Forbidden)");

        (await MigrateAsync("approver.rosyid", "approve", id)).Out.Should().Contain("Approved; ").And.Contain("decided by approver.rosyid");
        var applied = await MigrateAsync("approver.rosyid", "apply", id);
        applied.Code.Should().Be(0, applied.Err);
        applied.Out.Should().Contain($"result:\n  MOVED      {chat}  journal at ");
        (await server.Services.GetRequiredService<InstanceRuntime>().ReadJournalAsync(chat)).OfType<InstanceMigrated>().Should().ContainSingle();

        var shown = await MigrateAsync("reviewer.franskel", "show", id);
        shown.Code.Should().Be(0);
        shown.Out.Should().StartWith($"migration {id}: still-connected v1 -> v2, Applied; ").And.Contain("applied by approver.rosyid");
    }

    [Fact]
    public async Task Migrate_ProposeWithAMappingToAMissingElement_IsRefusedNamingIt_ExitsOne()
    {
        var chat = await ChatInTheLadderWithANewLadderPublishedAsync();

        var (code, output, error) = await MigrateAsync("owner.gadhong", "propose", "still-connected", "1", "2", "--instance", chat.ToString(), "--map", "Event_Timer2=Event_Tidak_Ada");

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().StartWith("error: proposing to move still-connected v1 -> v2: the mapping is refused (HTTP 422 Unprocessable Entity)")
            .And.Contain("Event_Timer2: [\"intermediateCatchEvent '1 menit tanpa respon' (Event_Timer2) is mapped to 'Event_Tidak_Ada', which is not an element of the new version\"]");
    }

    [Theory]
    [InlineData("--map", "tanpa-sama-dengan", "is not old=new")]
    [InlineData("--instance", "bukan-id", "is not an instance id")]
    public async Task Migrate_ProposeWithBadArguments_ExitsTwo(string option, string value, string message)
    {
        var (code, _, error) = await MigrateAsync("owner.gadhong", "propose", "still-connected", "1", "2", option, value);

        code.Should().Be(2);
        error.Should().Contain(message);
    }
}
