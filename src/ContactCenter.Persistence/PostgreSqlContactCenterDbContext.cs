using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ContactCenter.Persistence;

/// <summary>
/// The store's context on PostgreSQL: the same model as <see cref="ContactCenterDbContext"/>, a
/// type of its own so that its migrations (<c>Migrations/PostgreSql</c>) are told apart from
/// SQLite's (<c>Migrations</c>, which belong to the base type). EF Core's way for one model on two
/// providers; decision 0008.
/// </summary>
public sealed class PostgreSqlContactCenterDbContext(DbContextOptions<PostgreSqlContactCenterDbContext> options) : ContactCenterDbContext(options)
{
}

/// <summary>
/// The store's <see cref="ContactCenterDbContext"/> factory on PostgreSQL: contexts of the
/// PostgreSQL type, from EF Core's pool, handed out as the base type every store asks for.
/// </summary>
internal sealed class PostgreSqlContexts(IDbContextFactory<PostgreSqlContactCenterDbContext> pool) : IDbContextFactory<ContactCenterDbContext>
{
    public ContactCenterDbContext CreateDbContext() => pool.CreateDbContext();

    public async Task<ContactCenterDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await pool.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
}

/// <summary>For <c>dotnet ef migrations add … --context PostgreSqlContactCenterDbContext</c> only: builds the model, opens no database.</summary>
internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlContactCenterDbContext>
{
    public PostgreSqlContactCenterDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgreSqlContactCenterDbContext>();
        ContactCenterDatabase.ConfigurePostgreSql(builder, new ContactCenterPersistenceOptions
        {
            Provider = DatabaseProvider.PostgreSql,
            ConnectionString = "Host=127.0.0.1;Database=design_time",
        });
        return new PostgreSqlContactCenterDbContext(builder.Options);
    }
}
