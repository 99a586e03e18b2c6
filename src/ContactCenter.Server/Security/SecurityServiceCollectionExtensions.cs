using ContactCenter.Hosting;
using ContactCenter.Server.Hosting;
using ContactCenter.Server.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ContactCenter.Server.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Identity on the runtime's SQLite file, cookie and bearer sign-in behind one combined
    /// scheme (a bearer token wins when present), the role policies of <see cref="Policies"/>,
    /// problem-details answers to failed authorization, <see cref="SecurityLog"/>, and the
    /// start-up that migrates Identity and creates the demo users. Data-protection keys live in
    /// <c>&lt;data&gt;/keys</c>.
    /// </summary>
    public static IServiceCollection AddServerSecurity(this IServiceCollection services)
    {
        // Cookies and bearer tokens are protected with keys kept in the data folder, so they
        // survive a restart and belong to this installation (PersistKeysToFileSystem, with the
        // folder taken from the bound options).
        services.AddDataProtection().SetApplicationName("ContactCenter");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<ServerOptions>, ILoggerFactory>((keys, server, loggers) =>
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(server.Value.DataPath, "keys")), loggers));
        services.AddDbContext<IdentityDatabase>((sp, builder) => IdentityDatabase.Configure(builder, sp.GetRequiredService<DatabaseConnection>()));
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
        services.AddScoped<UserAdministration>();
        services.AddSignInLimits();
        services.AddHostedService<IdentityStartup>();
        return services;
    }
}
