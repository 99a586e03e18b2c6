namespace ContactCenter.Scheduling;

/// <summary>
/// How the timer scheduler stores and fires its triggers. Read once, when
/// <see cref="SchedulingServiceCollectionExtensions.AddContactCenterScheduling"/> registers Quartz.
/// </summary>
public sealed class TimerSchedulingOptions
{
    /// <summary>
    /// The SQLite file Quartz keeps its triggers in, its own database apart from the application's.
    /// A relative path is taken from the working directory; the folder is created if missing, and
    /// the tables are created by Quartz on first start. Default is <c>./data/quartz.db</c>.
    /// </summary>
    public string DatabasePath { get; set; } = Path.Combine(".", "data", "quartz.db");

    /// <summary>
    /// The name of the Quartz scheduler: its service key in the container and the <c>SCHED_NAME</c>
    /// of its rows, so a process started again must use the same one to find its triggers.
    /// Default is <c>ContactCenter.Timers</c>.
    /// </summary>
    public string SchedulerName { get; set; } = "ContactCenter.Timers";

    /// <summary>
    /// How many firings may run at once (Quartz's thread pool). Each firing is one call to
    /// <c>ITimerSink.FireAsync</c>. Default is 8.
    /// </summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// The most triggers Quartz takes from the store in one acquisition round; 0 lets Quartz choose
    /// (the thread pool's size for a persistent store). Default is 0.
    /// </summary>
    public int MaxBatchSize { get; set; }

    /// <summary>
    /// How far ahead of its due time a trigger may be taken into the current acquisition batch, so
    /// fire early by up to this much. Default is zero: a timer never fires before it is due.
    /// </summary>
    public TimeSpan BatchFireAheadWindow { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How late a trigger may be before Quartz treats it as misfired. Timers are armed with
    /// "fire now" as their misfire instruction, so a misfired timer still fires once, as soon as it
    /// can. Default is 60 seconds (Quartz's own default).
    /// </summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The wait before the first retry of a firing whose sink threw. Later waits double, up to
    /// <see cref="RetryMaxDelay"/>. Default is 1 second.
    /// </summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two retries of one firing. Default is 1 minute.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many times a failed firing is retried before Quartz gives up on it (the start-up
    /// reconciliation of pending timers then arms it again). With the defaults the retries span
    /// about an hour. Default is 64.
    /// </summary>
    public int RetryMaxAttempts { get; set; } = 64;

    /// <summary>
    /// The clock Quartz computes fire times and misfires with. Null means Quartz's own choice: the
    /// container's <see cref="System.TimeProvider"/>, else <see cref="TimeProvider.System"/>. Quartz
    /// still waits on the real clock, so a fake clock changes what it computes, not when it wakes.
    /// Default is null.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Whether the host starts and stops the scheduler (Quartz's hosted service). When false the
    /// application starts it itself, through the keyed <c>IScheduler</c>. Default is true.
    /// </summary>
    public bool StartWithHost { get; set; } = true;
}
