using Serilog;
using Serilog.Formatting.Compact;

namespace ContactCenter.Server.Hosting;

public static class ServerLogging
{
    /// <summary>The rolling log files' path pattern under the data folder (one file a day).</summary>
    public static string LogFilePattern(ServerOptions settings) => Path.Combine(settings.LogsPath, "contactcenter-.clef");

    /// <summary>
    /// Serilog: levels from the <c>Serilog</c> configuration section, the console, and rolling
    /// compact-JSON files under <c>&lt;data&gt;/logs/</c>; properties pushed on the log context
    /// (instance id, ticket id) appear on every event; control characters in any property are
    /// escaped (<see cref="ControlCharacterEscaper"/>). Sinks and enrichers registered in the
    /// services (<c>ILogEventSink</c>, <c>ILogEventEnricher</c>) are added too, e.g. a test's.
    /// The settings are the configured ones, not <c>IOptions&lt;ServerOptions&gt;</c>: validating
    /// those logs (<see cref="DeploymentChecks"/>), so the logger cannot wait for them.
    /// </summary>
    public static IServiceCollection AddServerLogging(this IServiceCollection services, IConfiguration configuration, ServerOptions settings) =>
        services.AddSerilog(
            (sp, logger) => logger
            .ReadFrom.Configuration(configuration)
            .ReadFrom.Services(sp)
            .Enrich.FromLogContext()
            .Enrich.With<ControlCharacterEscaper>() // after every other enricher: input in any property is escaped
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .WriteTo.File(
                new CompactJsonFormatter(),
                LogFilePattern(settings),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 31,
                shared: true,
                flushToDiskInterval: TimeSpan.FromSeconds(1)),
            // The logger belongs to this host, not to the static Log.Logger: several hosts in one
            // process (tests, restarts) each keep their own sinks.
            preserveStaticLogger: true);
}
