namespace ContactCenter.Channels.Live;

/// <summary>Settings of the server-sent events stream at <c>/api/live</c>.</summary>
public sealed class LiveUpdatesOptions
{
    /// <summary>Events buffered per subscriber; when a slow browser falls behind, the oldest are dropped. Default is 256.</summary>
    public int SubscriberCapacity { get; set; } = 256;

    /// <summary>Recent events kept for reconnecting browsers (<c>Last-Event-ID</c>). Default is 1,000.</summary>
    public int ReplayCapacity { get; set; } = 1_000;

    /// <summary>A comment line is sent after this long without an event, so proxies keep the stream open. Default is 15 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
