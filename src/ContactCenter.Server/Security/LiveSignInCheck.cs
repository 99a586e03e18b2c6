using ContactCenter.Channels.Live;
using Microsoft.AspNetCore.Identity;

namespace ContactCenter.Server.Security;

/// <summary>
/// The live stream's sign-in check: the same <see cref="SignedInUserCheck"/> every request passes,
/// asked again before each write of a stream that lasts for hours, so a user disabled, re-roled or
/// given a new password stops receiving events (on this node at once, on another node within
/// <see cref="SignedInUserCheck.RecheckAfter"/> and a heartbeat).
/// </summary>
internal sealed class LiveSignInCheck(SignedInUserCheck check) : ILiveSignInCheck
{
    public async ValueTask<bool> IsStillSignedInAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.User.Identity?.IsAuthenticated == true
            && await check.IsCurrentAsync(http.User, http.RequestServices.GetRequiredService<UserManager<IdentityUser>>()).ConfigureAwait(false);
    }
}
