using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Persistence.Tests;

/// <summary>The migration proposals' store on each provider: a row reads back as written, and an update lands only on the status and dry run it was read with.</summary>
public abstract class EfMigrationProposalStoreTests(DatabaseProvider provider) : OnEachProvider(provider)
{
    private static MigrationProposalRecord Proposal(string key = "live-chat", DateTimeOffset? at = null) => new()
    {
        Id = Guid.NewGuid(),
        DefinitionKey = key,
        FromVersion = 1,
        ToVersion = 2,
        Status = MigrationStatus.Proposed,
        Mapping = "{\"Task_A\":\"Activity_0x9k2m1\"}",
        InstanceIds = $"[\"{Guid.NewGuid()}\"]",
        ProposedBy = "owner.gadhong",
        ProposedAt = at ?? Build.T0,
        Note = "Nama langkah diperbarui",
    };

    [Fact]
    public async Task Add_Get_List_ReadBackAsWritten_NewestFirst()
    {
        await using var db = await CreateDatabaseAsync();
        var store = new EfMigrationProposalStore(db.Contexts);
        var older = Proposal(at: Build.T0);
        var newer = Proposal(at: Build.T0.AddMinutes(5));
        var other = Proposal(key: "whatsapp");
        await store.AddAsync(older);
        await store.AddAsync(newer);
        await store.AddAsync(other);

        (await store.GetAsync(older.Id)).Should().Be(older);
        (await store.GetAsync(Guid.NewGuid())).Should().BeNull();
        (await store.ListAsync("live-chat")).Select(p => p.Id).Should().Equal(newer.Id, older.Id);
        (await store.ListAsync(null)).Should().HaveCount(3);
    }

    [Fact]
    public async Task Update_OnlyFromTheStatusAndDryRunItWasReadWith()
    {
        await using var db = await CreateDatabaseAsync();
        var store = new EfMigrationProposalStore(db.Contexts);
        var proposal = Proposal();
        await store.AddAsync(proposal);
        var dryRun = proposal with { DryRun = "[]", DryRunBy = "reviewer.franskel", DryRunAt = Build.T0.AddMinutes(1) };

        (await store.UpdateAsync(dryRun, MigrationStatus.Proposed, null)).Should().BeTrue();
        (await store.UpdateAsync(dryRun with { Status = MigrationStatus.Approved }, MigrationStatus.Proposed, null)).Should().BeFalse("a dry run ran in between: the approval was of the one before");
        var approved = dryRun with { Status = MigrationStatus.Approved, DecidedBy = "approver.rosyid", DecidedAt = Build.T0.AddMinutes(2) };
        (await store.UpdateAsync(approved, MigrationStatus.Proposed, dryRun.DryRunAt)).Should().BeTrue();
        (await store.UpdateAsync(approved with { Status = MigrationStatus.Applied }, MigrationStatus.Proposed, dryRun.DryRunAt)).Should().BeFalse("it is approved now");

        (await store.GetAsync(proposal.Id)).Should().Be(approved);
    }
}

public sealed class EfMigrationProposalStoreOnSqliteTests() : EfMigrationProposalStoreTests(DatabaseProvider.Sqlite);

public sealed class EfMigrationProposalStoreOnPostgreSqlTests() : EfMigrationProposalStoreTests(DatabaseProvider.PostgreSql);
