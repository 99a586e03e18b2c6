using ContactCenter.Persistence;

namespace ContactCenter.Hosting;

/// <summary>
/// The product's database as a host's other parts see it (the server's Identity tables live in the
/// same database): which provider and how to connect, so they need not reach into Persistence.
/// </summary>
/// <param name="Provider">The EF Core provider; today always <c>Sqlite</c>.</param>
public sealed record DatabaseConnection(string Provider, string ConnectionString)
{
    /// <summary>The SQLite provider's name.</summary>
    public const string Sqlite = "Sqlite";

    internal static DatabaseConnection Of(ContactCenterPersistenceOptions persistence) =>
        new(Sqlite, ContactCenterDatabase.ConnectionString(persistence));
}
