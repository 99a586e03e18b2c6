using ContactCenter.Server.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace ContactCenter.Server.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Identity on the runtime's database (SQLite or PostgreSQL), cookie and bearer sign-in behind one combined
    /// scheme (a bearer token wins when present), the role policies of <see cref="Policies"/>,
    /// problem-details answers to failed authorization, <see cref="SecurityLog"/>, and the
    /// start-up that migrates Identity and creates the demo users. Data-protection keys live in
    /// the database, beside Identity (keys of an older release in <c>&lt;data&gt;/keys</c> are copied in at start).
    /// </summary>
    public static IServiceCollection AddServerSecurity(this IServiceCollection services)
    {
        // Before data protection's own start-up, which reads the key ring: the keys' table must exist.
        services.AddHostedService<IdentityStartup>();
        // Cookies and bearer tokens are protected with keys kept in the product's database (with
        // Identity), so they survive a restart, belong to this installation, and every node of a
        // cluster reads what another issued. The application name is fixed: ASP.NET Core's default
        // (the content root) would differ between nodes installed in different folders.
        services.AddDataProtection().SetApplicationName("ContactCenter").PersistKeysToDbContext<IdentityDatabase>();
        IdentityDatabase.AddIdentityDatabase(services);
        services.AddIdentityApiEndpoints<IdentityUser>(o =>
            {
                o.User.RequireUniqueEmail = false;
                // No lockout on failed passwords: it let anyone lock anyone out. SignInThrottle
                // delays guesses per name and client address instead (docs/security.md).
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<IdentityDatabase>();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = BrowserDefences.CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(9);

            // An API answers 401/403; it never redirects to a login page.
            o.Events.OnRedirectToLogin = c =>
            {
                c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = c =>
            {
                c.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddAuthorization(Policies.Configure);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddSingleton<SecurityLog>();
        services.AddSingleton<SignedInUserCheck>();
        services.AddSingleton<ContactCenter.Channels.Live.ILiveSignInCheck, LiveSignInCheck>();
        services.AddScoped<UserAdministration>();
        services.AddSignInLimits();
        return services;
    }
}
