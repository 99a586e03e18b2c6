using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Server.Security;

/// <summary>
/// Answers a failed authorization with problem details instead of an empty body or a redirect:
/// 401 without a signed-in user, 403 (and a security log event) for a user whose roles do not fit.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler(SecurityLog security, IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // The default handler challenges or forbids the schemes (the bearer scheme sets 401/403 and
        // WWW-Authenticate); the body is ours.
        await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
        if (authorizeResult.Forbidden)
        {
            var reason = authorizeResult.AuthorizationFailure?.FailedRequirements.FirstOrDefault() is { } requirement
                ? $"requires {Describe(requirement)}"
                : "not allowed";
            security.Denied(context, reason);
            await WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", $"Your roles do not allow this action: it {reason}.").ConfigureAwait(false);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "Sign in first: POST /api/auth/login, then send the token as 'Authorization: Bearer <token>' (or use the cookie).").ConfigureAwait(false);
        }
    }

    private static string Describe(IAuthorizationRequirement requirement) => requirement switch
    {
        Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement roles => "one of the roles " + string.Join(", ", roles.AllowedRoles),
        _ => requirement.ToString() ?? "a requirement",
    };

    private async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }
}
