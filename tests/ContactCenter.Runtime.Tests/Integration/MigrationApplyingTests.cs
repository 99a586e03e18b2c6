using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Tests.Definitions;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary>
/// Applying a migration is Approved → Applying → Applied, each instance's outcome recorded as it
/// moves. A process that stops after k of n instances leaves the proposal Applying; the next
/// start resumes it and moves only the instances whose journals show no move by this proposal:
/// every instance moves exactly once and replays exactly. Flows of the test's own (no shipped ids).
/// </summary>
public abstract class MigrationApplyingTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(7));
    private const int Instances = 5;
    private const int MovedBeforeTheCrash = 3;

    [Fact]
    public async Task Apply_StoppedAfterKOfNInstances_IsLeftApplying_AndTheRestartMovesTheRestExactlyOnce()
    {
        await using var fixture = new RuntimeFixture(provider: provider);
        fixture.AddWorkflow("mig-apply.bpmn", CatalogBpmn.Simple("mig-apply", taskName: "Langkah", prompt: "Terima kasih"));
        var clock = new FakeTimeProvider(Now);
        var crash = new CrashAfterProgress(MovedBeforeTheCrash);
        await fixture.StartAsync(s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.AddSingleton<IMigrationProposalStore>(sp => crash.Wrap(ActivatorUtilities.CreateInstance<EfMigrationProposalStore>(sp)));
        }, scheduler: false);
        var started = new List<Guid>();
        for (var i = 0; i < Instances; i++)
        {
            started.Add((await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "mig-apply", Channel = "live-chat", Agent = "agent.sari" })).Id);
        }

        // v2 renames the step the instances wait at: each move reissues its work item.
        await CatalogBpmn.PublishNewAsync(fixture.Catalog, CatalogBpmn.Simple("mig-apply", taskName: "Langkah baru", prompt: "Terima kasih banyak"), clock.GetUtcNow());
        var migrations = fixture.Host!.Services.GetRequiredService<InstanceMigrations>();
        var proposal = await migrations.ProposeAsync("mig-apply", 1, 2, null, started, "pemilik.ani");
        (await migrations.DryRunAsync(proposal.Record.Id, "pemilik.ani")).DryRun.Should().OnlyContain(o => o.CanMove);
        await migrations.ApproveAsync(proposal.Record.Id, "penyetuju.citra");

        var apply = () => migrations.ApplyAsync(proposal.Record.Id, "penyetuju.citra");
        await apply.Should().ThrowAsync<SimulatedCrashException>();
        var interrupted = await migrations.GetAsync(proposal.Record.Id);
        interrupted.Record.Status.Should().Be(MigrationStatus.Applying, "it is not Applied while instances are still to move");
        interrupted.Result.Should().HaveCount(MovedBeforeTheCrash - 1, "each outcome is recorded as its instance moves; the last one moved but the process stopped before recording it")
            .And.OnlyContain(o => o.Moved);
        var movedAtCrash = new List<Guid>();
        foreach (var id in started)
        {
            if ((await fixture.Runtime.ReadJournalAsync(id)).OfType<InstanceMigrated>().Any())
            {
                movedAtCrash.Add(id);
            }
        }

        movedAtCrash.Should().Equal(started.Take(MovedBeforeTheCrash), "the process stopped after {0} of {1} instances", MovedBeforeTheCrash, Instances);
        await fixture.StopAsync();

        // The restart (no crash this time) resumes the proposal before anything else runs.
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock), scheduler: false);
        migrations = fixture.Host!.Services.GetRequiredService<InstanceMigrations>();
        var applied = await migrations.GetAsync(proposal.Record.Id);
        applied.Record.Status.Should().Be(MigrationStatus.Applied);
        applied.Record.AppliedBy.Should().Be("penyetuju.citra");
        applied.Result.Should().HaveCount(Instances).And.OnlyContain(o => o.Moved && o.CanMove && o.Problems.Count == 0);
        applied.Result!.Select(o => o.InstanceId).Should().Equal(started);

        var replayer = fixture.Host.Services.GetRequiredService<InstanceReplayer>();
        foreach (var id in started)
        {
            var journal = await fixture.Runtime.ReadJournalAsync(id);
            journal.OfType<InstanceMigrated>().Should().ContainSingle("instance {0} moves exactly once", id).Which.ToVersion.Should().Be(2);
            var state = await fixture.Runtime.GetStateAsync(id);
            state.DefinitionVersion.Should().Be(2);
            state.WorkItems.Should().ContainSingle().Which.Name.Should().Be("Langkah baru");
            (await replayer.VerifyAsync(id)).Matches.Should().BeTrue("exact replay holds for {0}", id);
        }

        // Applying it again is refused: it is done.
        var again = () => migrations.ApplyAsync(proposal.Record.Id, "penyetuju.citra");
        (await again.Should().ThrowAsync<MigrationException>()).Which.Error.Should().Be(MigrationError.WrongStatus);
    }

    private sealed class SimulatedCrashException() : Exception("the process stopped here");

    /// <summary>
    /// The real store, except that the k-th record of an instance's outcome never happens: the
    /// process "stops" after that instance committed its move and before its outcome was written.
    /// </summary>
    private sealed class CrashAfterProgress(int k)
    {
        private readonly int _crashAt = k;
        private int _progressWrites;

        public IMigrationProposalStore Wrap(IMigrationProposalStore inner) => new Store(inner, this);

        private sealed class Store(IMigrationProposalStore inner, CrashAfterProgress crash) : IMigrationProposalStore
        {
            public Task AddAsync(MigrationProposalRecord record, CancellationToken cancellationToken = default) => inner.AddAsync(record, cancellationToken);

            public Task<MigrationProposalRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

            public Task<IReadOnlyList<MigrationProposalRecord>> ListAsync(string? key, CancellationToken cancellationToken = default) => inner.ListAsync(key, cancellationToken);

            public Task<bool> UpdateAsync(MigrationProposalRecord record, MigrationStatus expectedStatus, DateTimeOffset? expectedDryRunAt, CancellationToken cancellationToken = default)
            {
                if (expectedStatus == MigrationStatus.Applying && record.Status == MigrationStatus.Applying && ++crash._progressWrites == crash._crashAt)
                {
                    throw new SimulatedCrashException();
                }

                return inner.UpdateAsync(record, expectedStatus, expectedDryRunAt, cancellationToken);
            }
        }
    }
}

public sealed class MigrationApplyingOnSqliteTests() : MigrationApplyingTests(DatabaseProvider.Sqlite);

public sealed class MigrationApplyingOnPostgreSqlTests() : MigrationApplyingTests(DatabaseProvider.PostgreSql);
