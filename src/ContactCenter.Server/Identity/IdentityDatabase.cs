using ContactCenter.Hosting;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ContactCenter.Server.Identity;

/// <summary>
/// ASP.NET Core Identity's users, roles and claims, and the data-protection keys that sign cookies
/// and tokens, in the runtime's database (SQLite's <c>contactcenter.db</c>, or PostgreSQL) but with
/// their own migrations and history table (<see cref="HistoryTable"/>), so neither migration
/// history sees the other's. This type's migrations are SQLite's; PostgreSQL's belong to
/// <see cref="PostgreSqlIdentityDatabase"/>. Keys in the database are what lets every node of a
/// cluster read a cookie or token another node issued.
/// </summary>
public class IdentityDatabase : IdentityDbContext<IdentityUser>, IDataProtectionKeyContext
{
    public IdentityDatabase(DbContextOptions<IdentityDatabase> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context type (<see cref="PostgreSqlIdentityDatabase"/>).</summary>
    protected IdentityDatabase(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>The migrations history table of the Identity schema.</summary>
    public const string HistoryTable = "__IdentityMigrationsHistory";

    /// <summary>ASP.NET Core data protection's key ring (<c>PersistKeysToDbContext</c>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Every change an administrator made to a user, oldest first.</summary>
    public DbSet<UserAuditEntry> UserAudit => Set<UserAuditEntry>();

    /// <summary>When each user last signed in.</summary>
    public DbSet<UserSignIn> UserSignIns => Set<UserSignIn>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<UserAuditEntry>(e =>
        {
            e.ToTable("UserAudit");
            e.HasKey(a => a.Id);
            e.Property(a => a.Actor).HasMaxLength(256).IsRequired();
            e.Property(a => a.TargetUser).HasMaxLength(256).IsRequired();
            e.Property(a => a.Action).HasMaxLength(32).IsRequired();
            e.Property(a => a.Details).IsRequired();
            e.HasIndex(a => a.TargetUser);
        });
        builder.Entity<UserSignIn>(e =>
        {
            e.ToTable("UserSignIns");
            e.HasKey(s => s.UserId);
            e.Property(s => s.UserId).HasMaxLength(450);
        });
    }

    /// <summary>Points the context at the product's database, as Hosting composed it.</summary>
    public static void Configure(DbContextOptionsBuilder builder, DatabaseConnection database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        switch (database.Provider)
        {
            case DatabaseConnection.Sqlite:
                builder.UseSqlite(database.ConnectionString, sqlite => sqlite.MigrationsHistoryTable(HistoryTable));
                break;
            case DatabaseConnection.PostgreSql:
                builder.UseNpgsql(database.ConnectionString, postgres => postgres.MigrationsHistoryTable(HistoryTable));
                break;
            default:
                throw new NotSupportedException($"the Identity tables support {DatabaseConnection.Sqlite} and {DatabaseConnection.PostgreSql}, not {database.Provider}");
        }
    }

    /// <summary>
    /// Registers the context for the database's provider, scoped: the provider's own context type
    /// (its migrations), handed out as <see cref="IdentityDatabase"/>.
    /// </summary>
    public static IServiceCollection AddIdentityDatabase(IServiceCollection services)
    {
        services.AddDbContext<IdentityDatabase>((sp, builder) => Configure(builder, sp.GetRequiredService<DatabaseConnection>()));
        services.AddDbContext<PostgreSqlIdentityDatabase>((sp, builder) => Configure(builder, sp.GetRequiredService<DatabaseConnection>()));
        // The registration above for the base type stays for SQLite; PostgreSQL swaps in its own type.
        services.AddScoped<IdentityDatabase>(sp => sp.GetRequiredService<DatabaseConnection>().Provider == DatabaseConnection.PostgreSql
            ? sp.GetRequiredService<PostgreSqlIdentityDatabase>()
            : ActivatorUtilities.CreateInstance<IdentityDatabase>(sp, sp.GetRequiredService<DbContextOptions<IdentityDatabase>>()));
        return services;
    }
}

/// <summary>
/// The Identity context on PostgreSQL: the same model, a type of its own so that its migrations
/// (<c>Identity/Migrations/PostgreSql</c>) are told apart from SQLite's. Decision 0008.
/// </summary>
public sealed class PostgreSqlIdentityDatabase(DbContextOptions<PostgreSqlIdentityDatabase> options) : IdentityDatabase(options)
{
}

/// <summary>One audited change to a user: who made it, when, what it was, and to whom.</summary>
public sealed class UserAuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The user name of the administrator who made the change.</summary>
    public string Actor { get; set; } = "";

    /// <summary>The user name of the user changed.</summary>
    public string TargetUser { get; set; } = "";

    /// <summary>created, changed, disabled, enabled, password-reset.</summary>
    public string Action { get; set; } = "";

    /// <summary>What changed, old → new (never a password).</summary>
    public string Details { get; set; } = "";
}

/// <summary>When a user last signed in (one row per user).</summary>
public sealed class UserSignIn
{
    public string UserId { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

/// <summary>For <c>dotnet ef migrations add … --context PostgreSqlIdentityDatabase</c> only: builds the model, opens no database.</summary>
internal sealed class PostgreSqlIdentityDatabaseDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlIdentityDatabase>
{
    public PostgreSqlIdentityDatabase CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgreSqlIdentityDatabase>();
        IdentityDatabase.Configure(builder, new DatabaseConnection(DatabaseConnection.PostgreSql, "Host=127.0.0.1;Database=design_time"));
        return new PostgreSqlIdentityDatabase(builder.Options);
    }
}

/// <summary>For <c>dotnet ef migrations add … --context IdentityDatabase</c> only: builds the model, opens no database.</summary>
internal sealed class IdentityDatabaseDesignTimeFactory : IDesignTimeDbContextFactory<IdentityDatabase>
{
    public IdentityDatabase CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<IdentityDatabase>();
        IdentityDatabase.Configure(builder, new DatabaseConnection(DatabaseConnection.Sqlite, "Data Source=design-time.db"));
        return new IdentityDatabase(builder.Options);
    }
}
