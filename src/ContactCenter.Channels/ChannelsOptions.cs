namespace ContactCenter.Channels;

/// <summary>
/// The channels module's settings, bound from the <c>Channels</c> configuration section
/// (<c>Channels:Webhook:Secret</c>, <c>Channels:Outbound:Url</c>, ...).
/// </summary>
public sealed class ChannelsOptions
{
    public WebhookOptions Webhook { get; set; } = new();

    public InboundRateLimitOptions RateLimit { get; set; } = new();

    public RoutingOptions Routing { get; set; } = new();

    public OutboundOptions Outbound { get; set; } = new();

    public SimulatorOptions Simulator { get; set; } = new();
}

/// <summary>The inbound webhook from the Omni Channel application.</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// The shared secret of the HMAC-SHA256 signature. Required outside Development (the server
    /// refuses to start without it); in Development an empty one means a random secret per process,
    /// so the webhook accepts nothing from outside while the simulator still works.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>How far <c>X-CC-Timestamp</c> may be from the server's clock (replays are older). Default is 5 minutes.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest accepted body, in bytes (413 above). Default is 65,536.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Message ids remembered in memory for de-duplication. Default is 10,000.</summary>
    public int DedupeCapacity { get; set; } = 10_000;
}

/// <summary>Per channel and customer: a fixed window of messages.</summary>
public sealed class InboundRateLimitOptions
{
    /// <summary>Messages accepted per customer and channel in one window. Default is 30.</summary>
    public int PermitLimit { get; set; } = 30;

    /// <summary>The window. Default is 1 minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Who gets a new conversation, and on which definition.</summary>
public sealed class RoutingOptions
{
    /// <summary>
    /// The agents new conversations are assigned to, in turn (round-robin, per process). Default
    /// is empty: conversations start unassigned (<c>Agent</c> null) with <see cref="DefaultAgentName"/>
    /// as the name the greeting uses.
    /// </summary>
    public IList<AgentOptions> Agents { get; } = [];

    /// <summary>The <c>namaAgent</c> of a conversation started without an agent. Default is <c>Pegadaian</c>.</summary>
    public string DefaultAgentName { get; set; } = "Pegadaian";

    /// <summary>
    /// Definition key per channel. Default is the channel's own name for whatsapp, social-media,
    /// live-chat and email.
    /// </summary>
    public IDictionary<string, string> Definitions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["whatsapp"] = "whatsapp",
        ["social-media"] = "social-media",
        ["live-chat"] = "live-chat",
        ["email"] = "email",
    };
}

/// <summary>An agent new conversations can be given to.</summary>
public sealed class AgentOptions
{
    /// <summary>The sign-in user name (the instance's <c>Agent</c>).</summary>
    public string UserName { get; set; } = "";

    /// <summary>The name customers read in the greeting (<c>namaAgent</c>). Default is the user name.</summary>
    public string? DisplayName { get; set; }
}

/// <summary>The outbound connector: prompts posted to the Omni Channel application.</summary>
public sealed class OutboundOptions
{
    /// <summary>Where prompts are posted. Default is none: the loopback simulator takes them.</summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// The HMAC secret of outbound signatures. Required outside Development when <see cref="Url"/> is
    /// set (the server refuses to start without it); in Development an empty one means <see cref="WebhookOptions.Secret"/>.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>How long one post may take before it counts as failed. Default is 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The built-in loopback simulator.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Whether the simulator runs when no outbound URL is set. Default is true; the server's <c>appsettings.json</c> turns it off and its Development file on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Prompts kept per conversation (oldest dropped). Default is 200.</summary>
    public int MaxPromptsPerCustomer { get; set; } = 200;

    /// <summary>Customers kept (the least recently prompted dropped). Default is 1,000.</summary>
    public int MaxCustomers { get; set; } = 1_000;
}
