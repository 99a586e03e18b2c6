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
