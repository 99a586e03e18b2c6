using System.Net;
using FluentAssertions;

namespace ContactCenter.Server.Tests;

/// <summary>A server of its own: stopped and started again on the same data folder.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Restart_ConversationInFlight_KeepsItsTimerAndContinuesToClose()
    {
        var password = _server.PasswordOf("agent.sari");
        Guid id;
        DateTimeOffset dueAt;
        using (var sari = await _server.ClientForAsync("agent.sari"))
        {
            var chat = await Conversation.StartAsync(sari, "whatsapp", "+628999");
            var state = await chat.CompleteAsync("Task_SalamPembuka");
            dueAt = state.GetProperty("timers").EnumerateArray().Single().GetProperty("dueAt").GetDateTimeOffset();
            id = chat.Id;
        }

        await _server.RestartAsync();

        _server.PasswordOf("agent.sari").Should().Be(password, "demo users are created on the first start only");
        using var anonymous = _server.Anonymous();
        // Ready (200), though Degraded in December or later while the repository has no holidays for next year.
        (await anonymous.GetJsonAsync("/health/ready")).GetProperty("status").GetString().Should().BeOneOf("Healthy", "Degraded");

        using var again = await _server.ClientForAsync("agent.sari");
        var resumed = new Conversation(again, id);
        var after = await resumed.StateAsync();
        after.GetProperty("status").GetString().Should().Be("Running");
        after.GetProperty("timers").EnumerateArray().Single().GetProperty("dueAt").GetDateTimeOffset().Should().Be(dueAt);

        await resumed.CustomerSaysAsync("Halo, masih di sini", "restart-1");
        await resumed.CompleteAsync("Task_Verifikasi");
        await resumed.CompleteAsync("Task_Identifikasi");
        await resumed.CompleteAsync("Task_Solusi");
        await resumed.CompleteAsync("Gateway_PerluTiket", "Tidak");
        await resumed.CompleteAsync("Task_TawarkanBantuan");
        await resumed.CustomerSaysAsync("Sudah cukup", "restart-2");
        await resumed.CompleteAsync("Gateway_BantuanLain", "Tidak");
        await resumed.CompleteAsync("Task_SalamPenutup");
        await resumed.CompleteAsync("Gateway_Tertarik", "Tidak");
        var closed = await resumed.CompleteAsync("Task_Dokumentasi");
        closed.GetProperty("status").GetString().Should().Be("Completed");

        var journal = await again.GetJsonAsync($"/api/instances/{id}/journal");
        journal.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).Should().Equal(Enumerable.Range(1, journal.GetArrayLength()).Select(i => (long)i), "the journal has no gap across the restart");
    }

    [Fact]
    public async Task Restart_ExistingToken_StillSignsIn()
    {
        var sari = await _server.ClientForAsync("agent.sari");
        await _server.RestartAsync();
        // Token made by the first server (same data-protection keys): still valid.
        var client = _server.Anonymous();
        client.DefaultRequestHeaders.Authorization = sari.DefaultRequestHeaders.Authorization;
        (await client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK);
        sari.Dispose();
        client.Dispose();
    }
}
