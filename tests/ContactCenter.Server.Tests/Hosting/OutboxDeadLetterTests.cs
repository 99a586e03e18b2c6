using System.Net;
using ContactCenter.Engine;
using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests.Hosting;

/// <summary>A server of its own: a dead letter in the real outbox, seen by health and an administrator, re-queued.</summary>
public sealed class OutboxDeadLetterTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task DeadLetter_DegradesReadiness_IsListedForAdmin_AndRequeueMakesItDueAgain()
    {
        var store = _server.Services.GetRequiredService<IInstanceStore>();
        var outbox = _server.Services.GetRequiredService<IOutboxStore>();
        var at = DateTimeOffset.UtcNow;
        var instanceId = Guid.NewGuid();
        var messageId = Guid.NewGuid();

        // A message of a kind nobody delivers, committed with its instance as the runtime commits
        // (not due before it is dead-lettered, so the server's own dispatcher does not race this
        // test), then given up on as the dispatcher gives up after its last attempt.
        await store.CommitAsync(new InstanceCommit
        {
            Instance = new InstanceRecord
            {
                Id = instanceId, DefinitionKey = "whatsapp", DefinitionVersion = 1, Channel = "whatsapp", Status = InstanceStatus.Running, Version = 1,
                Snapshot = InstanceState.Empty.ToJson(), PinnedVersions = new Dictionary<string, int> { ["whatsapp"] = 1 }, StartedAt = at, UpdatedAt = at,
            },
            ExpectedVersion = 0,
            Events = [new JournalRecord(instanceId, 1, "Test", at, null, "{}")],
            Outbox = [new OutboxRecord { Id = messageId, IdempotencyKey = $"{instanceId:N}:1", Kind = "fax", InstanceId = instanceId, Payload = "{}", CreatedAt = at, NextAttemptAt = at.AddYears(1) }],
        });
        await outbox.MarkDeadLetteredAsync(messageId, 20, at, "no handler delivers 'fax' messages");

        using var anonymous = _server.Anonymous();
        var ready = await anonymous.GetJsonAsync("/health/ready");
        ready.GetProperty("status").GetString().Should().Be("Degraded");
        ready.TryGetProperty("checks", out _).Should().BeFalse("the reason is for an administrator");

        using var admin = await _server.ClientForAsync("admin");
        (await admin.GetJsonAsync("/health/ready")).GetProperty("checks").GetProperty("outbox").GetProperty("description").GetString().Should().StartWith("1 dead letter(s)");
        var dead = (await admin.GetJsonAsync("/api/admin/outbox/dead-letters")).EnumerateArray().Single();
        dead.GetProperty("id").GetGuid().Should().Be(messageId);
        dead.GetProperty("kind").GetString().Should().Be("fax");
        dead.GetProperty("attempts").GetInt32().Should().Be(20);
        dead.GetProperty("lastError").GetString().Should().Be("no handler delivers 'fax' messages");

        using var agent = await _server.ClientForAsync("agent.sari");
        (await agent.GetAsync("/api/admin/outbox/dead-letters")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await agent.PostAsync($"/api/admin/outbox/{messageId}/requeue", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        (await admin.PostAsync($"/api/admin/outbox/{messageId}/requeue", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await admin.PostAsync($"/api/admin/outbox/{messageId}/requeue", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsync($"/api/admin/outbox/{Guid.NewGuid()}/requeue", null)).ProblemAsync(HttpStatusCode.NotFound);

        (await admin.GetJsonAsync("/api/admin/outbox/dead-letters")).GetArrayLength().Should().Be(0);
        (await outbox.ListDueAsync(DateTimeOffset.UtcNow.AddMinutes(1), 100)).Select(m => m.Id).Should().Contain(messageId, "a re-queued message is due again");
        (await admin.GetJsonAsync("/health/ready")).GetProperty("checks").GetProperty("outbox").GetProperty("status").GetString().Should().Be("Healthy");
        await outbox.MarkDeliveredAsync(messageId, DateTimeOffset.UtcNow);
    }
}
