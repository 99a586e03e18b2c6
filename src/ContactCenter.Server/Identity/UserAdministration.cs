using System.Security.Claims;
using System.Text.RegularExpressions;
using ContactCenter.Channels.Live;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using static ContactCenter.Server.Api.UserEndpoints;

namespace ContactCenter.Server.Identity;

/// <summary>
/// What an administrator does to users, each change with its audit row in the same transaction.
/// A disabled user is locked out for good (failed-password lockout is off, so lockout means
/// disabled only). Every change renews the user's security stamp: their tokens carry the old
/// display name, roles and unit, and stop working at their next request.
/// </summary>
public sealed partial class UserAdministration(UserManager<IdentityUser> users, IdentityDatabase db, TimeProvider clock, SignedInUserCheck signedIn, ILiveStreams liveStreams)
{
    /// <summary>The result of a change: the user after it, or why not (a conflict, invalid fields), and a password the server made.</summary>
    public sealed record Outcome(UserView? User, string? Password = null, string? Conflict = null, Dictionary<string, string[]>? Errors = null);

    private const int MaxTextLength = 100;

    [GeneratedRegex("^[a-z][a-z0-9._-]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserNameRule();

    /// <summary>3 to 64 characters: lower-case letters, digits, '.', '_', '-', starting with a letter.</summary>
    public static void CheckUserName(string? userName, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(userName) || !UserNameRule().IsMatch(userName))
        {
            errors["userName"] = ["3 to 64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter (e.g. agent.sari)"];
        }
    }

    /// <summary>A display name, one or more roles of the fixed set, and a unit exactly when RelatedTeam is among them.</summary>
    public static void CheckProfile(string? displayName, IReadOnlyList<string>? roles, string? unit, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(displayName))
        {
            errors["displayName"] = ["a display name is required (the name customers hear)"];
        }
        else if (displayName.Length > MaxTextLength || Api.InputText.HasControlCharacters(displayName))
        {
            errors["displayName"] = [$"at most {MaxTextLength} characters, no control characters"];
        }

        if (roles is null || roles.Count == 0)
        {
            errors["roles"] = [$"one or more of {string.Join(", ", Roles.All)}"];
        }
        else if (roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
        {
            errors["roles"] = [$"'{unknown}' is not a role; the roles are {string.Join(", ", Roles.All)}"];
        }
        else if (roles.Distinct(StringComparer.Ordinal).Count() != roles.Count)
        {
            errors["roles"] = ["a role is named twice"];
        }

        var hasUnit = !string.IsNullOrWhiteSpace(unit);
        var relatedTeam = roles?.Contains(Roles.RelatedTeam) == true;
        if (relatedTeam && !hasUnit)
        {
            errors["unit"] = ["a RelatedTeam user needs the unit whose tickets they work (e.g. Divisi Gadai)"];
        }
        else if (!relatedTeam && hasUnit)
        {
            errors["unit"] = ["only a RelatedTeam user has a unit"];
        }
        else if (hasUnit && (unit!.Length > MaxTextLength || Api.InputText.HasControlCharacters(unit)))
        {
            errors["unit"] = [$"at most {MaxTextLength} characters, no control characters"];
        }
    }

    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken).ConfigureAwait(false);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var claims = await db.UserClaims.AsNoTracking().Where(c => c.ClaimType == ClaimNames.DisplayName || c.ClaimType == ClaimNames.Unit)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var signIns = await db.UserSignIns.AsNoTracking().ToDictionaryAsync(s => s.UserId, s => s.At, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        return [.. all.Select(u => new UserView(
            u.UserName!,
            claims.FirstOrDefault(c => c.UserId == u.Id && c.ClaimType == ClaimNames.DisplayName)?.ClaimValue ?? u.UserName!,
            [.. roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal)],
            claims.FirstOrDefault(c => c.UserId == u.Id && c.ClaimType == ClaimNames.Unit)?.ClaimValue,
            IsDisabled(u, now),
            signIns.TryGetValue(u.Id, out var at) ? at : null))];
    }

    public async Task<Outcome> CreateAsync(string actor, string userName, string displayName, IReadOnlyList<string> roles, string? unit, string? password)
    {
        if (await users.FindByNameAsync(userName).ConfigureAwait(false) is not null)
        {
            return new Outcome(null, Conflict: $"the user name '{userName}' is taken");
        }

        var made = password is null;
        password ??= IdentityStartup.NewPassword();
        var user = new IdentityUser(userName) { EmailConfirmed = true };
        var transaction = await db.Database.BeginTransactionAsync().ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var created = await users.CreateAsync(user, password).ConfigureAwait(false);
            if (!created.Succeeded)
            {
                return Refused(created);
            }

            await SetProfileAsync(user, displayName, roles, unit).ConfigureAwait(false);
            Audit(actor, userName, "created", $"displayName: {displayName}; roles: {Join(roles)}; unit: {unit ?? "-"}; password: {(made ? "made by the server" : "given")}");
            await db.SaveChangesAsync().ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }

        return new Outcome(await ViewAsync(user).ConfigureAwait(false), made ? password : null);
    }

    public async Task<Outcome> ChangeAsync(string actor, string userName, string displayName, IReadOnlyList<string> roles, string? unit)
    {
        if (await users.FindByNameAsync(userName).ConfigureAwait(false) is not { } user)
        {
            return new Outcome(null);
        }

        var before = await ViewAsync(user).ConfigureAwait(false);

        var changes = new List<string>();
        if (before.DisplayName != displayName)
        {
            changes.Add($"displayName: {before.DisplayName} → {displayName}");
        }

        if (Join(before.Roles) != Join(roles))
        {
            changes.Add($"roles: {Join(before.Roles)} → {Join(roles)}");
        }

        if (before.Unit != unit)
        {
            changes.Add($"unit: {before.Unit ?? "-"} → {unit ?? "-"}");
        }

        if (changes.Count == 0)
        {
            return new Outcome(before);
        }

        var transaction = await BeginUserChangeAsync().ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (!roles.Contains(Roles.Admin) && before.Roles.Contains(Roles.Admin) && !before.Disabled && !await AnotherEnabledAdminAsync(user).ConfigureAwait(false))
            {
                return new Outcome(null, Conflict: $"'{userName}' is the last enabled administrator: give another user the Admin role first");
            }

            Check(await users.RemoveFromRolesAsync(user, before.Roles).ConfigureAwait(false));
            var old = (await users.GetClaimsAsync(user).ConfigureAwait(false)).Where(c => c.Type is ClaimNames.DisplayName or ClaimNames.Unit).ToList();
            Check(await users.RemoveClaimsAsync(user, old).ConfigureAwait(false));
            await SetProfileAsync(user, displayName, roles, unit).ConfigureAwait(false);
            Audit(actor, user.UserName!, "changed", string.Join("; ", changes));
            await db.SaveChangesAsync().ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }

        EndSessions(user);
        return new Outcome(await ViewAsync(user).ConfigureAwait(false));
    }

    public async Task<Outcome> SetDisabledAsync(string actor, string userName, bool disabled)
    {
        if (await users.FindByNameAsync(userName).ConfigureAwait(false) is not { } user)
        {
            return new Outcome(null);
        }

        var before = await ViewAsync(user).ConfigureAwait(false);
        if (before.Disabled == disabled)
        {
            return new Outcome(before);
        }

        var transaction = await BeginUserChangeAsync().ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (disabled && before.Roles.Contains(Roles.Admin) && !await AnotherEnabledAdminAsync(user).ConfigureAwait(false))
            {
                return new Outcome(null, Conflict: $"'{userName}' is the last enabled administrator: enable or add another administrator first");
            }

            user.LockoutEnabled = disabled;
            user.LockoutEnd = disabled ? DateTimeOffset.MaxValue : null;
            Check(await users.UpdateSecurityStampAsync(user).ConfigureAwait(false));
            Audit(actor, user.UserName!, disabled ? "disabled" : "enabled", disabled ? "cannot sign in; signed-out everywhere" : "can sign in again");
            await db.SaveChangesAsync().ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }

        EndSessions(user);
        return new Outcome(await ViewAsync(user).ConfigureAwait(false));
    }

    public async Task<Outcome> ResetPasswordAsync(string actor, string userName, string? password)
    {
        if (await users.FindByNameAsync(userName).ConfigureAwait(false) is not { } user)
        {
            return new Outcome(null);
        }

        var made = string.IsNullOrEmpty(password);
        if (made)
        {
            password = IdentityStartup.NewPassword();
        }
        else
        {
            var problems = new List<string>();
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, user, password!).ConfigureAwait(false);
                problems.AddRange(result.Errors.Select(e => e.Description));
            }

            if (problems.Count > 0)
            {
                return new Outcome(null, Errors: new(StringComparer.Ordinal) { ["password"] = [.. problems] });
            }
        }

        var transaction = await db.Database.BeginTransactionAsync().ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            user.PasswordHash = users.PasswordHasher.HashPassword(user, password!);
            Check(await users.UpdateSecurityStampAsync(user).ConfigureAwait(false));
            Audit(actor, user.UserName!, "password-reset", made ? "a random password made by the server" : "a password given by the administrator");
            await db.SaveChangesAsync().ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }

        EndSessions(user);
        return new Outcome(await ViewAsync(user).ConfigureAwait(false), made ? password : null);
    }

    /// <summary>Notes a successful sign-in of <paramref name="user"/>.</summary>
    public async Task SignedInAsync(IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var row = await db.UserSignIns.FindAsync(user.Id).ConfigureAwait(false);
        if (row is null)
        {
            db.UserSignIns.Add(new UserSignIn { UserId = user.Id, At = clock.GetUtcNow() });
        }
        else
        {
            row.At = clock.GetUtcNow();
        }

        await db.SaveChangesAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The user's tokens stop at their next request on this node at once (other nodes within
    /// <see cref="SignedInUserCheck.RecheckAfter"/>), and their open live streams end now.
    /// </summary>
    private void EndSessions(IdentityUser user)
    {
        signedIn.Forget(user.Id);
        liveStreams.EndStreamsOf(user.UserName!);
    }

    /// <summary>
    /// A transaction for a change that could take away the last enabled administrator. The check
    /// is made inside it, not before: two administrators disabling each other at the same moment
    /// would both pass a check made before. Changes of users take this transaction one at a time:
    /// SQLite's transactions here begin IMMEDIATE (one writer), and on PostgreSQL an advisory lock
    /// held to the end of the transaction stands in for that, on every node.
    /// </summary>
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginUserChangeAsync()
    {
        var transaction = await db.Database.BeginTransactionAsync().ConfigureAwait(false);
        if (db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({UserChangeLockKey})").ConfigureAwait(false);
        }

        return transaction;
    }

    /// <summary>The advisory lock key of changes to users (an arbitrary constant, "users" in ASCII).</summary>
    private const long UserChangeLockKey = 0x7573657273;

    /// <summary>
    /// Whether an administrator other than <paramref name="user"/> is enabled, read from the rows
    /// as they are now: untracked, because this request's context may already hold the other
    /// administrator's row as it was before another request disabled them.
    /// </summary>
    private async Task<bool> AnotherEnabledAdminAsync(IdentityUser user)
    {
        var now = clock.GetUtcNow();
        var adminRole = users.NormalizeName(Roles.Admin);
        var others = await db.Users.AsNoTracking()
            .Where(u => u.Id != user.Id && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == adminRole)))
            .ToListAsync().ConfigureAwait(false);
        return others.Any(a => !IsDisabled(a, now));
    }

    private async Task SetProfileAsync(IdentityUser user, string displayName, IReadOnlyList<string> roles, string? unit)
    {
        Check(await users.AddToRolesAsync(user, roles).ConfigureAwait(false));
        var claims = new List<Claim> { new(ClaimNames.DisplayName, displayName) };
        if (unit is not null)
        {
            claims.Add(new Claim(ClaimNames.Unit, unit));
        }

        Check(await users.AddClaimsAsync(user, claims).ConfigureAwait(false));
        Check(await users.UpdateSecurityStampAsync(user).ConfigureAwait(false));
    }

    private async Task<UserView> ViewAsync(IdentityUser user)
    {
        var claims = await users.GetClaimsAsync(user).ConfigureAwait(false);
        var roles = await users.GetRolesAsync(user).ConfigureAwait(false);
        var signIn = await db.UserSignIns.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == user.Id).ConfigureAwait(false);
        return new UserView(
            user.UserName!,
            claims.FirstOrDefault(c => c.Type == ClaimNames.DisplayName)?.Value ?? user.UserName!,
            [.. roles.Order(StringComparer.Ordinal)],
            claims.FirstOrDefault(c => c.Type == ClaimNames.Unit)?.Value,
            IsDisabled(user, clock.GetUtcNow()),
            signIn?.At);
    }

    private void Audit(string actor, string target, string action, string details) =>
        db.UserAudit.Add(new UserAuditEntry { At = clock.GetUtcNow(), Actor = actor, TargetUser = target, Action = action, Details = details });

    private static bool IsDisabled(IdentityUser user, DateTimeOffset now) => user.LockoutEnabled && user.LockoutEnd > now;

    private static string Join(IEnumerable<string> roles) => string.Join(", ", roles.Order(StringComparer.Ordinal));

    private static Outcome Refused(IdentityResult result)
    {
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            return new Outcome(null, Conflict: "the user name is taken");
        }

        var errors = result.Errors
            .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : e.Code.Contains("UserName", StringComparison.Ordinal) ? "userName" : "user")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray(), StringComparer.Ordinal);
        return new Outcome(null, Errors: errors);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
