using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using ContactCenter.Channels.Inbound;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Channels.Tests;

/// <summary>Prompts leave through the outbound connector (to a real local receiver) or the loopback simulator.</summary>
public class OutboundTests
{
    private const string StillConnected = "Apakah saat ini Bapak/Ibu masih terhubung dengan kami?";

    [Fact]
    public async Task Dispatch_ReceiverFailsThenRecovers_RetriedWithBackOffThenDeliveredOnceWithKeyAndSignature()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var host = await ChannelsHost.StartAsync(o =>
        {
            o.Outbound.Url = new Uri(receiver.Url, "/omni/prompts");
            o.Outbound.Secret = "outbound-secret";
        });
        var conversation = await host.StartWhatsAppAsync("6281200000001", "agent.sari");
        await host.GreetLetAMinutePassAndAskAsync(conversation.Id, "agent.sari");
        receiver.Failing = true;

        (await host.Outbox.DispatchDueAsync()).Should().Be(0);

        var pending = (await host.OutboxStore.ListDueAsync(host.Clock.GetUtcNow().AddHours(1), 10)).Where(r => r.Kind == "prompt").Should().ContainSingle().Subject;
        pending.Attempts.Should().Be(1);
        pending.DeliveredAt.Should().BeNull();
        pending.LastError.Should().Contain("500");
        pending.NextAttemptAt.Should().BeAfter(host.Clock.GetUtcNow(), "a failure waits for its back-off");
        (await host.Outbox.DispatchDueAsync()).Should().Be(0, "nothing is due before the back-off ends");
        receiver.Requests.Should().HaveCount(1);

        receiver.Failing = false;
        host.Clock.SetUtcNow(pending.NextAttemptAt);
        (await host.Outbox.DispatchDueAsync()).Should().Be(1);

        (await host.OutboxStore.ListDueAsync(host.Clock.GetUtcNow().AddDays(1), 10)).Should().NotContain(r => r.Kind == "prompt");
        receiver.Requests.Should().HaveCount(2);
        receiver.Requests.Select(r => r.IdempotencyKey).Distinct().Should().ContainSingle().Which.Should().Be(pending.IdempotencyKey);
        var delivered = receiver.Requests.Last();
        WebhookSignature.Verify("outbound-secret", delivered.Timestamp, delivered.Signature, delivered.Body, host.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)).Should().BeNull("the receiver can check who sent it");
        delivered.Path.Should().Be("/omni/prompts");
        using var prompt = JsonDocument.Parse(delivered.Body);
        prompt.RootElement.GetProperty("text").GetString().Should().Be(StillConnected);
        prompt.RootElement.GetProperty("step").GetString().Should().Be("2a");
        prompt.RootElement.GetProperty("customerRef").GetString().Should().Be("6281200000001");
        prompt.RootElement.GetProperty("instanceId").GetGuid().Should().Be(conversation.Id);
    }

    [Fact]
    public async Task Dispatch_ReceiverTooSlow_TimeoutIsAFailedAttempt()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var host = await ChannelsHost.StartAsync(o =>
        {
            o.Outbound.Url = receiver.Url;
            o.Outbound.Timeout = TimeSpan.FromMilliseconds(300);
        });
        var conversation = await host.StartWhatsAppAsync("6281200000002", "agent.sari");
        await host.GreetLetAMinutePassAndAskAsync(conversation.Id, "agent.sari");
        receiver.Delay = TimeSpan.FromSeconds(10);

        (await host.Outbox.DispatchDueAsync()).Should().Be(0);

        (await host.OutboxStore.ListDueAsync(host.Clock.GetUtcNow().AddHours(1), 10)).Should().ContainSingle(r => r.Kind == "prompt").Which.Attempts.Should().Be(1);
    }

    [Fact]
    public async Task Simulator_CustomerSilentForAMinute_ShowsTheStillConnectedPrompt()
    {
        await using var host = await ChannelsHost.StartAsync();
        using var send = ChannelsHost.As(HttpMethod.Post, "/api/simulator/whatsapp/6281200000003/messages", "agent.sari", "Agent", new { text = "Halo, mau tanya gadai" });
        using var sent = await host.Http.SendAsync(send);
        sent.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var conversation = await ChannelsHost.ResultOf(sent);
        conversation.Started.Should().BeTrue();

        await host.GreetLetAMinutePassAndAskAsync(conversation.InstanceId, "agent.sari");
        (await host.Outbox.DispatchDueAsync()).Should().BeGreaterThan(0);

        using var read = ChannelsHost.As(HttpMethod.Get, "/api/simulator/conversations/whatsapp/6281200000003", "agent.sari", "Agent");
        using var response = await host.Http.SendAsync(read);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var prompts = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("prompts");
        prompts.GetArrayLength().Should().Be(1);
        prompts[0].GetProperty("text").GetString().Should().Be(StillConnected);
        prompts[0].GetProperty("step").GetString().Should().Be("2a");
        prompts[0].GetProperty("instanceId").GetGuid().Should().Be(conversation.InstanceId);

        // The customer answers through the simulator: the ladder ends, the chat goes on.
        using var answer = ChannelsHost.As(HttpMethod.Post, "/api/simulator/whatsapp/6281200000003/messages", "agent.sari", "Agent", new { text = "Masih, maaf tadi di jalan" });
        using var answered = await host.Http.SendAsync(answer);
        (await ChannelsHost.ResultOf(answered)).InstanceId.Should().Be(conversation.InstanceId);
        var state = await host.Runtime.GetStateAsync(conversation.InstanceId);
        state.Variables["terhubung"].Should().Be(ContactCenter.Engine.Expressions.Value.True);
    }

    [Fact]
    public async Task Simulator_WithoutSignIn_Is401()
    {
        await using var host = await ChannelsHost.StartAsync();

        using var read = await host.Http.GetAsync("/api/simulator/conversations/whatsapp/62811");
        using var send = await host.Http.PostAsync("/api/simulator/whatsapp/62811/messages", System.Net.Http.Json.JsonContent.Create(new { text = "Halo" }));

        read.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        send.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Simulator_OutboundUrlSetOrDisabled_RoutesAreOff(bool withUrl)
    {
        await using var host = await ChannelsHost.StartAsync(o =>
        {
            if (withUrl)
            {
                o.Outbound.Url = new Uri("http://127.0.0.1:9/prompts");
            }
            else
            {
                o.Simulator.Enabled = false;
            }
        });

        using var read = ChannelsHost.As(HttpMethod.Get, "/api/simulator/conversations/whatsapp/62811", "admin", "Admin");
        using var response = await host.Http.SendAsync(read);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    /// <summary>A second Kestrel app standing in for the Omni Channel application's prompt endpoint.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Receiver(WebApplication app)
        {
            _app = app;
            Url = new Uri(app.Urls.First());
        }

        public Uri Url { get; }

        public volatile bool Failing;

        public TimeSpan Delay { get; set; }

        public ConcurrentQueue<ReceivedPrompt> Requests { get; } = new();

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            Receiver? receiver = null;
            app.MapPost("/{**path}", async (HttpContext http) =>
            {
                using var memory = new MemoryStream();
                await http.Request.Body.CopyToAsync(memory);
                receiver!.Requests.Enqueue(new ReceivedPrompt(
                    http.Request.Path,
                    http.Request.Headers["Idempotency-Key"].ToString(),
                    http.Request.Headers["X-CC-Timestamp"].ToString(),
                    http.Request.Headers["X-CC-Signature"].ToString(),
                    memory.ToArray()));
                if (receiver.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(receiver.Delay, http.RequestAborted);
                }

                return receiver.Failing ? Results.StatusCode(500) : Results.Ok();
            });
            await app.StartAsync();
            receiver = new Receiver(app);
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed record ReceivedPrompt(string Path, string IdempotencyKey, string Timestamp, string Signature, byte[] Body);
}
