using ContactCenter.Engine;
using ContactCenter.Runtime.Storage;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContactCenter.Persistence.Tests;

/// <summary>
/// A real database, migrated, with the stores wired as the host would: a SQLite file in a temporary
/// folder, or a fresh database on the process's throwaway PostgreSQL (<see cref="ThrowawayPostgres"/>);
/// deleted on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestDatabase(string root, ServiceProvider services, ContactCenterPersistenceOptions options)
    {
        Root = root;
        _services = services;
        Options = options;
    }

    public string Root { get; }

    public ContactCenterPersistenceOptions Options { get; }

    public ContactCenterDatabase Database => _services.GetRequiredService<ContactCenterDatabase>();

    public IDbContextFactory<ContactCenterDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<ContactCenterDbContext>>();

    /// <summary>The adapter itself: the write path, the queries and retention in one class.</summary>
    public EfInstanceStore Instances => _services.GetRequiredService<EfInstanceStore>();

    public IOutboxStore Outbox => _services.GetRequiredService<IOutboxStore>();

    public IDefinitionStore Definitions => _services.GetRequiredService<IDefinitionStore>();

    public DatabaseProvider Provider => Options.Provider;

    public static async Task<TestDatabase> CreateAsync(
        DatabaseProvider provider = DatabaseProvider.Sqlite,
        bool migrate = true,
        string? root = null,
        SqliteSynchronous synchronous = SqliteSynchronous.Full)
    {
        root ??= Path.Combine(Path.GetTempPath(), "cc-persistence-" + Guid.NewGuid().ToString("N"));
        var options = new ContactCenterPersistenceOptions { DataFolder = Path.Combine(root, "data"), Synchronous = synchronous, Provider = provider };
        if (provider == DatabaseProvider.PostgreSql)
        {
            options.ConnectionString = await (await ThrowawayPostgres.SharedAsync()).CreateDatabaseAsync("persistence");
        }

        var services = new ServiceCollection().AddContactCenterPersistence(options).BuildServiceProvider();
        var db = new TestDatabase(root, services, options);
        if (migrate)
        {
            await db.Database.MigrateAsync();
        }

        return db;
    }

    /// <summary>
    /// A second store over the same database (another process, or another node on PostgreSQL: its
    /// own write queue and connections) that runs <paramref name="afterRowsWritten"/> once a
    /// commit's rows are written, inside its savepoint.
    /// </summary>
    /// <param name="beforeCompactionWrite">Runs between a compaction's read and its write; when given, ended
    /// journals are compacted only by hand (<see cref="EfInstanceStore.CompactJournalAsync"/>).</param>
    /// <param name="compacts">Whether ended journals are compacted in the background.</param>
    public EfInstanceStore InstanceStoreWith(
        Func<ContactCenterDbContext, InstanceCommit, Task> afterRowsWritten,
        Func<Guid, Task>? beforeCompactionWrite = null,
        bool compacts = false) =>
        new(ContactCenterDatabase.ContextsFor(Options), Options)
        {
            AfterCommitRowsWritten = afterRowsWritten,
            BeforeCompactionWrite = beforeCompactionWrite,
            CompactsEndedJournals = compacts,
        };

    /// <summary>A second outbox store over the same database with contexts of its own (another node's).</summary>
    public IOutboxStore OtherOutbox() => new EfOutboxStore(ContactCenterDatabase.ContextsFor(Options));

    /// <summary>A raw connection to the database, for what the stores do not show (pragmas, schema, counts).</summary>
    public DbConnection OpenRaw()
    {
        DbConnection connection = Provider == DatabaseProvider.PostgreSql
            ? new NpgsqlConnection(ContactCenterDatabase.ConnectionString(Options))
            : new SqliteConnection(ContactCenterDatabase.ConnectionString(Options));
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (Provider == DatabaseProvider.PostgreSql)
        {
            NpgsqlConnection.ClearAllPools();
            var database = new NpgsqlConnectionStringBuilder(Options.ConnectionString).Database!;
            await (await ThrowawayPostgres.SharedAsync()).DropDatabaseAsync(database);
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary>The providers every store test runs on: a test class takes one, and a sealed class per provider runs it.</summary>
public abstract class OnEachProvider(DatabaseProvider provider)
{
    protected DatabaseProvider Provider { get; } = provider;

    /// <summary>A fresh, migrated database of this class's provider.</summary>
    protected Task<TestDatabase> CreateDatabaseAsync(bool migrate = true) => TestDatabase.CreateAsync(Provider, migrate);
}

/// <summary>Builders of records and commits shaped like the runtime's.</summary>
public static class Build
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public static InstanceRecord Instance(
        Guid id,
        long version,
        InstanceStatus status = InstanceStatus.Running,
        string channel = "whatsapp",
        string? agent = "agent.sari",
        DateTimeOffset? startedAt = null,
        string definitionKey = "chat") => new()
        {
            Id = id,
            DefinitionKey = definitionKey,
            DefinitionVersion = 3,
            Channel = channel,
            CustomerRef = "cust-42",
            Agent = agent,
            Status = status,
            Version = version,
            Snapshot = $"{{\"version\":{version}}}",
            PinnedVersions = new Dictionary<string, int> { [definitionKey] = 3, ["ticket"] = 1 },
            StartedAt = startedAt ?? T0,
            UpdatedAt = (startedAt ?? T0).AddMinutes(version),
        };

    public static JournalRecord Event(Guid id, long sequence, string type = "ElementEntered") =>
        new(id, sequence, type, T0.AddSeconds(sequence), sequence % 2 == 0 ? "agent.sari" : null, $"{{\"seq\":{sequence},\"type\":\"{type}\"}}");

    public static OutboxRecord Message(Guid instanceId, long sequence, DateTimeOffset? createdAt = null, string kind = "prompt") => new()
    {
        Id = Guid.NewGuid(),
        IdempotencyKey = $"{instanceId:N}:{sequence}",
        Kind = kind,
        InstanceId = instanceId,
        Payload = $"{{\"text\":\"Apakah saat ini Bapak/Ibu masih terhubung dengan kami? ({sequence})\"}}",
        CreatedAt = createdAt ?? T0,
        NextAttemptAt = createdAt ?? T0,
    };

    /// <summary>A commit of <paramref name="eventCount"/> events on top of <paramref name="expectedVersion"/>.</summary>
    public static InstanceCommit Commit(
        Guid id,
        long expectedVersion,
        int eventCount,
        IReadOnlyList<TimerRecord>? armed = null,
        IReadOnlyList<long>? removed = null,
        IReadOnlyList<OutboxRecord>? outbox = null,
        InstanceRecord? instance = null) => new()
        {
            Instance = instance ?? Instance(id, expectedVersion + eventCount),
            ExpectedVersion = expectedVersion,
            Events = [.. Enumerable.Range(1, eventCount).Select(i => Event(id, expectedVersion + i))],
            TimersArmed = armed ?? [],
            TimersRemoved = removed ?? [],
            Outbox = outbox ?? [],
        };

    public static DefinitionVersionRecord Definition(string key, int version, VersionStatus status = VersionStatus.Draft) => new()
    {
        Key = key,
        Version = version,
        Status = status,
        Name = $"{key} v{version}",
        Bpmn = "<definitions/>",
        ContentHash = $"sha256:{key}{version}",
        DocumentCode = "SOP-CC-01",
        Revision = "01",
        Maker = "maker.budi",
        CreatedAt = T0.AddDays(version),
    };
}
