using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ContactCenter.Server.Security;

/// <summary>
/// Checks on every request that the signed-in user still exists with the security stamp their
/// cookie or bearer token was issued with. Disabling a user, changing their roles, unit or
/// password changes the stamp, so their existing tokens stop working at their next request
/// (bearer tokens carry no check of their own; the cookie's checks only every 30 minutes).
/// A stamp once confirmed is remembered, so a request costs no database read; this server
/// forgets it the moment it changes a user (<see cref="Forget"/>), another node after
/// <see cref="RecheckAfter"/>.
/// </summary>
public sealed class SignedInUserCheck(TimeProvider clock, IOptions<IdentityOptions> identity)
{
    /// <summary>How long a confirmed stamp is trusted without reading the user again.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (string Stamp, DateTimeOffset CheckedAt)> _confirmed = new(StringComparer.Ordinal);

    /// <summary>Makes the next request of <paramref name="userId"/> read the user again.</summary>
    public void Forget(string userId) => _confirmed.TryRemove(userId, out _);

    /// <summary>Whether <paramref name="principal"/> is still valid: its user exists, is not disabled, and its stamp is current.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, UserManager<IdentityUser> users)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(users);
        var userId = principal.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType);
        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (userId is null || stamp is null)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        if (_confirmed.TryGetValue(userId, out var known) && known.Stamp == stamp && now - known.CheckedAt < RecheckAfter)
        {
            return true;
        }

        var user = await users.FindByIdAsync(userId).ConfigureAwait(false);
        if (user is null || user.SecurityStamp != stamp || await users.IsLockedOutAsync(user).ConfigureAwait(false))
        {
            _confirmed.TryRemove(userId, out _);
            return false;
        }

        _confirmed[userId] = (stamp, now);
        return true;
    }
}
