using ContactCenter.Persistence;

namespace ContactCenter.Hosting;

/// <summary>
/// The product's database as a host's other parts see it (the server's Identity tables and
/// data-protection keys live in the same database): which provider and how to connect, so they
/// need not reach into Persistence.
/// </summary>
/// <param name="Provider">The EF Core provider: <see cref="Sqlite"/> or <see cref="PostgreSql"/>.</param>
public sealed record DatabaseConnection(string Provider, string ConnectionString)
{
    /// <summary>The SQLite provider's name.</summary>
    public const string Sqlite = nameof(DatabaseProvider.Sqlite);

    /// <summary>The PostgreSQL provider's name.</summary>
    public const string PostgreSql = nameof(DatabaseProvider.PostgreSql);

    /// <summary>Where the data is, for logs: the SQLite file, or PostgreSQL's host, port and database (never a password).</summary>
    public string Location { get; init; } = "";

    internal static DatabaseConnection Of(ContactCenterPersistenceOptions persistence) =>
        new(persistence.Provider.ToString(), ContactCenterDatabase.ConnectionString(persistence)) { Location = ContactCenterDatabase.LocationOf(persistence) };
}
