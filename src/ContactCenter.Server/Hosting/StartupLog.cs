using ContactCenter.Hosting;

namespace ContactCenter.Server.Hosting;

public static class StartupLog
{
    /// <summary>Logs where everything is: data, databases, logs, workflows, demo users.</summary>
    public static void LogServerLocations(this ILogger logger, ServerOptions settings, DatabaseConnection database)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(database);
        logger.LogInformation(
            "ContactCenter data in {DataFolder}: database {DatabasePath}, logs {LogsFolder}; workflows from {WorkflowsFolder}; demo users' passwords in {DemoUsersFile}",
            settings.DataPath,
            database.Location,
            settings.LogsPath,
            settings.WorkflowsPath,
            settings.DemoUsersFile);
    }
}
