using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContactCenter.Persistence;

/// <summary>The database as a whole: which engine and where, how contexts reach it, and its schema migrations.</summary>
public sealed class ContactCenterDatabase(IDbContextFactory<ContactCenterDbContext> contexts, ContactCenterPersistenceOptions options)
{
    /// <summary>The full path of the database file (SQLite only).</summary>
    public string DatabasePath => options.DatabasePath;

    /// <summary>The engine the options name.</summary>
    public DatabaseProvider Provider => options.Provider;

    /// <summary>Where the data is, for logs and messages: the SQLite file, or PostgreSQL's host, port and database (never a password).</summary>
    public string Location => LocationOf(options);

    /// <summary>
    /// Creates the data folder if needed (SQLite) and applies the committed migrations of the
    /// provider that the database has not seen yet; on an up-to-date database it changes nothing.
    /// Call once at start-up, before the stores are used. On PostgreSQL, nodes starting together
    /// are safe: EF Core takes a lock on the migrations history table while it migrates.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        }

        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The connection string the store uses: the SQLite file's, or the given PostgreSQL one with the store's settings added.</summary>
    /// <exception cref="ArgumentException">PostgreSQL without a connection string, or one Npgsql cannot read.</exception>
    public static string ConnectionString(ContactCenterPersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider switch
        {
            DatabaseProvider.PostgreSql => PostgreSqlConnection(options).ConnectionString,
            _ => new SqliteConnectionStringBuilder
            {
                DataSource = options.DatabasePath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
                ForeignKeys = true,
            }.ToString(),
        };
    }

    /// <summary>Points a context's options at the database the options name (see <see cref="ConfigureSqlite"/>, <see cref="ConfigurePostgreSql"/>).</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, ContactCenterPersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider == DatabaseProvider.PostgreSql ? ConfigurePostgreSql(builder, options) : ConfigureSqlite(builder, options);
    }

    /// <summary>Points a context's options at the SQLite file, with WAL and the busy timeout on every connection.</summary>
    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder builder, ContactCenterPersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder
            .UseSqlite(ConnectionString(options))
            .AddInterceptors(new SqlitePragmaInterceptor(options.BusyTimeout, options.Synchronous));
    }

    /// <summary>
    /// Points a context's options at the PostgreSQL database. Use it with
    /// <see cref="PostgreSqlContactCenterDbContext"/>, whose migrations are PostgreSQL's.
    /// </summary>
    public static DbContextOptionsBuilder ConfigurePostgreSql(DbContextOptionsBuilder builder, ContactCenterPersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.UseNpgsql(ConnectionString(options));
    }

    /// <summary>
    /// Contexts on the options' database without pooling (tools and tests that build a store by
    /// hand): the context type is the provider's (<see cref="PostgreSqlContactCenterDbContext"/> on PostgreSQL).
    /// </summary>
    public static IDbContextFactory<ContactCenterDbContext> ContextsFor(ContactCenterPersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider == DatabaseProvider.PostgreSql)
        {
            var postgres = new DbContextOptionsBuilder<PostgreSqlContactCenterDbContext>();
            ConfigurePostgreSql(postgres, options);
            return new NewContexts(() => new PostgreSqlContactCenterDbContext(postgres.Options));
        }

        var sqlite = new DbContextOptionsBuilder<ContactCenterDbContext>();
        ConfigureSqlite(sqlite, options);
        return new NewContexts(() => new ContactCenterDbContext(sqlite.Options));
    }

    /// <summary>
    /// The given Npgsql connection string with the store's settings where it leaves them open:
    /// automatic preparation of the statements a connection runs again (the commit's and the hot
    /// reads', which SQLite gets by preparing explicitly).
    /// </summary>
    private static NpgsqlConnectionStringBuilder PostgreSqlConnection(ContactCenterPersistenceOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("The PostgreSql provider needs a connection string (ContactCenter:Database:ConnectionString).", nameof(options));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"ContactCenter:Database:ConnectionString is not a PostgreSQL connection string: {e.Message}", nameof(options), e);
        }

        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder;
    }

    /// <inheritdoc cref="Location"/>
    public static string LocationOf(ContactCenterPersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider != DatabaseProvider.PostgreSql)
        {
            return options.DatabasePath;
        }

        var connection = PostgreSqlConnection(options);
        return $"postgresql://{connection.Host}:{connection.Port}/{connection.Database}";
    }

    private sealed class NewContexts(Func<ContactCenterDbContext> create) : IDbContextFactory<ContactCenterDbContext>
    {
        public ContactCenterDbContext CreateDbContext() => create();
    }
}
