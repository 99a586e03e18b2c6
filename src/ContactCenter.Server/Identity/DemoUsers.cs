using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using ContactCenter.Server.Hosting;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactCenter.Server.Identity;

/// <summary>A demo user: a name, a display name, roles and (for a related team) a unit.</summary>
public sealed record DemoUser(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Unit = null);

/// <summary>What <c>demo-users.json</c> holds for one user.</summary>
public sealed record DemoCredential(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Unit, string Password);

/// <summary>
/// At start-up: applies the Identity migrations, makes sure every role exists and, on the first
/// start (no user yet), creates a demo user for every role with a random password, written to
/// <c>&lt;data&gt;/demo-users.json</c>, or, without demo users, the first administrator, whose
/// password is written to <c>&lt;data&gt;/initial-admin.json</c>.
/// </summary>
internal sealed class IdentityStartup(IServiceProvider services, IOptions<ServerOptions> options, ILogger<IdentityStartup> logger) : IHostedService
{
    /// <summary>The demo users, one or more per role (two agents, to show that agents see only their own).</summary>
    public static IReadOnlyList<DemoUser> Users { get; } =
    [
        new("agent.sari", "Sari", [Roles.Agent]),
        new("agent.budi", "Budi", [Roles.Agent]),
        new("tier2.dewi", "Dewi", [Roles.Tier2]),
        new("team.gadai", "Tim Divisi Gadai", [Roles.RelatedTeam], "Divisi Gadai"),
        new("leader.rina", "Rina", [Roles.TeamLeader]),
        new("qc.agus", "Agus", [Roles.QualityControl]),
        new("owner.gadhong", "Gadhong", [Roles.ProcessOwner]),
        new("reviewer.franskel", "Franskel", [Roles.Reviewer]),
        new("approver.rosyid", "Rosyid", [Roles.Approver]),
        new("admin", "Administrator", [Roles.Admin]),
    ];

    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        Directory.CreateDirectory(settings.DataPath);
        var scope = services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDatabase>();
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            await ImportKeyFilesAsync(db, Path.Combine(settings.DataPath, "keys"), cancellationToken).ConfigureAwait(false);
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Security.Roles.All)
            {
                if (!await roles.RoleExistsAsync(role).ConfigureAwait(false))
                {
                    Check(await roles.CreateAsync(new IdentityRole(role)).ConfigureAwait(false), $"role {role}");
                }
            }

            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var anyUser = await users.Users.AnyAsync(cancellationToken).ConfigureAwait(false);
            if (!anyUser && !settings.CreateDemoUsers)
            {
                await CreateInitialAdminAsync(users, settings.InitialAdminFile, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (!settings.CreateDemoUsers || anyUser)
            {
                if (File.Exists(settings.DemoUsersFile))
                {
                    logger.LogInformation("Demo users' passwords are in {DemoUsersFile}", settings.DemoUsersFile);
                }

                return;
            }

            var credentials = new List<DemoCredential>();
            foreach (var demo in Users)
            {
                var password = NewPassword();
                await CreateAsync(users, demo, password).ConfigureAwait(false);
                credentials.Add(new DemoCredential(demo.UserName, demo.DisplayName, demo.Roles, demo.Unit, password));
            }

            await WriteOwnerOnlyAsync(settings.DemoUsersFile, credentials, cancellationToken).ConfigureAwait(false);

            logger.LogWarning(
                "Created demo users {DemoUsers}; their passwords are in {DemoUsersFile} (e.g. jq -r '.[] | \"\\(.userName) \\(.password)\"' {DemoUsersFile})",
                string.Join(", ", Users.Select(u => $"{u.UserName} ({string.Join("+", u.Roles)})")),
                settings.DemoUsersFile,
                settings.DemoUsersFile);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// An installation of a release that kept its data-protection keys in <c>&lt;data&gt;/keys</c>:
    /// its keys are copied into the database once (while it holds none), so cookies and tokens
    /// issued before the upgrade stay valid. The files are left where they are.
    /// </summary>
    private async Task ImportKeyFilesAsync(IdentityDatabase db, string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder) || await db.DataProtectionKeys.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var files = Directory.GetFiles(folder, "*.xml").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            db.DataProtectionKeys.Add(new Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey
            {
                FriendlyName = Path.GetFileNameWithoutExtension(file),
                Xml = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false),
            });
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        if (files.Count > 0)
        {
            logger.LogInformation("{Count} data-protection keys copied from {KeysFolder} into the database", files.Count, folder);
        }
    }

    /// <summary>The first administrator of an installation without demo users.</summary>
    public static DemoUser InitialAdmin { get; } = new("admin", "Administrator", [Security.Roles.Admin]);

    /// <summary>
    /// An installation that starts with no user at all and no demo users would have no way to
    /// sign anyone in: it gets one administrator, whose random password is written to a file only
    /// the server's own account can read. Only the path is logged, never the password.
    /// </summary>
    private async Task CreateInitialAdminAsync(UserManager<IdentityUser> users, string file, CancellationToken cancellationToken)
    {
        var password = NewPassword();
        await CreateAsync(users, InitialAdmin, password).ConfigureAwait(false);
        var credential = new DemoCredential(InitialAdmin.UserName, InitialAdmin.DisplayName, InitialAdmin.Roles, InitialAdmin.Unit, password);
        await WriteOwnerOnlyAsync(file, credential, cancellationToken).ConfigureAwait(false);
        logger.LogWarning(
            "Created the first administrator {UserName}; the password is in {InitialAdminFile} (readable by this account only): sign in, add the centre's users, then delete the file",
            InitialAdmin.UserName,
            file);
    }

    /// <summary>Writes <paramref name="content"/> as JSON to a file readable and writable by its owner only.</summary>
    private static async Task WriteOwnerOnlyAsync<T>(string file, T content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created owner-only before the secret is written, so it is never readable by others.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(file, options);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, content, FileJson, cancellationToken).ConfigureAwait(false);
        }

        if (!OperatingSystem.IsWindows())
        {
            // An existing file keeps its mode on FileMode.Create: set it again.
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Creates a user with roles, display name and unit claims.</summary>
    internal static async Task CreateAsync(UserManager<IdentityUser> users, DemoUser demo, string password)
    {
        var user = new IdentityUser(demo.UserName) { EmailConfirmed = true };
        Check(await users.CreateAsync(user, password).ConfigureAwait(false), $"user {demo.UserName}");
        Check(await users.AddToRolesAsync(user, demo.Roles).ConfigureAwait(false), $"roles of {demo.UserName}");
        var claims = new List<Claim> { new(ClaimNames.DisplayName, demo.DisplayName) };
        if (demo.Unit is not null)
        {
            claims.Add(new Claim(ClaimNames.Unit, demo.Unit));
        }

        Check(await users.AddClaimsAsync(user, claims).ConfigureAwait(false), $"claims of {demo.UserName}");
    }

    /// <summary>20 random characters with an upper- and lower-case letter, a digit and a symbol (Identity's default rules).</summary>
    internal static string NewPassword()
    {
        var chars = (RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 5)
            + RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyz", 8)
            + RandomNumberGenerator.GetString("23456789", 5)
            + RandomNumberGenerator.GetString("-_.!", 2)).ToCharArray();
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
