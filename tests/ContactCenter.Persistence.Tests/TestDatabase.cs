using ContactCenter.Engine;
using ContactCenter.Runtime.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Persistence.Tests;

/// <summary>A real SQLite file in a temporary folder, migrated, with the stores wired as the host would; deleted on dispose.</summary>
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

    public static async Task<TestDatabase> CreateAsync(bool migrate = true, string? root = null, SqliteSynchronous synchronous = SqliteSynchronous.Full)
    {
        root ??= Path.Combine(Path.GetTempPath(), "cc-persistence-" + Guid.NewGuid().ToString("N"));
        var options = new ContactCenterPersistenceOptions { DataFolder = Path.Combine(root, "data"), Synchronous = synchronous };
        var services = new ServiceCollection().AddContactCenterPersistence(options).BuildServiceProvider();
        var db = new TestDatabase(root, services, options);
        if (migrate)
        {
            await db.Database.MigrateAsync();
        }

        return db;
    }

    /// <summary>A store over the same file that runs <paramref name="afterRowsWritten"/> once a commit's rows are written, inside its savepoint.</summary>
    public EfInstanceStore InstanceStoreWith(Func<ContactCenterDbContext, InstanceCommit, Task> afterRowsWritten)
    {
        var builder = new DbContextOptionsBuilder<ContactCenterDbContext>();
        ContactCenterDatabase.ConfigureSqlite(builder, Options);
        return new EfInstanceStore(new Factory(builder.Options), Options) { AfterCommitRowsWritten = afterRowsWritten };
    }

    /// <summary>A raw connection to the file, for what the stores do not show (pragmas, schema).</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(ContactCenterDatabase.ConnectionString(Options));
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private sealed class Factory(DbContextOptions<ContactCenterDbContext> options) : IDbContextFactory<ContactCenterDbContext>
    {
        public ContactCenterDbContext CreateDbContext() => new(options);
    }
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
