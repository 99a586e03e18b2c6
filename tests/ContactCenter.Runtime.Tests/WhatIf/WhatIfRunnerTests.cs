using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Modules.Quality.WhatIf;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.WhatIf;

/// <summary>What-if over histories the runtime made, against a draft of the still-connected ladder.</summary>
public class WhatIfRunnerTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    private sealed record Setup(RuntimeFixture Fixture, FakeTimeProvider Clock, WhatIfRunner Runner) : IAsyncDisposable
    {
        public InstanceRuntime Runtime => Fixture.Runtime;

        public ValueTask DisposeAsync() => Fixture.DisposeAsync();
    }

    private static async Task<Setup> StartAsync()
    {
        var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var clock = new FakeTimeProvider(Monday);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        return new Setup(fixture, clock, new WhatIfRunner(fixture.Catalog, fixture.Store, fixture.Queries));
    }

    private static async Task<Guid> StartChatAsync(Setup s)
    {
        var record = await s.Runtime.StartAsync(new StartRequest
        {
            DefinitionKey = "live-chat",
            Channel = "live-chat",
            Agent = "agent.sari",
            Variables = new Dictionary<string, Value> { ["namaAgent"] = "Sari" },
        });
        await CompleteAsync(s, record.Id, "Task_SalamPembuka");
        return record.Id;
    }

    private static async Task CompleteAsync(Setup s, Guid id, string elementId, string? outcome = null)
    {
        var item = (await s.Runtime.GetStateAsync(id)).WorkItems.Single(w => w.ElementId == elementId);
        await s.Runtime.CompleteWorkItemAsync(id, item.Id, outcome, null, "agent.sari");
    }

    /// <summary>Moves the clock on and fires what fell due, as the scheduler would.</summary>
    private static async Task AdvanceAsync(Setup s, Guid id, TimeSpan by)
    {
        var until = s.Clock.GetUtcNow() + by;
        while ((await s.Runtime.GetStateAsync(id)).NextTimer() is { } timer && timer.DueAt <= until)
        {
            s.Clock.SetUtcNow(timer.DueAt);
            await s.Runtime.FireAsync(id, timer.Id);
        }

        s.Clock.SetUtcNow(until);
    }

    private static async Task<int> LongerSilenceDraftAsync(Setup s)
    {
        var bpmn = File.ReadAllText(Path.Combine(s.Fixture.WorkflowsFolder, "still-connected.bpmn")).Replace(">PT1M<", ">PT2M<", StringComparison.Ordinal);
        var draft = await s.Fixture.Catalog.CreateDraftAsync(bpmn, "owner.gadhong", "Jeda 2 menit");
        return draft.Version;
    }

    [Fact]
    public async Task RunMany_LongerSilenceDraft_OverAPeriod_ShowsTheSilentChatShiftAndCountsIt()
    {
        await using var s = await StartAsync();

        // A chat the customer leaves: asked at +1 and +2 minutes, closed at +3, documented at +4.
        var silent = await StartChatAsync(s);
        await AdvanceAsync(s, silent, TimeSpan.FromMinutes(4));
        await CompleteAsync(s, silent, "Task_Dokumentasi");
        (await s.Runtime.GetAsync(silent)).Status.Should().Be(InstanceStatus.Completed);

        // A chat where the customer answers within half a minute and the agent goes on.
        var answered = await StartChatAsync(s);
        await AdvanceAsync(s, answered, TimeSpan.FromSeconds(30));
        await s.Runtime.DeliverMessageAsync(answered, "Mau tanya gadai emas", "m-1", "nasabah.budi");
        await CompleteAsync(s, answered, "Task_Verifikasi");

        // A chat on the next day: outside the period.
        s.Clock.Advance(TimeSpan.FromDays(1));
        await StartChatAsync(s);

        var draft = await LongerSilenceDraftAsync(s);
        var batch = await s.Runner.RunManyAsync(new WhatIfRequest
        {
            Candidate = new Dictionary<string, int> { ["still-connected"] = draft },
            DefinitionKey = "live-chat",
            StartedFrom = Monday,
            StartedTo = Monday.AddHours(12),
        });

        batch.Conversations.Select(c => c.InstanceId).Should().Equal(silent, answered);
        batch.Failed.Should().Be(0);
        batch.Conversations.Should().OnlyContain(c => c.CandidateVersions["still-connected"] == draft && c.CandidateVersions["live-chat"] == 1);

        var shifted = batch.Conversations[0].Report!;
        shifted.Original.ClosedBySilence.Should().BeTrue();
        shifted.Candidate.SilenceClosedAt.Should().Be(shifted.Original.StartedAt!.Value.AddMinutes(6));
        shifted.Misfits.Should().ContainSingle().Which.ElementId.Should().Be("Task_Dokumentasi");
        shifted.Candidate.Status.Should().Be(InstanceStatus.Running);
        shifted.Divergence.Should().NotBeNull();

        var same = batch.Conversations[1].Report!;
        same.Diverged.Should().BeFalse();
        same.OutcomeShifted.Should().BeFalse();
        same.Misfits.Should().BeEmpty();

        batch.Summary.Conversations.Should().Be(2);
        batch.Summary.Diverged.Should().Be(1);
        batch.Summary.OutcomeShifted.Should().Be(1);
        batch.Summary.StatusShifts.Should().Equal(new Dictionary<string, int> { ["Completed→Running"] = 1 });
        batch.Summary.ClosedBySilenceBefore.Should().Be(1);
        batch.Summary.ClosedBySilenceAfter.Should().Be(1);
        batch.Summary.ConversationsWithMisfits.Should().Be(1);
    }

    [Fact]
    public async Task Run_PinnedVersionsAsCandidate_ReproducesTheRuntimeHistory()
    {
        await using var s = await StartAsync();
        var id = await StartChatAsync(s);
        await AdvanceAsync(s, id, TimeSpan.FromSeconds(60));
        // The agent asks "masih terhubung?" on time: the step of the first rung, found by its SOP step.
        var ask = (await s.Runtime.GetStateAsync(id)).WorkItems.Single(w => w.Step == "2a");
        await s.Runtime.CompleteWorkItemAsync(id, ask.Id, null, null, "agent.sari");
        await AdvanceAsync(s, id, TimeSpan.FromSeconds(30));
        await s.Runtime.DeliverMessageAsync(id, "Maaf, masih di sini", "m-1", "nasabah.budi");
        await CompleteAsync(s, id, "Task_Verifikasi");

        var result = await s.Runner.RunAsync(id, new Dictionary<string, int> { ["still-connected"] = 1 });

        result.Error.Should().BeNull();
        result.Report!.Diverged.Should().BeFalse();
        result.Report.Misfits.Should().BeEmpty();
        result.Report.Candidate.Should().Be(result.Report.Original);
        result.Report.Original.PromptsSent.Should().Be(1);
    }

    [Fact]
    public async Task Run_UnknownCandidateVersion_IsNotFound_AndUnknownInstanceToo()
    {
        await using var s = await StartAsync();
        var id = await StartChatAsync(s);

        var unknownVersion = () => s.Runner.RunAsync(id, new Dictionary<string, int> { ["still-connected"] = 9 });
        var unknownInstance = () => s.Runner.RunAsync(Guid.NewGuid(), new Dictionary<string, int> { ["still-connected"] = 1 });

        (await unknownVersion.Should().ThrowAsync<CatalogException>()).Which.Error.Should().Be(CatalogError.NotFound);
        await unknownInstance.Should().ThrowAsync<InstanceNotFoundException>();
    }
}
