using ContactCenter.Persistence;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Retention;
using ContactCenter.Runtime.Timers;

namespace ContactCenter.Hosting;

/// <summary>Where ContactCenter keeps its data and finds its workflows.</summary>
public sealed class ContactCenterOptions
{
    /// <summary>The data folder: <c>contactcenter.db</c> lives here. Default is <c>./data</c>.</summary>
    public string DataFolder { get; set; } = Path.Combine(".", "data");

    /// <summary>
    /// The workflows folder imported at start-up (<c>*.bpmn</c>, plus <c>calendar/*.json</c> and
    /// <c>sla-policies.json</c> when present). Default is <c>./workflows</c>.
    /// </summary>
    public string WorkflowsFolder { get; set; } = Path.Combine(".", "workflows");

    /// <summary>The SOP header given to versions the import creates. Default is the seed SOP's (OCC.PGDN.01.01 rev 02).</summary>
    public ImportHeader ImportHeader { get; set; } = new();

    /// <summary>Whether start-up runs the outbox dispatcher loop. Default is true.</summary>
    public bool RunOutbox { get; set; } = true;

    /// <summary>SQLite's <c>synchronous</c>: Full (the default: acknowledged means on disk) or Normal.</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>How timer rows are sharded and drained.</summary>
    public TimerOptions Timers { get; set; } = new();

    /// <summary>
    /// Whether the host runs the Quartz scheduler that fires due timers. False for tools that only
    /// read or import (the command line) and for tests that fire timers by hand. Default is true.
    /// </summary>
    public bool RunScheduler { get; set; } = true;

    /// <summary>How long ended histories are kept. Default keeps everything; when set, it is applied at start-up and hourly.</summary>
    public RetentionOptions Retention { get; set; } = new();
}
