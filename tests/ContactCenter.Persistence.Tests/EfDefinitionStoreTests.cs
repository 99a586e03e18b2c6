using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Persistence.Tests;

public abstract class EfDefinitionStoreTests(DatabaseProvider provider) : OnEachProvider(provider)
{
    [Fact]
    public async Task AddAsync_ThenGetAndList_ReadBackEveryField()
    {
        await using var db = await CreateDatabaseAsync();
        var v1 = Build.Definition("chat", 1, VersionStatus.Published) with
        {
            Checker = "checker.rina",
            Approver = "approver.dewi",
            ChangeNote = "first",
            EffectiveFrom = Build.T0,
            SubmittedAt = Build.T0.AddHours(1),
            CheckedAt = Build.T0.AddHours(2),
            ApprovedAt = Build.T0.AddHours(3),
            PublishedAt = Build.T0.AddHours(4),
            RetiredAt = Build.T0.AddHours(5),
        };
        await db.Definitions.AddAsync(v1);
        await db.Definitions.AddAsync(Build.Definition("chat", 2));
        await db.Definitions.AddAsync(Build.Definition("email", 1));

        (await db.Definitions.GetAsync("chat", 1)).Should().BeEquivalentTo(v1);
        (await db.Definitions.GetAsync("chat", 3)).Should().BeNull();
        (await db.Definitions.ListAsync("chat")).Select(d => d.Version).Should().Equal(1, 2);
        (await db.Definitions.ListAsync(null)).Select(d => (d.Key, d.Version)).Should().Equal(("chat", 1), ("chat", 2), ("email", 1));
        (await db.Definitions.ListAsync("voice")).Should().BeEmpty();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public async Task AddAsync_FirstVersionNotOne_Throws(int version)
    {
        await using var db = await CreateDatabaseAsync();

        var act = () => db.Definitions.AddAsync(Build.Definition("chat", version));

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*next version is 1*");
    }

    [Fact]
    public async Task GetVersionInEffectAsync_IsThePublishedVersionWithTheLatestEffectiveDateNotAfterTheInstant()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Definitions.AddAsync(Build.Definition("chat", 1, VersionStatus.Published) with { EffectiveFrom = Build.T0 });
        await db.Definitions.AddAsync(Build.Definition("chat", 2, VersionStatus.Published) with { EffectiveFrom = Build.T0.AddDays(2) });
        await db.Definitions.AddAsync(Build.Definition("chat", 3, VersionStatus.Published) with { EffectiveFrom = Build.T0.AddDays(1) });
        await db.Definitions.AddAsync(Build.Definition("chat", 4, VersionStatus.Retired) with { EffectiveFrom = Build.T0.AddDays(1) });
        await db.Definitions.AddAsync(Build.Definition("chat", 5, VersionStatus.Approved));
        await db.Definitions.AddAsync(Build.Definition("chat", 6, VersionStatus.Published) with { EffectiveFrom = Build.T0.AddDays(1) });
        await db.Definitions.AddAsync(Build.Definition("mail", 1, VersionStatus.Published) with { EffectiveFrom = Build.T0.AddDays(5) });

        (await db.Definitions.GetVersionInEffectAsync("chat", Build.T0.AddSeconds(-1))).Should().BeNull("nothing is in effect before the first date");
        (await db.Definitions.GetVersionInEffectAsync("chat", Build.T0)).Should().Be(1, "the effective date itself counts");
        (await db.Definitions.GetVersionInEffectAsync("chat", Build.T0.AddDays(1).AddHours(1))).Should().Be(6, "same date: the highest number; retired and unpublished ones never");
        (await db.Definitions.GetVersionInEffectAsync("chat", Build.T0.AddDays(3))).Should().Be(2, "the latest date wins over a higher number");
        (await db.Definitions.GetVersionInEffectAsync("mail", Build.T0.AddDays(3))).Should().BeNull();
    }

    [Fact]
    public async Task AddAsync_ExistingOrSkippedNumber_Throws()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Definitions.AddAsync(Build.Definition("chat", 1));

        await FluentActions.Awaiting(() => db.Definitions.AddAsync(Build.Definition("chat", 1))).Should().ThrowAsync<InvalidOperationException>().WithMessage("*next version is 2*");
        await FluentActions.Awaiting(() => db.Definitions.AddAsync(Build.Definition("chat", 3))).Should().ThrowAsync<InvalidOperationException>();
        (await db.Definitions.ListAsync("chat")).Should().ContainSingle();
    }

    [Fact]
    public async Task AddAsync_TwoRacingAddsOfTheSameNumber_OneWins()
    {
        await using var db = await CreateDatabaseAsync();
        using var gate = new Barrier(2);

        var results = await Task.WhenAll(Add("maker.a"), Add("maker.b"));

        results.Count(r => r is null).Should().Be(1);
        results.Count(r => r is InvalidOperationException).Should().Be(1);
        (await db.Definitions.ListAsync("chat")).Should().ContainSingle();

        Task<Exception?> Add(string maker) => Task.Run(async () =>
        {
            gate.SignalAndWait();
            try
            {
                await db.Definitions.AddAsync(Build.Definition("chat", 1) with { Maker = maker });
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        });
    }

    [Fact]
    public async Task UpdateAsync_WithExpectedStatus_ReplacesTheRow()
    {
        await using var db = await CreateDatabaseAsync();
        var draft = Build.Definition("chat", 1);
        await db.Definitions.AddAsync(draft);
        var submitted = draft with { Status = VersionStatus.InReview, SubmittedAt = Build.T0.AddHours(1), ChangeNote = "ready" };

        (await db.Definitions.UpdateAsync(submitted, VersionStatus.Draft)).Should().BeTrue();

        (await db.Definitions.GetAsync("chat", 1)).Should().BeEquivalentTo(submitted);
    }

    [Fact]
    public async Task UpdateAsync_StatusMovedOnOrRowMissing_ReturnsFalseAndChangesNothing()
    {
        await using var db = await CreateDatabaseAsync();
        var draft = Build.Definition("chat", 1);
        await db.Definitions.AddAsync(draft);
        var approved = draft with { Status = VersionStatus.Approved, Approver = "x" };

        (await db.Definitions.UpdateAsync(approved, VersionStatus.InReview)).Should().BeFalse();
        (await db.Definitions.UpdateAsync(Build.Definition("chat", 2), VersionStatus.Draft)).Should().BeFalse();

        (await db.Definitions.GetAsync("chat", 1)).Should().BeEquivalentTo(draft);
        (await db.Definitions.GetAsync("chat", 2)).Should().BeNull();
    }

    [Fact]
    public async Task UpdateAsync_TwoRacingTransitionsFromOneStatus_OnlyOneLands()
    {
        await using var db = await CreateDatabaseAsync();
        var draft = Build.Definition("chat", 1);
        await db.Definitions.AddAsync(draft);

        var first = await db.Definitions.UpdateAsync(draft with { Status = VersionStatus.InReview, Checker = "a" }, VersionStatus.Draft);
        var second = await db.Definitions.UpdateAsync(draft with { Status = VersionStatus.InReview, Checker = "b" }, VersionStatus.Draft);

        first.Should().BeTrue();
        second.Should().BeFalse();
        (await db.Definitions.GetAsync("chat", 1))!.Checker.Should().Be("a");
    }
}

public sealed class EfDefinitionStoreOnSqliteTests() : EfDefinitionStoreTests(DatabaseProvider.Sqlite);

public sealed class EfDefinitionStoreOnPostgreSqlTests() : EfDefinitionStoreTests(DatabaseProvider.PostgreSql);
