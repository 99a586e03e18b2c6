using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Server.Security;

/// <summary>
/// Security events (denied actions, sign-ins) on their own logger category,
/// <see cref="Category"/>, so they can be routed and kept apart from the rest.
/// </summary>
public sealed class SecurityLog(ILoggerFactory loggers)
{
    /// <summary>The logger category of security events.</summary>
    public const string Category = "ContactCenter.Security";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    /// <summary>Logs a denied action with user, roles, method, route and reason.</summary>
    public void Denied(HttpContext context, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = CurrentUser.From(context.User);
        _logger.LogWarning(
            "Denied {Method} {Path} to {UserName} ({Roles}): {Reason}",
            context.Request.Method,
            context.Request.Path.Value,
            user.IsAuthenticated ? user.UserName : "(anonymous)",
            string.Join(",", user.Roles.Order(StringComparer.Ordinal)),
            reason);
    }

    public void SignedIn(string userName, string how) => _logger.LogInformation("Signed in {UserName} with {SignInKind}", userName, how);

    public void SignInFailed(string? userName, string reason) => _logger.LogWarning("Sign-in failed for {UserName}: {Reason}", userName, reason);

    /// <summary>Logs the denial and returns the 403 problem the API answers with.</summary>
    public ProblemHttpResult Forbid(HttpContext context, string reason)
    {
        Denied(context, reason);
        return TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Forbidden",
            Detail = reason,
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        });
    }
}
