using System.Net;
using ContactCenter.Server.Security;
using FluentAssertions;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Server.Tests.Security;

/// <summary>
/// Sign-in against guessing without handing anyone a denial of service: no account lockout,
/// growing delays per user name and client address, a per-address rate limit, and the same
/// password hashing for unknown names as for known ones. A server of its own: the limits are
/// per address and every in-memory client has the same one.
/// </summary>
public sealed class SignInTests : IAsyncLifetime, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cc-signin-tests-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero));
    private readonly CountingHasher _hasher = new();
    private ServerFactory _factory = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _factory = new ServerFactory(_folder, services =>
        {
            services.RemoveAll<SignInThrottle>();
            services.AddSingleton(new SignInThrottle(_clock));
            services.RemoveAll<IPasswordHasher<IdentityUser>>();
            services.AddSingleton<IPasswordHasher<IdentityUser>>(_hasher);
            services.AddSingleton<IStartupFilter, ClientAddressFromHeader>();
        })
        { SignInAttemptsPerMinute = "20" };
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public void Dispose() => _factory?.Dispose(); // DisposeAsync stopped it already; a second dispose is a no-op

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on the way out; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>A sign-in from <paramref name="address"/> (the test's start-up filter sets the client address from a header).</summary>
    private async Task<Answer> LoginAsync(string address, string userName, string password)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName, password }) };
        request.Headers.Add(ClientAddressFromHeader.Header, address);
        using var response = await client.SendAsync(request);
        return new Answer(response.StatusCode, response.Headers.RetryAfter?.ToString() ?? string.Empty, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sets the connection's remote address from <see cref="Header"/>, first in the pipeline: in memory every client has none.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public const string Header = "X-Test-Client-Address";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }

    private sealed record Answer(HttpStatusCode Status, string RetryAfter, string Body);

    private string PasswordOf(string user)
    {
        using var file = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "demo-users.json")));
        return file.RootElement.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == user).GetProperty("password").GetString()!;
    }

    [Fact]
    public async Task WrongPasswords_NeverLockTheAccount_ButDelayTheGuesser_GrowingPerAttempt()
    {
        const string guesser = "10.0.0.66";
        for (var i = 0; i < SignInThrottle.FreeFailures; i++)
        {
            var answer = await LoginAsync(guesser, "admin", "guess" + i);
            answer.Status.Should().Be(HttpStatusCode.Unauthorized, answer.Body);
        }

        // Now the name waits 1 s from this address, then 2 s after the next failure; the right password too, until the wait is over.
        var throttled = await LoginAsync(guesser, "admin", PasswordOf("admin"));
        throttled.Status.Should().Be(HttpStatusCode.TooManyRequests);
        throttled.Body.Should().Contain("1 s");
        throttled.RetryAfter.Should().Be("1");
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await LoginAsync(guesser, "admin", "guess-again")).Status.Should().Be(HttpStatusCode.Unauthorized);
        (await LoginAsync(guesser, "admin", PasswordOf("admin"))).RetryAfter.Should().Be("2");

        // The owner at another desk was never held up; the guesser's own address signs in once the wait is over.
        (await LoginAsync("10.0.0.7", "admin", PasswordOf("admin"))).Status.Should().Be(HttpStatusCode.OK);
        _clock.Advance(TimeSpan.FromSeconds(2));
        (await LoginAsync(guesser, "admin", PasswordOf("admin"))).Status.Should().Be(HttpStatusCode.OK);
        (await LoginAsync(guesser, "admin", "x")).Status.Should().Be(HttpStatusCode.Unauthorized, "a success cleared the count");
    }

    [Fact]
    public void Delay_DoublesFromOneSecond_UpToFifteenMinutes()
    {
        Enumerable.Range(0, 16).Select(SignInThrottle.DelayAfter).Select(d => (int)d.TotalSeconds).Should().Equal(0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900);
    }

    [Fact]
    public void Throttle_IsPerNameAndAddress_SoAGuesserElsewhereDoesNotBlockTheOwner()
    {
        var throttle = new SignInThrottle(_clock);
        for (var i = 0; i < 10; i++)
        {
            throttle.Failed("admin", "10.0.0.66");
        }

        throttle.WaitBefore("admin", "10.0.0.66").Should().BePositive();
        throttle.WaitBefore("ADMIN ", "10.0.0.66").Should().BePositive("names compare as Identity does");
        throttle.WaitBefore("admin", "10.0.0.7").Should().Be(TimeSpan.Zero);
        throttle.WaitBefore("agent.sari", "10.0.0.66").Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public async Task UnknownUserName_CostsTheSamePasswordHashingAsAKnownOne()
    {
        var before = _hasher.Verifications;

        (await LoginAsync("10.0.0.20", "no.such.user", "x")).Status.Should().Be(HttpStatusCode.Unauthorized);
        var unknown = _hasher.Verifications - before;
        (await LoginAsync("10.0.0.20", "agent.budi", "x")).Status.Should().Be(HttpStatusCode.Unauthorized);
        var known = _hasher.Verifications - before - unknown;

        unknown.Should().Be(1).And.Be(known, "both answers verify one password hash, so their timing does not tell which names exist");
    }

    [Fact]
    public async Task ManyAttemptsFromOneAddress_AreRateLimitedWith429_OtherAddressesNot()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            statuses.Add((await LoginAsync("10.0.0.99", $"spray{i}", "x")).Status);
        }

        statuses.Take(20).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.Unauthorized));
        statuses.Skip(20).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.TooManyRequests));
        var limited = await LoginAsync("10.0.0.99", "spray", "x");
        limited.RetryAfter.Should().NotBeEmpty();
        limited.Body.Should().Contain("At most 20 sign-in attempts a minute");
        (await LoginAsync("10.0.0.100", "spray", "x")).Status.Should().Be(HttpStatusCode.Unauthorized);
    }

    /// <summary>Identity's hasher, counting verifications.</summary>
    private sealed class CountingHasher : IPasswordHasher<IdentityUser>
    {
        private readonly PasswordHasher<IdentityUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(IdentityUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(IdentityUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
