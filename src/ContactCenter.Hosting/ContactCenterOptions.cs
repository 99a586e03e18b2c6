using ContactCenter.Persistence;
using ContactCenter.Rendering;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Retention;
using ContactCenter.Runtime.Timers;

namespace ContactCenter.Hosting;

/// <summary>Where ContactCenter keeps its data and finds its workflows.</summary>
public sealed class ContactCenterOptions
{
    /// <summary>The data folder: <c>contactcenter.db</c> lives here (with SQLite). Default is <c>./data</c>.</summary>
    public string DataFolder { get; set; } = Path.Combine(".", "data");

    /// <summary>Which database (<c>ContactCenter:Database</c>): SQLite in the data folder by default, or PostgreSQL.</summary>
    public DatabaseOptions Database { get; set; } = new();

    /// <summary>
    /// The workflows folder imported at start-up (<c>*.bpmn</c>, plus <c>calendar/*.json</c> and
    /// <c>sla-policies.json</c> when present). Default is <c>./workflows</c>.
    /// </summary>
    public string WorkflowsFolder { get; set; } = Path.Combine(".", "workflows");

    /// <summary>
    /// The sample conversations the designer simulates against a version in review
    /// (<c>&lt;flow&gt;/*.json</c>). Default: <c>samples/conversations</c> beside the workflows folder,
    /// as the repository (and a deployment copying it) lays them out.
    /// </summary>
    public string? SamplesFolder { get; set; }

    /// <summary><see cref="SamplesFolder"/>, or its default.</summary>
    public string SamplesPath => SamplesFolder ?? Path.Combine(WorkflowsFolder, "..", "samples", "conversations");

    /// <summary>The SOP header given to versions the import creates. Default is the seed SOP's (OCC.PGDN.01.01 rev 02).</summary>
    public ImportHeader ImportHeader { get; set; } = new();

    /// <summary>Whether the scheduler runs the outbox job (when it runs at all: <see cref="RunScheduler"/>). Default is true.</summary>
    public bool RunOutbox { get; set; } = true;

    /// <summary>Outbox delivery: batch size, poll interval, retries.</summary>
    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>SQLite's <c>synchronous</c>: Full (the default: acknowledged means on disk) or Normal.</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>How timer rows are sharded and drained.</summary>
    public TimerOptions Timers { get; set; } = new();

    /// <summary>
    /// Whether the host runs the Quartz scheduler: due timers, outbox delivery, retention. False for
    /// tools that only read or import (the command line) and for tests that drive that work by hand
    /// (<c>TimerDrain</c>, <c>OutboxDispatcher</c>, <c>RetentionPolicy</c>): nothing periodic runs. Default is true.
    /// </summary>
    public bool RunScheduler { get; set; } = true;

    /// <summary>Where headless chromium is and how long printing the SOP document's PDF may take.</summary>
    public ChromiumPdfOptions Pdf { get; set; } = new();

    /// <summary>How long ended histories are kept. Default keeps everything; when set (and the scheduler runs), it is applied at start-up and every <see cref="RetentionOptions.Interval"/>.</summary>
    public RetentionOptions Retention { get; set; } = new();
}

/// <summary>
/// <c>ContactCenter:Database</c>: the engine and, for PostgreSQL, how to reach it. SQLite (the
/// default) needs nothing here: its file is <c>contactcenter.db</c> in the data folder.
/// </summary>
public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (the default: one file, one node) or <c>PostgreSql</c> (a server several nodes share).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The Npgsql connection string, for <c>PostgreSql</c> only (e.g. <c>Host=db;Database=contactcenter;Username=cc;Password=…</c>).</summary>
    public string? ConnectionString { get; set; }
}
