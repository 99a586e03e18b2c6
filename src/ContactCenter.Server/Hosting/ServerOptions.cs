using System.ComponentModel.DataAnnotations;

namespace ContactCenter.Server.Hosting;

/// <summary>
/// The server's settings, bound from the <c>ContactCenter</c> configuration section as
/// <c>IOptions&lt;ServerOptions&gt;</c> and validated at start (data annotations, and
/// <see cref="DeploymentChecks"/> for what a production installation needs). The platform's own
/// settings of the same section (RunScheduler, Outbox, Timers, Retention, ...) are
/// <see cref="ContactCenter.Hosting.ContactCenterOptions"/>'s.
/// </summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section these settings are read from.</summary>
    public const string Section = "ContactCenter";

    /// <summary>The data folder: the database, logs and <c>demo-users.json</c>. Default is <c>./data</c>, resolved against the current directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataFolder { get; set; } = Path.Combine(".", "data");

    /// <summary>The workflows folder imported at start-up. Default is <c>./workflows</c>, resolved against the current directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string WorkflowsFolder { get; set; } = Path.Combine(".", "workflows");

    /// <summary>Whether the first start creates a demo user for every role. Default is false; the Development environment (<c>appsettings.Development.json</c>) turns it on, and outside Development the server refuses to start with it.</summary>
    public bool CreateDemoUsers { get; set; }

    /// <summary>Largest JSON request body, in bytes. Default is 256 KiB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxJsonBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Largest BPMN request body, in bytes. Default is 4 MiB, the BPMN parser's own limit.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBpmnBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Sign-in attempts one client address may make per minute, whatever the user names. Default is 20.</summary>
    [Range(1, int.MaxValue)]
    public int SignInAttemptsPerMinute { get; set; } = 20;

    /// <summary>The data folder as a full path.</summary>
    public string DataPath => FullPath(DataFolder);

    /// <summary>The workflows folder as a full path.</summary>
    public string WorkflowsPath => FullPath(WorkflowsFolder);

    /// <summary>Where the demo users' names and passwords are written on first start.</summary>
    public string DemoUsersFile => Path.Combine(DataPath, "demo-users.json");

    /// <summary>Where the first administrator's name and password are written when the first start creates no demo users.</summary>
    public string InitialAdminFile => Path.Combine(DataPath, "initial-admin.json");

    /// <summary>The folder of the rolling log files.</summary>
    public string LogsPath => Path.Combine(DataPath, "logs");

    /// <summary>Empty stays empty, for the validation to name the setting instead of a path error at registration.</summary>
    private static string FullPath(string folder) => string.IsNullOrWhiteSpace(folder) ? "" : Path.GetFullPath(folder);
}
