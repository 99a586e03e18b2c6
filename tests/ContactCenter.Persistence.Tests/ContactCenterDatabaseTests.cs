using FluentAssertions;
using Xunit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ContactCenter.Engine;
using Microsoft.Extensions.DependencyInjection;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Persistence.Tests;

public class ContactCenterDatabaseTests
{
    private static readonly string[] Tables = ["definition_versions", "instances", "journal_events", "pending_timers", "outbox"];

    [Fact]
    public async Task MigrateAsync_EmptyFolder_CreatesFileAndSchema()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        File.Exists(db.Database.DatabasePath).Should().BeFalse();

        await db.Database.MigrateAsync();

        File.Exists(db.Database.DatabasePath).Should().BeTrue();
        db.Database.DatabasePath.Should().EndWith(Path.Combine("data", "contactcenter.db"));
        TableNames(db).Should().Contain(Tables).And.Contain("__EFMigrationsHistory");
        Columns(db, "instances").Should().Contain(["id", "version", "snapshot", "pinned_versions", "status", "agent", "channel", "started_at"]);
        Indexes(db, "instances").Should().Contain(["IX_instances_status", "IX_instances_agent", "IX_instances_channel", "IX_instances_started_at"]);
        Indexes(db, "outbox").Should().Contain(["IX_outbox_idempotency_key", "IX_outbox_delivered_at_next_attempt_at"]);
    }

    [Fact]
    public async Task Connections_AreInWalModeWithFullSyncByDefaultAndBusyTimeout()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var context = await db.Contexts.CreateDbContextAsync();
        await context.Database.OpenConnectionAsync();
        var connection = context.Database.GetDbConnection();

        Pragma(connection, "journal_mode").Should().Be("wal");
        Pragma(connection, "synchronous").Should().Be("2", "FULL: an acknowledged commit is on disk");
        Pragma(connection, "busy_timeout").Should().Be("5000");
        Pragma(connection, "foreign_keys").Should().Be("1");

        // WAL is a property of the file: a connection without the interceptor sees it too.
        using var raw = db.OpenRaw();
        Pragma(raw, "journal_mode").Should().Be("wal");
    }

    [Fact]
    public async Task Connections_WithNormalSync_WhenAsked()
    {
        await using var db = await TestDatabase.CreateAsync(synchronous: SqliteSynchronous.Normal);
        await using var context = await db.Contexts.CreateDbContextAsync();
        await context.Database.OpenConnectionAsync();

        Pragma(context.Database.GetDbConnection(), "synchronous").Should().Be("1");
    }

    [Fact]
    public void Options_Defaults_AreDataFolderAndFileName()
    {
        var options = new ContactCenterPersistenceOptions();

        options.DataFolder.Should().Be("./data");
        options.FileName.Should().Be("contactcenter.db");
        options.BusyTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.DatabasePath.Should().Be(Path.GetFullPath(Path.Combine("data", "contactcenter.db")));
    }

    [Fact]
    public async Task AddContactCenterPersistence_RegistersStoresAsSingletons()
    {
        await using var services = new ServiceCollection()
            .AddContactCenterPersistence(o => o.DataFolder = Path.Combine(Path.GetTempPath(), "unused"))
            .BuildServiceProvider();

        services.GetRequiredService<IInstanceStore>().Should().BeOfType<EfInstanceStore>()
            .And.BeSameAs(services.GetRequiredService<IInstanceStore>());
        services.GetRequiredService<IDefinitionStore>().Should().BeOfType<EfDefinitionStore>();
        services.GetRequiredService<IOutboxStore>().Should().BeOfType<EfOutboxStore>();
        services.GetRequiredService<ContactCenterDatabase>().Should().NotBeNull();
    }

    [Fact]
    public async Task MigrateAsync_FromTheSchemaBeforeJournalSegments_KeepsJournalsReadable_AndEndsThemIntoSegments()
    {
        // A database of the release before: migrated up to TimerShards, journals written then.
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        Directory.CreateDirectory(db.Options.DataFolder);
        await using (var context = await db.Contexts.CreateDbContextAsync())
        {
            await context.GetService<IMigrator>().MigrateAsync("20261207122352_TimerShards");
        }

        var id = Guid.NewGuid();
        var written = Build.Commit(id, 0, 3);
        await db.Instances.CommitAsync(written);
        var before = written.Events;

        await db.Database.MigrateAsync();

        (await db.Instances.ReadJournalAsync(id)).Should().Equal(before, "rows written before the upgrade read as they did");
        var end = Build.Commit(id, 3, 1, instance: Build.Instance(id, 4, InstanceStatus.Completed) with { EndedAt = Build.T0.AddHours(1) });
        await db.Instances.CommitAsync(end);
        await db.Instances.JournalsCompactedAsync();
        (await db.Instances.ReadJournalAsync(id)).Should().Equal([.. before, .. end.Events], "once ended, old and new rows are one segment");
        Strings(db, "SELECT COUNT(*) FROM journal_events").Should().Equal("0");
    }

    private static List<string> TableNames(TestDatabase db) => Strings(db, "SELECT name FROM sqlite_master WHERE type = 'table'");

    private static List<string> Columns(TestDatabase db, string table) => Strings(db, $"SELECT name FROM pragma_table_info('{table}')");

    private static List<string> Indexes(TestDatabase db, string table) => Strings(db, $"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}'");

    private static List<string> Strings(TestDatabase db, string sql)
    {
        using var connection = db.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    private static string Pragma(System.Data.Common.DbConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}

/// <summary>Migrations and the store's wiring, on each provider.</summary>
public abstract class ContactCenterDatabaseOnEachProviderTests(DatabaseProvider provider) : OnEachProvider(provider)
{
    [Fact]
    public async Task MigrateAsync_OnRestart_IsIdempotentAndKeepsData()
    {
        var id = Guid.NewGuid();
        await using var db = await CreateDatabaseAsync();
        await db.Instances.CommitAsync(Build.Commit(id, 0, 2));
        await db.Database.MigrateAsync(); // a second call in the same process

        // A restart: new container, no pooled connection left over, same file.
        SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var restarted = new ServiceCollection().AddContactCenterPersistence(db.Options).BuildServiceProvider();
        await restarted.GetRequiredService<ContactCenterDatabase>().MigrateAsync();

        var store = restarted.GetRequiredService<IInstanceStore>();
        (await store.GetAsync(id))!.Version.Should().Be(2);
        (await store.ReadJournalAsync(id)).Should().HaveCount(2);
        await using var context = await restarted.GetRequiredService<IDbContextFactory<ContactCenterDbContext>>().CreateDbContextAsync();
        (await context.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        (await context.Database.GetAppliedMigrationsAsync()).Should().Equal(context.Database.GetMigrations(), "every committed migration is applied once, in order");
        context.Database.GetMigrations().First().Should().EndWith("_Initial");
        context.Database.GetMigrations().Should().OnlyContain(
            m => (Provider == DatabaseProvider.PostgreSql) == context.GetService<IMigrationsAssembly>().Migrations[m].Namespace!.EndsWith(".PostgreSql", StringComparison.Ordinal),
            "each provider runs its own migrations only");
    }

    [Fact]
    public async Task Model_HasNoChangesMissingFromTheCommittedMigrations()
    {
        await using var db = await CreateDatabaseAsync(migrate: false);
        await using var context = await db.Contexts.CreateDbContextAsync();

        context.Database.HasPendingModelChanges().Should().BeFalse("a model change needs `dotnet ef migrations add` and the generated files committed");
    }

    [Fact]
    public async Task MigrateAsync_CreatesTheSameTablesOnEachProvider()
    {
        await using var db = await CreateDatabaseAsync();
        var sql = Provider == DatabaseProvider.PostgreSql
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        await using var connection = db.OpenRaw();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        // SQLite's migrator keeps a lock table of its own; PostgreSQL's locks the history table.
        tables.Where(t => t != "__EFMigrationsLock").Should().BeEquivalentTo(
            ["__EFMigrationsHistory", "definition_versions", "instances", "journal_events", "journal_segments", "pending_timers", "outbox",
             "quality_reviews", "notifications", "store_settings", "read_model_rows", "read_model_counters", "holiday_years", "holiday_year_changes", "migration_proposals"]);
        db.Database.Provider.Should().Be(Provider);
        db.Database.Location.Should().Be(Provider == DatabaseProvider.PostgreSql
            ? $"postgresql://127.0.0.1:{new Npgsql.NpgsqlConnectionStringBuilder(db.Options.ConnectionString).Port}/{new Npgsql.NpgsqlConnectionStringBuilder(db.Options.ConnectionString).Database}"
            : db.Options.DatabasePath);
    }
}

public sealed class ContactCenterDatabaseOnSqliteTests() : ContactCenterDatabaseOnEachProviderTests(DatabaseProvider.Sqlite);

public sealed class ContactCenterDatabaseOnPostgreSqlTests() : ContactCenterDatabaseOnEachProviderTests(DatabaseProvider.PostgreSql);
