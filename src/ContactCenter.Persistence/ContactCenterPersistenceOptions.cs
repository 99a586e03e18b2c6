namespace ContactCenter.Persistence;

/// <summary>Which database, where it lives, and how SQLite is tuned.</summary>
public sealed class ContactCenterPersistenceOptions
{
    /// <summary>The database engine. Default is <see cref="DatabaseProvider.Sqlite"/> (one file in <see cref="DataFolder"/>).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The Npgsql connection string for <see cref="DatabaseProvider.PostgreSql"/> (required there);
    /// unused by SQLite, whose file is <see cref="DataFolder"/>/<see cref="FileName"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The folder that holds the database file; created at migration if missing. Default is <c>./data</c>.</summary>
    public string DataFolder { get; set; } = "./data";

    /// <summary>The database file's name inside <see cref="DataFolder"/>. Default is <c>contactcenter.db</c>.</summary>
    public string FileName { get; set; } = "contactcenter.db";

    /// <summary>
    /// How long a connection waits for another writer's lock before failing (SQLite <c>busy_timeout</c>).
    /// Default is 5 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// SQLite's <c>synchronous</c>: <see cref="SqliteSynchronous.Full"/> (the default) syncs the WAL
    /// at every commit, so an acknowledged command survives a power cut; <see cref="SqliteSynchronous.Normal"/>
    /// survives a process crash but may lose the last commits on a power cut. Group commit (see
    /// <see cref="EfInstanceStore"/>) is what makes Full affordable: one sync per batch of commands.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>The most commits one write transaction carries (group commit). Default is 256.</summary>
    public int MaxCommitsPerTransaction { get; set; } = 256;

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataFolder, FileName));
}

/// <summary>The database engines the store runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded, one file, one process: the default.</summary>
    Sqlite,

    /// <summary>PostgreSQL (15 or later): a server several nodes share.</summary>
    PostgreSql,
}

/// <summary>SQLite's <c>synchronous</c> setting for the WAL.</summary>
public enum SqliteSynchronous
{
    Normal,
    Full,
}
