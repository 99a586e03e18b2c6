using System.Globalization;
using System.Text;
using System.Text.Json;
using ContactCenter.Channels.Inbound;
using ContactCenter.Channels.Live;
using ContactCenter.Channels.Notifications;
using ContactCenter.Channels.Outbound;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Channels;

/// <summary>
/// The channels module: <c>services.AddChannels(configuration.GetSection("Channels"))</c> and
/// <c>app.MapChannels()</c>.
/// </summary>
public static class ChannelsExtensions
{
    /// <summary>The named <see cref="HttpClient"/> of the outbound connector.</summary>
    public const string OutboundHttpClient = "ContactCenter.Channels.Outbound";

    /// <summary>
    /// Registers the channels from configuration: the <c>Channels</c> section itself, or any
    /// configuration that contains it (<c>builder.Configuration</c>).
    /// </summary>
    public static IServiceCollection AddChannels(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration is IConfigurationSection { Key: "Channels" } ? configuration : configuration.GetSection("Channels");
        return services.AddChannels(section.Bind);
    }

    /// <summary>
    /// Registers the channels with options set in code. <paramref name="configure"/> runs twice:
    /// here, for the wiring decided now (which prompt handler), and for
    /// <c>IOptions&lt;ChannelsOptions&gt;</c>, validated when the host starts
    /// (<see cref="ChannelsOptionsValidation"/>), which is the <see cref="ChannelsOptions"/> the services get.
    /// </summary>
    public static IServiceCollection AddChannels(this IServiceCollection services, Action<ChannelsOptions>? configure = null)
    {
        var options = new ChannelsOptions();
        configure?.Invoke(options);
        services.AddOptions<ChannelsOptions>().Configure(o => configure?.Invoke(o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChannelsOptions>, ChannelsOptionsValidation>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ChannelsOptions>>().Value);
        return services.AddChannelServices(options);
    }

    /// <summary>
    /// Registers the inbound webhook's router, the prompt handler (the outbound connector when
    /// <see cref="OutboundOptions.Url"/> is set, else the loopback simulator unless it is
    /// disabled) and the handler that turns service notices into notifications.
    /// </summary>
    private static IServiceCollection AddChannelServices(this IServiceCollection services, ChannelsOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ChannelSecrets(options, sp.GetRequiredService<ILogger<ChannelSecrets>>()));
        AddSingleNodeDefaults(services);
        services.AddSingleton(sp => new InboundRouter(
            sp.GetRequiredService<Runtime.Instances.InstanceRuntime>(),
            sp.GetRequiredService<IInstanceQueries>(),
            options,
            sp.GetRequiredService<ILogger<InboundRouter>>(),
            sp.GetRequiredService<Runtime.Cluster.IClusterLocks>(),
            sp.GetRequiredService<Runtime.Cluster.IClusterCounters>()));
        services.AddSingleton(sp => new InboundPipeline(sp.GetRequiredService<InboundRouter>(), sp.GetRequiredService<ChannelSecrets>(), options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<InboundPipeline>>()));
        services.AddSingleton<IOutboxHandler>(sp => new ServiceNotifier(
            sp.GetRequiredService<Runtime.Storage.INotificationStore>(), sp.GetServices<INotificationListener>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ServiceNotifier>>()));

        if (options.Outbound.Url is not null)
        {
            services.AddHttpClient(OutboundHttpClient, c => c.Timeout = options.Outbound.Timeout);
            services.AddSingleton<IOutboxHandler>(sp => new HttpPromptConnector(
                sp.GetRequiredService<IHttpClientFactory>(), options, sp.GetRequiredService<ChannelSecrets>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<HttpPromptConnector>>()));
        }
        else if (options.Simulator.Enabled)
        {
            services.AddSingleton(sp => new LoopbackSimulator(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LoopbackSimulator>>()));
            services.AddSingleton<IOutboxHandler>(sp => sp.GetRequiredService<LoopbackSimulator>());
        }

        return services;
    }

    /// <summary>
    /// Maps <c>POST /api/channels/{channel}/messages</c> (anonymous: the signature authenticates
    /// it) and, when the simulator runs, <c>GET /api/simulator/conversations/{channel}/{customerRef}</c>
    /// and <c>POST /api/simulator/{channel}/{customerRef}/messages</c> (signed-in users).
    /// </summary>
    public static IEndpointRouteBuilder MapChannels(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<ChannelsOptions>();

        endpoints.MapPost("/api/channels/{channel}/messages", async (HttpContext http, string channel, InboundPipeline pipeline) =>
            {
                // The media type is no secret: a body that is not JSON is 415 before the signature is looked at.
                if (!http.Request.HasJsonContentType())
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "send the message as JSON with 'Content-Type: application/json'");
                }

                var body = await pipeline.ReadBodyAsync(http.Request).ConfigureAwait(false);
                if (body is null)
                {
                    return pipeline.TooLarge(channel);
                }

                return await pipeline.HandleAsync(http, channel, body, http.Request.Headers[WebhookSignature.TimestampHeader], http.Request.Headers[WebhookSignature.SignatureHeader]).ConfigureAwait(false);
            })
            .AllowAnonymous()
            .Accepts<InboundMessage>("application/json")
            .Produces<InboundResult>(StatusCodes.Status202Accepted)
            .Produces<InboundResult>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("ChannelWebhook")
            .WithTags("Channels")
            .WithSummary("A customer's message from the Omni Channel application (HMAC-signed)");

        if (options.Outbound.Url is null && options.Simulator.Enabled)
        {
            // The simulator plays a customer: an agent or an admin (a demo's new customer), and
            // only for a customer with no running conversation on the channel that belongs to
            // someone else (as POST /api/instances/{id}/messages allows only the conversation's agent).
            var simulator = endpoints.MapGroup("/api/simulator").RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole("Agent", "Admin")).WithTags("Simulator");
            simulator.MapGet("/conversations/{channel}/{customerRef}", async (HttpContext http, string channel, string customerRef, LoopbackSimulator loopback, IInstanceQueries queries) =>
                    await SimulatorAccess.RefusalAsync(http, queries, channel, customerRef).ConfigureAwait(false)
                        ?? TypedResults.Ok(new SimulatedConversation(channel, customerRef, loopback.Conversation(channel, customerRef))) as IResult)
                .WithName("SimulatorConversation")
                .WithSummary("The prompts the loopback simulator delivered to a customer");
            simulator.MapPost("/{channel}/{customerRef}/messages", async (HttpContext http, string channel, string customerRef, SimulatedMessage message, InboundPipeline pipeline, IInstanceQueries queries, TimeProvider clock) =>
                {
                    if (await SimulatorAccess.RefusalAsync(http, queries, channel, customerRef).ConfigureAwait(false) is { } refused)
                    {
                        return refused;
                    }

                    // Signed here with the webhook's own secret and sent through the webhook's pipeline.
                    var body = JsonSerializer.SerializeToUtf8Bytes(
                        new InboundMessage
                        {
                            MessageId = string.IsNullOrWhiteSpace(message.MessageId) ? "sim-" + Guid.CreateVersion7(clock.GetUtcNow()).ToString("N") : message.MessageId,
                            CustomerRef = customerRef,
                            Text = message.Text,
                            SentAt = clock.GetUtcNow(),
                        },
                        InboundMessage.Json);
                    var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
                    return await pipeline.HandleAsync(http, channel, body, timestamp.ToString(CultureInfo.InvariantCulture), WebhookSignature.Sign(pipeline.Secret, timestamp, body)).ConfigureAwait(false);
                })
                .WithName("SimulatorMessage")
                .WithSummary("Sends a customer's message through the webhook's routing, as the simulator's customer");
        }

        return endpoints;
    }

    /// <summary>
    /// One node's cluster ports, unless the host registered a cluster's (Scheduling does, on
    /// PostgreSQL; a later registration wins over these).
    /// </summary>
    private static void AddSingleNodeDefaults(IServiceCollection services)
    {
        services.TryAddSingleton<Runtime.Cluster.SingleNode>();
        services.TryAddSingleton<Runtime.Cluster.IClusterSignals>(sp => sp.GetRequiredService<Runtime.Cluster.SingleNode>());
        services.TryAddSingleton<Runtime.Cluster.IClusterLocks>(sp => sp.GetRequiredService<Runtime.Cluster.SingleNode>());
        services.TryAddSingleton<Runtime.Cluster.IClusterCounters>(sp => sp.GetRequiredService<Runtime.Cluster.SingleNode>());
    }

    /// <summary>Registers the live-updates hub as an instance observer and a notification listener.</summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services, Action<LiveUpdatesOptions>? configure = null)
    {
        var options = new LiveUpdatesOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        AddSingleNodeDefaults(services);
        services.AddSingleton(sp => new LiveHub(options, sp.GetRequiredService<ILogger<LiveHub>>(), sp.GetRequiredService<Runtime.Cluster.IClusterSignals>()));
        services.AddSingleton<Runtime.Instances.IInstanceObserver>(sp => sp.GetRequiredService<LiveHub>());
        services.AddSingleton<INotificationListener>(sp => sp.GetRequiredService<LiveHub>());
        services.AddSingleton<ILiveStreams>(sp => sp.GetRequiredService<LiveHub>());
        return services;
    }

    /// <summary>
    /// Maps <c>GET /api/live</c> (server-sent events) for signed-in users, filtered by their roles
    /// (notifications by their audience; the server lists and acknowledges them at <c>/api/notifications</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapLiveUpdates(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var live = endpoints.MapGroup("/api/live").RequireAuthorization().WithTags("Live updates");
        live.MapGet("", LiveStream.RunAsync)
            .WithName("LiveUpdates")
            .WithSummary("Server-sent events: prompts, timers, tasks, tickets, SLA and notifications the user may see")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return endpoints;
    }
}

/// <summary>The body of <c>POST /api/simulator/{channel}/{customerRef}/messages</c>.</summary>
public sealed record SimulatedMessage(string? Text, string? MessageId);

/// <summary>The prompts the simulator delivered to one customer on one channel.</summary>
public sealed record SimulatedConversation(string Channel, string CustomerRef, IReadOnlyList<SimulatedPrompt> Prompts);
