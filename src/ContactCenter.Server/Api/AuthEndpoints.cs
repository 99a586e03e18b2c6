using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ContactCenter.Server.Api;

/// <summary>Sign-in: bearer tokens for API clients, a cookie for the browser.</summary>
public static class AuthEndpoints
{
    public sealed record LoginRequest(string? UserName, string? Password);

    public sealed record RefreshRequest(string? RefreshToken);

    /// <summary>The signed-in user.</summary>
    public sealed record MeResponse(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Unit);

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous()
            .WithSummary("Signs in: returns a bearer token ({tokenType, accessToken, expiresIn, refreshToken}), or sets the cookie with ?useCookies=true.")
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesValidationProblem();
        group.MapPost("/refresh", RefreshAsync).AllowAnonymous()
            .WithSummary("Exchanges a refresh token for a new access token.")
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/logout", LogoutAsync).WithSummary("Signs the cookie out.");
        group.MapGet("/me", (CurrentUser user) => TypedResults.Ok(new MeResponse(user.UserName, user.DisplayName, [.. user.Roles.Order(StringComparer.Ordinal)], user.Unit)))
            .WithSummary("The signed-in user: name, display name, roles and unit.");
        return app;
    }

    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> LoginAsync(LoginRequest request, bool? useCookies, SignInManager<IdentityUser> signIn, SecurityLog security)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors["userName"] = ["a user name is required"];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["a password is required"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var cookies = useCookies == true;
        signIn.AuthenticationScheme = cookies ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.UserName!, request.Password!, isPersistent: false, lockoutOnFailure: true).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var reason = result.IsLockedOut ? "locked out" : result.IsNotAllowed ? "not allowed" : "wrong user name or password";
            security.SignInFailed(request.UserName, reason);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: result.IsLockedOut ? "Too many failed attempts; try again in a few minutes." : "Wrong user name or password.");
        }

        security.SignedIn(request.UserName!, cookies ? "cookie" : "bearer token");

        // The sign-in handler has written the token (bearer) or the cookie header already.
        return TypedResults.Empty;
    }

    private static async Task<Results<SignInHttpResult, ChallengeHttpResult>> RefreshAsync(RefreshRequest request, IOptionsMonitor<BearerTokenOptions> bearerOptions, SignInManager<IdentityUser> signIn, TimeProvider clock)
    {
        var protector = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = string.IsNullOrEmpty(request.RefreshToken) ? null : protector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal).ConfigureAwait(false) is not { } user)
        {
            return TypedResults.Challenge();
        }

        var principal = await signIn.CreateUserPrincipalAsync(user).ConfigureAwait(false);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static async Task<NoContent> LogoutAsync(SignInManager<IdentityUser> signIn)
    {
        await signIn.SignOutAsync().ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
