using ContactCenter.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ContactCenter.Server.Identity;

/// <summary>
/// ASP.NET Core Identity's users, roles and claims, in the same SQLite file as the runtime
/// (<c>contactcenter.db</c>) but with their own migrations and history table
/// (<see cref="HistoryTable"/>), so neither migration history sees the other's.
/// </summary>
public sealed class IdentityDatabase(DbContextOptions<IdentityDatabase> options) : IdentityDbContext<IdentityUser>(options)
{
    /// <summary>The migrations history table of the Identity schema.</summary>
    public const string HistoryTable = "__IdentityMigrationsHistory";

    /// <summary>Points the context at the product's database (its SQLite file), as Hosting composed it.</summary>
    public static void Configure(DbContextOptionsBuilder builder, DatabaseConnection database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        if (database.Provider != DatabaseConnection.Sqlite)
        {
            throw new NotSupportedException($"the Identity tables support the {DatabaseConnection.Sqlite} provider only, not {database.Provider}");
        }

        builder.UseSqlite(database.ConnectionString, sqlite => sqlite.MigrationsHistoryTable(HistoryTable));
    }
}

/// <summary>For <c>dotnet ef migrations add</c> only: builds the model, opens no database.</summary>
internal sealed class IdentityDatabaseDesignTimeFactory : IDesignTimeDbContextFactory<IdentityDatabase>
{
    public IdentityDatabase CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<IdentityDatabase>();
        IdentityDatabase.Configure(builder, new DatabaseConnection(DatabaseConnection.Sqlite, "Data Source=design-time.db"));
        return new IdentityDatabase(builder.Options);
    }
}
