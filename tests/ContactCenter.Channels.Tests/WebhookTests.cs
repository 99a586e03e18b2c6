using System.Net;
using System.Text;
using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Storage;
using FluentAssertions;

namespace ContactCenter.Channels.Tests;

/// <summary>The inbound webhook over real HTTP: signatures, replays, routing, duplicates, limits, bad bodies.</summary>
public class WebhookTests
{
    [Fact]
    public async Task Post_ValidSignatureForCustomerWithRunningConversation_DeliversToIt()
    {
        await using var host = await ChannelsHost.StartAsync();
        var conversation = await host.StartWhatsAppAsync("6281100000001", "agent.sari");

        using var response = await host.PostSignedAsync("whatsapp", new { messageId = "wamid.1", customerRef = "6281100000001", text = "Mau tanya cara gadai emas" });

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var result = await ChannelsHost.ResultOf(response);
        result.Should().Be(new Inbound.InboundResult("wamid.1", "whatsapp", conversation.Id, Started: false, Duplicate: false));
        var received = (await host.Runtime.ReadJournalAsync(conversation.Id)).OfType<MessageReceived>().Should().ContainSingle().Subject;
        received.MessageId.Should().Be("wamid.1");
        received.Text.Should().Be("Mau tanya cara gadai emas");
        received.Actor.Should().Be("6281100000001");
    }

    /// <summary>Live chat 2c (A25): the channel reports that the customer ended the chat; the waiting ladder gives the agent the question.</summary>
    [Fact]
    public async Task Post_CustomerEnded_WhileTheLadderWaits_OpensTheAgentsQuestion2c()
    {
        await using var host = await ChannelsHost.StartAsync();
        using var first = await host.PostSignedAsync("live-chat", new { messageId = "lc-e1", customerRef = "ani@example.com", text = "Halo" });
        var conversation = await ChannelsHost.ResultOf(first);
        var greeting = (await host.Runtime.GetStateAsync(conversation.InstanceId)).WorkItems.Single();
        await host.Runtime.CompleteWorkItemAsync(conversation.InstanceId, greeting.Id, null, null, "agent.sari");

        using var ended = await host.PostSignedAsync("live-chat", new { messageId = "lc-e2", customerRef = "ani@example.com", kind = "customer-ended" });

        ended.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await ChannelsHost.ResultOf(ended)).InstanceId.Should().Be(conversation.InstanceId);
        var received = (await host.Runtime.ReadJournalAsync(conversation.InstanceId)).OfType<MessageReceived>().Last();
        received.MessageName.Should().Be("customer-ended");
        received.SubscriptionId.Should().NotBeNull("the ladder was waiting for it");
        var ask = (await host.Runtime.GetStateAsync(conversation.InstanceId)).WorkItems.Should().ContainSingle().Subject;
        ask.Step.Should().Be("2c");
        ask.Script.Should().Be("Apakah saat ini Bapak/Ibu masih terhubung dengan kami?");
    }

    [Fact]
    public async Task Post_CustomerEnded_WithNoRunningConversation_StartsNothing()
    {
        await using var host = await ChannelsHost.StartAsync();

        using var response = await host.PostSignedAsync("live-chat", new { messageId = "lc-e3", customerRef = "nobody@example.com", kind = "customer-ended" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ChannelsHost.ResultOf(response)).Started.Should().BeFalse();
        (await host.Queries.QueryAsync(new InstanceQuery { CustomerRef = "nobody@example.com" })).Should().BeEmpty();
    }

    [Fact]
    public async Task Post_UnknownKind_Is400NamingTheKinds()
    {
        await using var host = await ChannelsHost.StartAsync();

        using var response = await host.PostSignedAsync("live-chat", new { messageId = "lc-e4", customerRef = "ani@example.com", text = "x", kind = "typing" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("one of: message, customer-ended");
    }

    [Fact]
    public async Task Post_NewCustomer_StartsAConversationOnTheChannelsDefinitionAndDeliversTheMessage()
    {
        await using var host = await ChannelsHost.StartAsync();

        using var response = await host.PostSignedAsync("live-chat", new { messageId = "lc-1", customerRef = "budi@example.com", text = "Halo", conversationId = "omni-77" });

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var result = await ChannelsHost.ResultOf(response);
        result.Started.Should().BeTrue();
        var instance = await host.Runtime.GetAsync(result.InstanceId);
        instance.DefinitionKey.Should().Be("live-chat");
        instance.Channel.Should().Be("live-chat");
        instance.CustomerRef.Should().Be("budi@example.com");
        instance.Agent.Should().Be("agent.sari", "the configured agents take new conversations in turn");
        var state = await host.Runtime.GetStateAsync(instance.Id);
        state.Variables["omniConversationId"].Should().Be(ContactCenter.Engine.Expressions.Value.From("omni-77"));
        state.WorkItems.Should().ContainSingle().Which.Script.Should().Contain("Saya Sari, ada yang bisa saya bantu?");
        (await host.Runtime.ReadJournalAsync(instance.Id)).OfType<MessageReceived>().Should().ContainSingle().Which.MessageId.Should().Be("lc-1");
    }

    [Fact]
    public async Task Post_SameMessageIdTwice_SecondIsADuplicateThatChangesNothing()
    {
        await using var host = await ChannelsHost.StartAsync();
        var body = new { messageId = "wamid.dup", customerRef = "6281100000002", text = "Halo" };
        using var first = await host.PostSignedAsync("whatsapp", body);
        var started = await ChannelsHost.ResultOf(first);
        var before = await host.Runtime.GetAsync(started.InstanceId);

        using var second = await host.PostSignedAsync("whatsapp", body);

        second.StatusCode.Should().Be(HttpStatusCode.OK);
        var repeat = await ChannelsHost.ResultOf(second);
        repeat.Duplicate.Should().BeTrue();
        repeat.Started.Should().BeFalse();
        repeat.InstanceId.Should().Be(started.InstanceId);
        (await host.Runtime.GetAsync(started.InstanceId)).Version.Should().Be(before.Version);
        (await host.Queries.QueryAsync(new InstanceQuery { CustomerRef = "6281100000002" })).Should().ContainSingle("a repeated message starts no second conversation");
    }

    [Fact]
    public async Task Post_SameMessageIdFromAnotherCustomer_IsANewMessageOfTheirOwnConversation()
    {
        await using var host = await ChannelsHost.StartAsync();
        using var first = await host.PostSignedAsync("whatsapp", new { messageId = "m-1", customerRef = "6281100000011", text = "Halo" });
        using var other = await host.PostSignedAsync("whatsapp", new { messageId = "m-1", customerRef = "6281100000012", text = "Selamat siang" });

        var mine = await ChannelsHost.ResultOf(first);
        var theirs = await ChannelsHost.ResultOf(other);
        theirs.Duplicate.Should().BeFalse("the same id from another sender is another message");
        theirs.InstanceId.Should().NotBe(mine.InstanceId, "it must not be answered with someone else's conversation");
        (await host.Queries.QueryAsync(new InstanceQuery { CustomerRef = "6281100000012" })).Should().ContainSingle().Which.Id.Should().Be(theirs.InstanceId);
    }

    [Fact]
    public async Task Post_SameMessageIdAfterARestart_IsStillADuplicateAndStartsNothing()
    {
        var root = Directory.CreateTempSubdirectory("cc-channels-").FullName;
        try
        {
            var body = new { messageId = "wamid.restart", customerRef = "6281100000003", text = "Halo" };
            Guid conversation;
            await using (var host = await ChannelsHost.StartAsync(root: root))
            {
                using var first = await host.PostSignedAsync("whatsapp", body);
                conversation = (await ChannelsHost.ResultOf(first)).InstanceId;
            }

            await using (var restarted = await ChannelsHost.StartAsync(root: root))
            {
                var before = await restarted.Runtime.GetAsync(conversation);
                using var again = await restarted.PostSignedAsync("whatsapp", body);

                (await ChannelsHost.ResultOf(again)).Should().Be(new Inbound.InboundResult("wamid.restart", "whatsapp", conversation, Started: false, Duplicate: true));
                (await restarted.Runtime.GetAsync(conversation)).Version.Should().Be(before.Version);
                (await restarted.Queries.QueryAsync(new InstanceQuery { CustomerRef = "6281100000003" })).Should().ContainSingle();
            }
        }
        finally
        {
            ChannelsHost.DeleteFolder(root);
        }
    }

    [Fact]
    public async Task Post_TwoFirstMessagesAtOnce_StartOneConversation()
    {
        await using var host = await ChannelsHost.StartAsync();

        var responses = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => host.PostSignedAsync("whatsapp", new { messageId = $"burst-{i}", customerRef = "6281100000004", text = $"pesan {i}" })));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Accepted);
        var conversations = await host.Queries.QueryAsync(new InstanceQuery { CustomerRef = "6281100000004" });
        var conversation = conversations.Should().ContainSingle().Subject;
        (await host.Runtime.ReadJournalAsync(conversation.Id)).OfType<MessageReceived>().Select(m => m.MessageId).Should().BeEquivalentTo(Enumerable.Range(1, 5).Select(i => $"burst-{i}"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Post_WrongSecretOrNoSignature_Is401ProblemAndChangesNothing()
    {
        await using var host = await ChannelsHost.StartAsync();

        using var wrong = await host.PostSignedAsync("whatsapp", new { messageId = "x1", customerRef = "6281100000005", text = "Halo" }, secret: "not-the-secret");
        using var unsigned = await host.Http.PostAsync("/api/channels/whatsapp/messages", new StringContent("""{"messageId":"x2","customerRef":"6281100000005","text":"Halo"}""", Encoding.UTF8, "application/json"));

        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrong.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await Problem(wrong)).GetProperty("detail").GetString().Should().Contain("does not match");
        unsigned.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Problem(unsigned)).GetProperty("detail").GetString().Should().Contain("X-CC-Signature");
        (await host.Queries.QueryAsync(new InstanceQuery { CustomerRef = "6281100000005" })).Should().BeEmpty();
    }

    [Fact]
    public async Task Post_BodyChangedAfterSigning_Is401()
    {
        await using var host = await ChannelsHost.StartAsync();
        var timestamp = host.Clock.GetUtcNow().ToUnixTimeSeconds();
        var signed = Encoding.UTF8.GetBytes("""{"messageId":"t1","customerRef":"6281100000006","text":"Halo"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/channels/whatsapp/messages")
        {
            Content = new StringContent("""{"messageId":"t1","customerRef":"6281100000006","text":"Transfer ke rekening lain"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-CC-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-CC-Signature", Inbound.WebhookSignature.Sign(ChannelsHost.Secret, timestamp, signed));

        using var response = await host.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Post_TimestampSixMinutesOld_Is401AsAReplay()
    {
        await using var host = await ChannelsHost.StartAsync();

        using var stale = await host.PostSignedAsync("whatsapp", new { messageId = "old-1", customerRef = "6281100000007", text = "Halo" }, sentAt: host.Clock.GetUtcNow().AddMinutes(-6));
        using var fresh = await host.PostSignedAsync("whatsapp", new { messageId = "old-2", customerRef = "6281100000007", text = "Halo" }, sentAt: host.Clock.GetUtcNow().AddMinutes(-4));

        stale.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Problem(stale)).GetProperty("detail").GetString().Should().Contain("replay");
        fresh.StatusCode.Should().Be(HttpStatusCode.Accepted, "four minutes is inside the five-minute window");
    }

    [Fact]
    public async Task Post_MoreMessagesThanTheLimit_Is429ForThatCustomerOnly()
    {
        await using var host = await ChannelsHost.StartAsync(o => o.RateLimit.PermitLimit = 3);

        var codes = new List<HttpStatusCode>();
        for (var i = 1; i <= 4; i++)
        {
            using var response = await host.PostSignedAsync("whatsapp", new { messageId = $"rl-{i}", customerRef = "6281100000008", text = "spam" });
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
                response.Headers.RetryAfter.Should().NotBeNull();
            }
        }

        using var other = await host.PostSignedAsync("whatsapp", new { messageId = "rl-other", customerRef = "6281100000009", text = "Halo" });

        codes.Should().Equal(HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests);
        other.StatusCode.Should().Be(HttpStatusCode.Accepted, "the limit is per customer");
        var conversation = (await host.Queries.QueryAsync(new InstanceQuery { CustomerRef = "6281100000008" })).Single();
        (await host.Runtime.ReadJournalAsync(conversation.Id)).OfType<MessageReceived>().Should().HaveCount(3);
    }

    [Fact]
    public async Task Post_MissingFieldsAndWrongTypes_Are400WithTheFieldNamed()
    {
        await using var host = await ChannelsHost.StartAsync();

        using var missing = await host.PostSignedAsync("whatsapp", new { messageId = "b1", text = "Halo" });
        using var wrongType = await host.PostSignedAsync("whatsapp", Encoding.UTF8.GetBytes("""{"messageId":"b2","customerRef":"62811","text":"Halo","sentAt":"kemarin"}"""));
        using var notJson = await host.PostSignedAsync("whatsapp", Encoding.UTF8.GetBytes("halo"));

        missing.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        missing.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var errors = (await Problem(missing)).GetProperty("errors");
        errors.GetProperty("customerRef")[0].GetString().Should().Be("required");
        errors.TryGetProperty("messageId", out _).Should().BeFalse();
        (await Problem(wrongType)).GetProperty("errors").TryGetProperty("sentAt", out _).Should().BeTrue();
        notJson.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Problem(notJson)).GetProperty("errors").TryGetProperty("body", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t")]
    public async Task Post_WhiteSpaceOnlyText_Is400AndStartsNothing(string text)
    {
        await using var host = await ChannelsHost.StartAsync();

        using var response = await host.PostSignedAsync("whatsapp", new { messageId = "ws-1", customerRef = "6281100000099", text });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Problem(response)).GetProperty("errors").TryGetProperty("text", out _).Should().BeTrue();
        (await host.Queries.QueryAsync(new Runtime.Storage.InstanceQuery { CustomerRef = "6281100000099" })).Should().BeEmpty();
    }

    [Fact]
    public async Task Post_UnknownChannelOrOversizedBody_Is404Or413()
    {
        await using var host = await ChannelsHost.StartAsync(o => o.Webhook.MaxBodyBytes = 1024);

        using var unknown = await host.PostSignedAsync("telegram", new { messageId = "u1", customerRef = "62811", text = "Halo" });
        using var large = await host.PostSignedAsync("whatsapp", new { messageId = "u2", customerRef = "62811", text = new string('a', 2000) });

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        large.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Post_MessageToAConversationThatEnded_StartsANewOne()
    {
        await using var host = await ChannelsHost.StartAsync();
        var old = await host.StartWhatsAppAsync("6281100000010", "agent.sari");
        await host.Runtime.CancelAsync(old.Id, "test", "agent.sari");

        using var response = await host.PostSignedAsync("whatsapp", new { messageId = "after-end", customerRef = "6281100000010", text = "Halo lagi" });

        var result = await ChannelsHost.ResultOf(response);
        result.Started.Should().BeTrue();
        result.InstanceId.Should().NotBe(old.Id);
        (await host.Runtime.GetAsync(result.InstanceId)).Status.Should().Be(InstanceStatus.Running);
    }

    internal static async Task<JsonElement> Problem(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
