using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Security;

/// <summary>
/// A server of its own whose only administrators are two users who disable each other at the same
/// moment, round after round: the check that keeps one enabled administrator is repeated inside
/// the change's transaction, so exactly one of the two succeeds each time.
/// (Found by review: both used to succeed, leaving no administrator.)
/// </summary>
public sealed class LastAdminRaceTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task TwoAdminsDisablingEachOther_OneSucceeds_OneIsRefused_AnAdminRemains()
    {
        using var admin = await _server.ClientForAsync("admin");
        var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "admin.ayu", "admin.bayu" })
        {
            passwords[name] = (await admin.PostJsonAsync("/api/admin/users", new { userName = name, displayName = name, roles = new[] { "Admin" } }, HttpStatusCode.Created))
                .GetProperty("password").GetString()!;
        }

        using var ayu = await SignInAsync("admin.ayu", passwords["admin.ayu"]);
        await ayu.PostJsonAsync("/api/admin/users/admin/disable", new { });

        for (var round = 0; round < 5; round++)
        {
            using var first = await SignInAsync("admin.ayu", passwords["admin.ayu"]);
            using var second = await SignInAsync("admin.bayu", passwords["admin.bayu"]);
            var answers = await Task.WhenAll(
                first.PostAsync("/api/admin/users/admin.bayu/disable", null),
                second.PostAsync("/api/admin/users/admin.ayu/disable", null));

            // The loser is refused by the check (409), or, when the winner committed before the
            // loser's request was even authenticated, as a user who is no longer enabled (401).
            answers.Count(a => a.StatusCode == HttpStatusCode.OK).Should().Be(1, $"round {round}: one administrator must stay enabled");
            answers.Should().Contain(a => a.StatusCode == HttpStatusCode.Conflict || a.StatusCode == HttpStatusCode.Unauthorized);
            var (survivor, other) = answers[0].StatusCode == HttpStatusCode.OK ? (first, "admin.bayu") : (second, "admin.ayu");
            var enabledAdmins = (await survivor.GetJsonAsync("/api/admin/users")).EnumerateArray()
                .Where(u => u.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "Admin") && !u.GetProperty("disabled").GetBoolean())
                .ToList();
            enabledAdmins.Should().ContainSingle();
            await survivor.PostJsonAsync($"/api/admin/users/{other}/enable", new { });
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }
    }

    private async Task<HttpClient> SignInAsync(string userName, string password)
    {
        using var anonymous = _server.Anonymous();
        var token = (await (await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password })).JsonAsync()).GetProperty("accessToken").GetString();
        var client = _server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
