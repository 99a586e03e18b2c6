using ContactCenter.Server.Identity;
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
        group.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(SignInLimits.Policy).Accepts<LoginRequest>("application/json")
            .WithSummary("Signs in: returns a bearer token ({tokenType, accessToken, expiresIn, refreshToken}), or sets the cookie with ?useCookies=true.")
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesValidationProblem();
        group.MapPost("/refresh", RefreshAsync).AllowAnonymous().RequireRateLimiting(SignInLimits.Policy)
            .WithSummary("Exchanges a refresh token for a new access token.")
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/logout", LogoutAsync).WithSummary("Signs the cookie out.");
        group.MapGet("/me", (CurrentUser user) => TypedResults.Ok(new MeResponse(user.UserName, user.DisplayName, [.. user.Roles.Order(StringComparer.Ordinal)], user.Unit)))
            .WithSummary("The signed-in user: name, display name, roles and unit.");
        return app;
    }

    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request,
        bool? useCookies,
        HttpContext context,
        SignInManager<IdentityUser> signIn,
        IPasswordHasher<IdentityUser> hasher,
        SignInThrottle throttle,
        SecurityLog security,
        UserAdministration administration)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors["userName"] = ["a user name is required"];
        }
        else if (request.UserName.Length > 256)
        {
            errors["userName"] = ["at most 256 characters"];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["a password is required"];
        }
        else if (request.Password.Length > 1024)
        {
            errors["password"] = ["at most 1024 characters"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var userName = request.UserName!;
        var address = SignInLimits.ClientAddress(context);
        if (throttle.WaitBefore(userName, address) is { Ticks: > 0 } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            security.SignInFailed(userName, $"throttled for {seconds} s after failed attempts from {address}");
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins", detail: $"Wait {seconds} s before trying this user name again.");
        }

        var cookies = useCookies == true;
        signIn.AuthenticationScheme = cookies ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;

        // An unknown name costs the same password hashing as a known one, so the answer's timing
        // does not tell which names exist. No lockout: SignInThrottle slows a guesser instead.
        var user = await signIn.UserManager.FindByNameAsync(userName).ConfigureAwait(false);
        SignInResult result;
        if (user is null)
        {
            hasher.VerifyHashedPassword(UnknownUser, UnknownUserHash(hasher), request.Password!);
            result = SignInResult.Failed;
        }
        else
        {
            result = await signIn.PasswordSignInAsync(user, request.Password!, isPersistent: false, lockoutOnFailure: false).ConfigureAwait(false);
        }

        if (!result.Succeeded)
        {
            throttle.Failed(userName, address);
            var reason = result.IsLockedOut ? "locked out" : result.IsNotAllowed ? "not allowed" : "wrong user name or password";
            security.SignInFailed(userName, reason);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "Wrong user name or password.");
        }

        throttle.Succeeded(userName, address);
        await administration.SignedInAsync(user!).ConfigureAwait(false);
        security.SignedIn(userName, cookies ? "cookie" : "bearer token");

        // The sign-in handler has written the token (bearer) or the cookie header already.
        return TypedResults.Empty;
    }

    private static readonly IdentityUser UnknownUser = new("unknown-user");

    private static string? _unknownUserHash;

    /// <summary>A hash of a random password in the hasher's current format, made once: what an unknown name is checked against.</summary>
    private static string UnknownUserHash(IPasswordHasher<IdentityUser> hasher) =>
        _unknownUserHash ??= hasher.HashPassword(UnknownUser, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

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
