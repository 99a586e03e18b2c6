using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ContactCenter.Runtime.Diagnostics;

/// <summary>
/// The product's own traces and metrics, with System.Diagnostics only: an exporter (OpenTelemetry
/// in the server, <c>dotnet-counters</c>, a test's listener) subscribes to <see cref="Name"/>.
/// Nothing is measured or allocated for a span until someone listens. Tags stay low-cardinality
/// (command, outcome, channel): never an instance id on a metric.
/// </summary>
public static class Telemetry
{
    /// <summary>The one name of the meter and the activity source.</summary>
    public const string Name = "ContactCenter";

    /// <summary>The version reported with every instrument and span: the assembly's.</summary>
    public static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString();

    /// <summary>Spans: a runtime command, its commit, a timer firing.</summary>
    public static readonly ActivitySource Source = new(Name, Version);

    /// <summary>The meter of the instruments recorded on hot paths (counters and histograms).</summary>
    /// <remarks>
    /// The observable gauges that read the database are on a meter of the same name owned by each
    /// host (<see cref="StoreGauges"/>), so a stopped host's callbacks go with it.
    /// </remarks>
    public static readonly Meter Meter = new(Name, Version);

    /// <summary>Commands the runtime decided, by command and outcome (committed, unchanged, conflict, failed).</summary>
    public static readonly Counter<long> Commands = Meter.CreateCounter<long>(
        "contactcenter.commands", "{command}", "Commands decided by the runtime, by command and outcome.");

    /// <summary>From a commit's hand-over to the write queue to its transaction being durable, in seconds.</summary>
    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram(
        "contactcenter.command.commit.duration", "s", "Time from a command's commit request to its transaction being durable (queueing included).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    /// <summary>Journal events one committed command wrote.</summary>
    public static readonly Histogram<int> CommandEvents = Meter.CreateHistogram(
        "contactcenter.command.events", "{event}", "Journal events written by one committed command.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 3, 5, 8, 13, 21, 34] });

    /// <summary>How late a timer fired after its due time, in seconds.</summary>
    public static readonly Histogram<double> TimerLateness = Meter.CreateHistogram(
        "contactcenter.timer.lateness", "s", "How long after its due time a timer row was fired.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300] });

    /// <summary>Timer rows the drains handled, by outcome (fired, not_due, not_pending, instance_missing, failed).</summary>
    public static readonly Counter<long> TimerFirings = Meter.CreateCounter<long>(
        "contactcenter.timer.firings", "{timer}", "Timer rows handled by the drains, by outcome.");

    /// <summary>Inbound webhook messages by channel and outcome.</summary>
    public static readonly Counter<long> WebhookMessages = Meter.CreateCounter<long>(
        "contactcenter.webhook.messages", "{message}", "Inbound webhook messages, by channel and outcome.");

    /// <summary>Tag keys, named as OpenTelemetry's conventions would (namespaced, snake case).</summary>
    public static class Tags
    {
        public const string Command = "contactcenter.command";
        public const string Outcome = "contactcenter.outcome";
        public const string Channel = "contactcenter.channel";
        public const string Definition = "contactcenter.definition";
        public const string InstanceId = "contactcenter.instance.id";
        public const string TimerId = "contactcenter.timer.id";
        public const string TimerElement = "contactcenter.timer.element";
        public const string TimerDueAt = "contactcenter.timer.due_at";
        public const string Events = "contactcenter.events";
        public const string State = "contactcenter.state";
        public const string Lane = "contactcenter.lane";
    }

    /// <summary>
    /// The W3C <c>traceparent</c> of the current span when it is being recorded; null otherwise, so
    /// nothing is stored when nobody traces.
    /// </summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } current ? current.Id : null;

    /// <summary>A link to the span a stored <c>traceparent</c> names; none for null or a malformed one.</summary>
    public static ActivityLink[] LinksTo(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? [new ActivityLink(context)] : [];
}
