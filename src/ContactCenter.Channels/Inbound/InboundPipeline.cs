using System.Globalization;
using System.Threading.RateLimiting;
using ContactCenter.Channels.Outbound;
using ContactCenter.Runtime.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Channels.Inbound;

/// <summary>
/// One inbound message from signature to routing: verify the signature, read the body, check the
/// channel, apply the per channel and customer rate limit, route. The webhook and the simulator
/// both come through here.
/// </summary>
internal sealed class InboundPipeline : IDisposable
{
    private readonly InboundRouter _router;
    private readonly ChannelSecrets _secrets;
    private readonly ChannelsOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<InboundPipeline> _logger;
    private readonly PartitionedRateLimiter<string> _limiter;

    public InboundPipeline(InboundRouter router, ChannelSecrets secrets, ChannelsOptions options, TimeProvider clock, ILogger<InboundPipeline> logger)
    {
        _router = router;
        _secrets = secrets;
        _options = options;
        _clock = clock;
        _logger = logger;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.RateLimit.PermitLimit,
            Window = options.RateLimit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public string Secret => _secrets.Inbound;

    /// <summary>Handles one message and counts it in <c>contactcenter.webhook.messages</c> by channel and outcome.</summary>
    public async Task<IResult> HandleAsync(HttpContext http, string channel, byte[] body, string? timestamp, string? signature)
    {
        var outcome = WebhookOutcome.Failed;
        try
        {
            (var result, outcome) = await HandleCoreAsync(http, channel, body, timestamp, signature).ConfigureAwait(false);
            return result;
        }
        finally
        {
            Count(channel, outcome);
        }
    }

    /// <summary>Counts a message; a channel that is not configured is tagged <c>unknown</c>, so a caller cannot add series at will.</summary>
    public void Count(string channel, string outcome) =>
        Telemetry.WebhookMessages.Add(
            1,
            new KeyValuePair<string, object?>(Telemetry.Tags.Channel, _router.IsKnownChannel(channel) ? channel : "unknown"),
            new KeyValuePair<string, object?>(Telemetry.Tags.Outcome, outcome));

    private async Task<(IResult Result, string Outcome)> HandleCoreAsync(HttpContext http, string channel, byte[] body, string? timestamp, string? signature)
    {
        var failure = WebhookSignature.Verify(_secrets.Inbound, timestamp, signature, body, _clock.GetUtcNow(), _options.Webhook.MaxClockSkew);
        if (failure is not null)
        {
            _logger.LogWarning("Webhook call on {Channel} from {RemoteIp} rejected: {Reason}", channel, http.Connection.RemoteIpAddress, failure);
            return (TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The webhook signature is missing or wrong", detail: failure), WebhookOutcome.Unauthorized);
        }

        if (!_router.IsKnownChannel(channel))
        {
            return (TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown channel", detail: $"'{channel}' is not one of: {string.Join(", ", _options.Routing.Definitions.Keys)}"), WebhookOutcome.UnknownChannel);
        }

        var (message, errors) = InboundMessage.Parse(body);
        if (message is null)
        {
            return (TypedResults.ValidationProblem(errors!, title: "The message body is not valid"), WebhookOutcome.Invalid);
        }

        using var lease = _limiter.AttemptAcquire(channel + "\n" + message.CustomerRef);
        if (!lease.IsAcquired)
        {
            if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            _logger.LogWarning("Message {MessageId} on {Channel} from {CustomerRef} rate-limited", message.MessageId, channel, message.CustomerRef);
            return (TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many messages", detail: $"at most {_options.RateLimit.PermitLimit} messages per {_options.RateLimit.Window} per customer on a channel"), WebhookOutcome.RateLimited);
        }

        var result = await _router.RouteAsync(channel, message, http.RequestAborted).ConfigureAwait(false);
        return result.Duplicate ? (TypedResults.Ok(result), WebhookOutcome.Duplicate)
            : (TypedResults.Accepted((string?)null, result), result.Started ? WebhookOutcome.Started : WebhookOutcome.Delivered);
    }

    /// <summary>The body, or null when it is larger than <see cref="WebhookOptions.MaxBodyBytes"/>.</summary>
    public async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        var max = _options.Webhook.MaxBodyBytes;
        if (request.ContentLength > max)
        {
            return null;
        }

        using var memory = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (memory.Length + read > max)
            {
                return null;
            }

            memory.Write(buffer, 0, read);
        }

        return memory.ToArray();
    }

    public IResult TooLarge(string channel)
    {
        Count(channel, WebhookOutcome.TooLarge);
        return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large", detail: $"at most {_options.Webhook.MaxBodyBytes} bytes");
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>The outcome tag values of <c>contactcenter.webhook.messages</c>.</summary>
public static class WebhookOutcome
{
    /// <summary>The message started a conversation.</summary>
    public const string Started = "started";

    /// <summary>The message went to a running conversation.</summary>
    public const string Delivered = "delivered";

    /// <summary>A repeat of a message already handled: answered as before, nothing changed.</summary>
    public const string Duplicate = "duplicate";

    public const string Unauthorized = "unauthorized";
    public const string UnknownChannel = "unknown_channel";
    public const string Invalid = "invalid";
    public const string TooLarge = "too_large";
    public const string RateLimited = "rate_limited";

    /// <summary>Routing threw (the store, the runtime): the caller got an error.</summary>
    public const string Failed = "failed";
}
