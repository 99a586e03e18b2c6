using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>The database as a whole: where it is, how contexts reach it, and its schema migrations.</summary>
public sealed class ContactCenterDatabase(IDbContextFactory<ContactCenterDbContext> contexts, ContactCenterPersistenceOptions options)
{
    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => options.DatabasePath;

    /// <summary>
    /// Creates the data folder if needed and applies the committed migrations that the database has
    /// not seen yet; on an up-to-date database it changes nothing. Call once at start-up, before the
    /// stores are used.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The connection string of the SQLite file the options name.</summary>
    public static string ConnectionString(ContactCenterPersistenceOptions options) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
        }.ToString();

    /// <summary>Points a context's options at the SQLite file, with WAL and the busy timeout on every connection.</summary>
    /// <remarks>The only place that names the provider: PostgreSQL would get a sibling of this method.</remarks>
    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder builder, ContactCenterPersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder
            .UseSqlite(ConnectionString(options))
            .AddInterceptors(new SqlitePragmaInterceptor(options.BusyTimeout, options.Synchronous));
    }
}
