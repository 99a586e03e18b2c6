using ContactCenter.Modules.Calendar;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace ContactCenter.Persistence.Tests;

/// <summary>Maintained holiday years on a real SQLite file: revisions guard concurrent editors; each save writes its change row.</summary>
public abstract class EfHolidayYearStoreTests(DatabaseProvider provider) : OnEachProvider(provider)
{
    private static HolidayYear Year(string name) => new(2027, "test", [new(new LocalDate(2027, 1, 1), HolidayKind.NationalHoliday, name)]);

    private static HolidayYearChange Change(string actor) => new(0, 2027, actor, new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero), "saved", "details of " + actor);

    [Fact]
    public async Task Saves_from_a_stale_revision_write_nothing()
    {
        await using var database = await CreateDatabaseAsync();
        var store = new EfHolidayYearStore(database.Contexts);

        var first = await store.SaveAsync(Year("Tahun Baru"), 0, Change("admin"));
        first!.Revision.Should().Be(1);
        (await store.SaveAsync(Year("Tahun Baru (second editor)"), 0, Change("other"))).Should().BeNull();
        (await store.SaveAsync(Year("Tahun Baru (from the future)"), 5, Change("other"))).Should().BeNull();
        var second = await store.SaveAsync(Year("Tahun Baru Masehi"), 1, Change("admin"));
        second!.Revision.Should().Be(2);

        var kept = (await store.ListAsync()).Should().ContainSingle().Subject;
        kept.Revision.Should().Be(2);
        kept.ChangedBy.Should().Be("admin");
        kept.Year.Entries.Single().Name.Should().Be("Tahun Baru Masehi");
        (await store.ChangesAsync(2027, 10)).Select(c => c.Details).Should().Equal("details of admin", "details of admin");
        (await store.ChangesAsync(2030, 10)).Should().BeEmpty();
    }

    [Fact]
    public async Task Two_editors_racing_from_the_same_revision_one_wins()
    {
        await using var database = await CreateDatabaseAsync();
        var store = new EfHolidayYearStore(database.Contexts);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.SaveAsync(Year($"editor {i}"), 0, Change($"editor{i}")))));

        results.Where(r => r is not null).Should().ContainSingle();
        (await store.ChangesAsync(null, 100)).Should().ContainSingle();
    }
}

public sealed class EfHolidayYearStoreOnSqliteTests() : EfHolidayYearStoreTests(DatabaseProvider.Sqlite);

public sealed class EfHolidayYearStoreOnPostgreSqlTests() : EfHolidayYearStoreTests(DatabaseProvider.PostgreSql);
