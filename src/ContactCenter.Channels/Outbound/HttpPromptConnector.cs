using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using ContactCenter.Channels.Inbound;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Channels.Outbound;

/// <summary>
/// Delivers <c>prompt</c> outbox messages to the Omni Channel application: a POST of the prompt
/// JSON to <see cref="OutboundOptions.Url"/> with <c>Idempotency-Key</c> and the same signature
/// scheme as the webhook. Anything but a 2xx (or a timeout) throws, so the outbox dispatcher
/// retries with back-off.
/// </summary>
internal sealed class HttpPromptConnector(IHttpClientFactory httpFactory, ChannelsOptions options, ChannelSecrets secrets, TimeProvider clock, ILogger<HttpPromptConnector> logger) : IOutboxHandler
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public bool Handles(string kind) => kind == "prompt";

    public async Task HandleAsync(OutboxRecord message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = Encoding.UTF8.GetBytes(message.Payload);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Outbound.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(IdempotencyKeyHeader, message.IdempotencyKey);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secrets.Outbound, timestamp, body));

        using var http = httpFactory.CreateClient(ChannelsExtensions.OutboundHttpClient);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the outbound connector answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        logger.LogInformation("Prompt {IdempotencyKey} of {InstanceId} posted to the Omni Channel application ({StatusCode})", message.IdempotencyKey, message.InstanceId, (int)response.StatusCode);
    }
}

/// <summary>The webhook's and the outbound connector's secrets, resolved once per process.</summary>
internal sealed class ChannelSecrets
{
    public ChannelSecrets(ChannelsOptions options, ILogger<ChannelSecrets> logger)
    {
        if (string.IsNullOrEmpty(options.Webhook.Secret))
        {
            Inbound = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            logger.LogWarning("Channels:Webhook:Secret is not set: the webhook accepts no outside call (a random secret is used, for the simulator only)");
        }
        else
        {
            Inbound = options.Webhook.Secret;
        }

        Outbound = string.IsNullOrEmpty(options.Outbound.Secret) ? Inbound : options.Outbound.Secret;
    }

    public string Inbound { get; }

    public string Outbound { get; }
}
