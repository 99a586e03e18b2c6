using ContactCenter.Engine;
using ContactCenter.Modules.Calendar;
using ContactCenter.Modules.Dashboard;
using ContactCenter.Modules.Documents;
using ContactCenter.Modules.Flows;
using ContactCenter.Modules.Greetings;
using ContactCenter.Modules.Quality;
using ContactCenter.Modules.Quality.WhatIf;
using ContactCenter.Modules.Tickets;
using ContactCenter.Persistence;
using ContactCenter.Rendering;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Diagnostics;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Retention;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Timers;
using ContactCenter.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Hosting;

public static class ContactCenterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the whole runtime: EF Core persistence on SQLite or PostgreSQL (<see cref="ContactCenterOptions.Database"/>), timers drained by Quartz, the catalogue,
    /// the instance runtime, tickets, the SLA calendar, greetings and the outbox, plus the
    /// start-up sequence (<see cref="ContactCenterStartup"/>), which runs before Quartz starts.
    /// </summary>
    /// <remarks>
    /// <paramref name="configure"/> runs twice: once here, for the wiring decided now (the database
    /// file, the Quartz jobs), and once for <c>IOptions&lt;ContactCenterOptions&gt;</c>, which is
    /// validated when the host starts (<see cref="ContactCenterOptionsValidation"/>) and is the
    /// <see cref="ContactCenterOptions"/> the services are given.
    /// </remarks>
    public static IServiceCollection AddContactCenter(this IServiceCollection services, Action<ContactCenterOptions>? configure = null)
    {
        var options = new ContactCenterOptions();
        configure?.Invoke(options);
        services.AddOptions<ContactCenterOptions>().Configure(o => configure?.Invoke(o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ContactCenterOptions>, ContactCenterOptionsValidation>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ContactCenterOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);

        // Registered before Quartz's hosted service, so migrations and the shards of the timer rows
        // are done before the first drain runs.
        services.AddHostedService<ContactCenterStartup>();
        services.AddContactCenterPersistence(p =>
        {
            p.DataFolder = options.DataFolder;
            p.Synchronous = options.Synchronous;
            p.Provider = options.Database.Provider;
            p.ConnectionString = options.Database.ConnectionString;
        });
        services.AddSingleton(sp => DatabaseConnection.Of(sp.GetRequiredService<ContactCenterPersistenceOptions>()));
        services.AddSingleton(options.Timers);
        services.AddContactCenterScheduling(options.Timers, s =>
        {
            s.StartWithHost = options.RunScheduler;
            s.OutboxInterval = options.RunOutbox ? options.Outbox.PollInterval : null;
            s.RetentionInterval = options.Retention.KeepDays is null ? null : options.Retention.Interval;
            // On PostgreSQL every node is one of a cluster (one node is a cluster of one): timer
            // shards leased, retention in the clustered Quartz, live updates and routing across
            // nodes (docs/decisions/0007). The connection string is checked at start, naming its key.
            s.Cluster = options.Database.Provider == DatabaseProvider.PostgreSql
                ? new Scheduling.Cluster.ClusterOptions { ConnectionString = options.Database.ConnectionString ?? string.Empty }
                : null;
        });
        services.AddSingleton(sp => new TimerDrain(
            sp.GetRequiredService<ITimerStore>(),
            sp.GetRequiredService<ITimerSink>(),
            options.Timers,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TimerDrain>>()));

        services.AddSingleton<DefinitionCatalog>();
        services.AddSingleton<IDefinitionCheck, FlowContractCheck>();
        services.AddSingleton(sp => LoadCalendar(options.WorkflowsFolder));
        // The years administrators maintain, over the bundled files: read after the migrations
        // (registered after ContactCenterStartup) and again every minute, for a change made on another node.
        services.AddSingleton<IHolidayYearStore, EfHolidayYearStore>();
        services.AddSingleton(sp =>
        {
            var calendar = sp.GetRequiredService<CalendarData>();
            return new HolidayYears(calendar.Holidays, calendar.Bundled, sp.GetRequiredService<IHolidayYearStore>(), sp.GetRequiredService<TimeProvider>());
        });
        services.AddHostedService(sp => new HolidayYearsRefresh(
            sp.GetRequiredService<HolidayYears>(),
            sp.GetRequiredService<CalendarData>().Calendar.Zone,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<HolidayYearsRefresh>>()));
        services.AddSingleton<IDeadlineCalculator>(sp => sp.GetRequiredService<CalendarData>().Deadlines);
        services.AddSingleton(sp => new Greeter(sp.GetRequiredService<CalendarData>().Holidays));
        services.TryAddSingleton<IContextVariables>(sp => new GreetingContext(sp.GetRequiredService<Greeter>()));
        services.AddSingleton(sp => new InstanceRuntime(
            sp.GetRequiredService<DefinitionCatalog>(),
            sp.GetRequiredService<IInstanceStore>(),
            options.Timers,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<InstanceRuntime>>(),
            sp.GetRequiredService<IDeadlineCalculator>(),
            sp.GetRequiredService<IContextVariables>(),
            sp.GetServices<IInstanceObserver>(),
            sp.GetService<IOutboxWakeUp>(),
            sp.GetServices<ICommitProjection>(),
            sp.GetRequiredService<IReadModelStore>()));
        services.AddSingleton<ITimerSink>(sp => sp.GetRequiredService<InstanceRuntime>());

        // The read models kept in each commit's transaction (issue 11 item 4).
        services.AddSingleton(sp =>
        {
            var calendar = sp.GetRequiredService<CalendarData>();
            return new TicketQueueProjection(calendar.Calendar, calendar.Policies, sp.GetRequiredService<IInstanceStore>());
        });
        services.AddSingleton<ICommitProjection>(sp => sp.GetRequiredService<TicketQueueProjection>());
        services.AddSingleton(sp => new DashboardCounterProjection(
            sp.GetRequiredService<DefinitionCatalog>(),
            sp.GetRequiredService<CalendarData>().Calendar.Zone,
            new ScorecardOptions().ClosePurpose,
            sp.GetRequiredService<IInstanceStore>()));
        services.AddSingleton<ICommitProjection>(sp => sp.GetRequiredService<DashboardCounterProjection>());
        services.AddSingleton<ICommitProjection, Modules.Help.HelpRequestProjection>();
        services.AddSingleton<Modules.Help.HelpRequests>();
        services.AddSingleton(sp => new ReadModelRebuilder(sp.GetRequiredService<IInstanceStore>(), sp.GetRequiredService<IReadModelStore>(), sp.GetServices<ICommitProjection>()));
        services.AddSingleton<InstanceReplayer>();
        services.AddSingleton(sp => new TaskScripts(sp.GetRequiredService<DefinitionCatalog>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IContextVariables>()));
        services.AddSingleton(sp => new RetentionPolicy(sp.GetRequiredService<IRetentionStore>(), sp.GetRequiredService<IInstanceStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RetentionPolicy>>(), options.Retention, sp.GetRequiredService<INotificationStore>()));
        services.AddSingleton<IOutboxHandler, TicketOpener>();
        services.AddSingleton(sp =>
        {
            var calendar = sp.GetRequiredService<CalendarData>();
            return new TicketSla(sp.GetRequiredService<InstanceRuntime>(), calendar.Calendar, calendar.Policies);
        });
        services.AddSingleton(sp => new TicketDesk(
            sp.GetRequiredService<InstanceRuntime>(),
            sp.GetRequiredService<DefinitionCatalog>(),
            sp.GetRequiredService<TicketSla>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IReadModelStore>(),
            sp.GetRequiredService<TicketQueueProjection>()));
        services.AddSingleton(options.Outbox);
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton(sp => new RuntimeGauges(
            sp.GetRequiredService<IInstanceQueries>(),
            sp.GetRequiredService<ITimerStore>(),
            sp.GetRequiredService<IOutboxStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RuntimeGauges>>(),
            new HashSet<string>(StringComparer.Ordinal) { QualityService.TicketChannel }));
        services.AddSingleton<TicketGauges>();
        services.AddSingleton<IQualityReviewStore, EfQualityReviewStore>();
        services.AddSingleton<INotificationStore, EfNotificationStore>();
        services.AddSingleton<IMigrationProposalStore, EfMigrationProposalStore>();
        services.AddSingleton<InstanceMigrations>();
        services.AddSingleton(sp => new ScorecardEvaluator(sp.GetRequiredService<Greeter>()));
        services.AddSingleton<QualityService>();
        services.AddSingleton<QualityHistories>();
        services.AddSingleton<HistoryReplay>();
        services.AddSingleton<ISampleConversations>(new SampleConversationFiles(options.SamplesPath));
        services.AddSingleton<SampleSimulations>();
        services.AddSingleton<IDiagramRenderer, SvgDiagramRenderer>();
        services.AddSingleton<IPdfPrinter>(sp => new ChromiumPdfPrinter(options.Pdf, sp.GetRequiredService<ILogger<ChromiumPdfPrinter>>()));
        services.AddSingleton(sp => new SopDocumentGenerator(sp.GetRequiredService<DefinitionCatalog>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IDiagramRenderer>()));
        return services;
    }

    /// <summary>
    /// The holidays, working calendar, SLA policies and timer deadlines of the workflows folder.
    /// <see cref="Holidays"/> is the live calendar (<see cref="HolidayCalendar.Maintained"/>): the
    /// years an administrator maintains replace it through <see cref="HolidayYears"/>.
    /// </summary>
    /// <param name="Bundled">The years of the <c>calendar</c> files.</param>
    public sealed record CalendarData(HolidayCalendar Holidays, WorkingCalendar Calendar, SlaPolicySet Policies, IDeadlineCalculator Deadlines, IReadOnlyList<HolidayYear> Bundled);

    private static CalendarData LoadCalendar(string workflowsFolder)
    {
        var calendarFolder = Path.Combine(workflowsFolder, "calendar");
        var policies = Path.Combine(workflowsFolder, "sla-policies.json");
        if (!Directory.Exists(calendarFolder) || !File.Exists(policies))
        {
            // A workflows folder without calendar data (a test's, say) runs timers on plain durations,
            // and tickets on the default policy over weekdays only.
            var none = HolidayCalendar.Maintained([]);
            return new CalendarData(none, new WorkingCalendar(none), new SlaPolicySet([SlaPolicy.Default()]), WorkflowEngine.PlainDurations, []);
        }

        var bundled = CalendarFiles.LoadHolidayYears(calendarFolder);
        var holidays = HolidayCalendar.Maintained(bundled);
        var configuration = CalendarFiles.LoadSlaConfiguration(policies);
        var calendar = new WorkingCalendar(holidays, configuration.Calendar);
        return new CalendarData(holidays, calendar, configuration.Policies, new SlaDeadlineCalculator(calendar, configuration.Policies), bundled);
    }
}
