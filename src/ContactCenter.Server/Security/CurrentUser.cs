using System.Reflection;
using System.Security.Claims;

namespace ContactCenter.Server.Security;

/// <summary>
/// Who is asking: the signed-in user's name, display name, roles and unit. Take it as a
/// minimal-API parameter (<c>CurrentUser user</c>) or build it with <see cref="From"/>.
/// </summary>
public sealed record CurrentUser(string UserName, string DisplayName, IReadOnlySet<string> Roles, string? Unit)
{
    public bool IsAuthenticated => UserName.Length > 0;

    public bool IsInRole(string role) => Roles.Contains(role);

    public bool IsInAnyRole(IEnumerable<string> roles) => roles.Any(Roles.Contains);

    /// <summary>The current user of a principal; an anonymous one has an empty <see cref="UserName"/>.</summary>
    public static CurrentUser From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true)
        {
            return new CurrentUser(string.Empty, string.Empty, new HashSet<string>(), null);
        }

        var name = principal.Identity.Name ?? principal.FindFirstValue(ClaimTypes.Name) ?? string.Empty;
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new CurrentUser(name, principal.FindFirstValue(ClaimNames.DisplayName) ?? name, roles, principal.FindFirstValue(ClaimNames.Unit));
    }

    /// <summary>Minimal-API binding: a <c>CurrentUser</c> parameter is the request's user.</summary>
    public static ValueTask<CurrentUser?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<CurrentUser?>(From(context.User));
    }
}
