using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using ContactCenter.Cli.Data;
using ContactCenter.Hosting;
using ContactCenter.Modules.Calendar;
using ContactCenter.Modules.Dashboard;
using ContactCenter.Modules.Quality;
using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Cli.Commands;

/// <summary>
/// <c>contactcenter rebuild-read-models</c>: empties the read models (ticket queue rows, dashboard
/// counters) and rebuilds them from the journals with the projections the server runs, batch by
/// batch (<see cref="ReadModelRebuilder"/>). For after a restore, an SLA policy change, or the
/// first start on a database from before the read models. Run it with the server stopped. Exit
/// codes: 0 rebuilt, 2 a usage error (missing database, bad workflows folder).
/// </summary>
internal static class RebuildReadModelsCommand
{
    public static Command Create(CliEnvironment env)
    {
        var data = CliOptions.Data();
        var workflows = new Option<string>("--workflows")
        {
            Description = "The server's workflows folder: its calendar/ and sla-policies.json give the tickets' SLA (plain weekdays and the default policy without them).",
            DefaultValueFactory = _ => "./workflows",
        };
        var batch = new Option<int>("--batch") { Description = "Instances per batch (one transaction each).", DefaultValueFactory = _ => 500 };
        var command = new Command("rebuild-read-models", "Empty the read models (ticket queues, dashboard counters) and rebuild them from the journals, batch by batch. Run with the server stopped.");
        command.Options.Add(data);
        command.Options.Add(workflows);
        command.Options.Add(batch);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(data)!, parse.GetValue(workflows)!, parse.GetValue(batch), env, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string dataFolder, string workflowsFolder, int batch, CliEnvironment env, CancellationToken cancellationToken)
    {
        if (batch < 1)
        {
            env.Error.WriteLine($"error: --batch must be at least 1 (got {batch})");
            return CliApp.Usage;
        }

        // As the server builds it: the bundled years, then (after the migrations) the years an
        // administrator maintains in the database, so rebuilt deadlines equal the ones kept inline.
        WorkingCalendar calendar;
        SlaPolicySet policies;
        HolidayCalendar holidays;
        IReadOnlyList<HolidayYear> bundled = [];
        var workflows = env.FullPath(workflowsFolder);
        try
        {
            var calendarFolder = Path.Combine(workflows, "calendar");
            var policiesFile = Path.Combine(workflows, "sla-policies.json");
            if (Directory.Exists(calendarFolder) && File.Exists(policiesFile))
            {
                bundled = CalendarFiles.LoadHolidayYears(calendarFolder);
                var configuration = CalendarFiles.LoadSlaConfiguration(policiesFile);
                holidays = HolidayCalendar.Maintained(bundled);
                (calendar, policies) = (new WorkingCalendar(holidays, configuration.Calendar), configuration.Policies);
            }
            else
            {
                holidays = HolidayCalendar.Maintained([]);
                (calendar, policies) = (new WorkingCalendar(holidays), new SlaPolicySet([SlaPolicy.Default()]));
            }
        }
        catch (Exception e) when (e is CalendarDataException or IOException)
        {
            env.Error.WriteLine($"error: cannot read the calendar of {workflows}: {e.Message}");
            return CliApp.Usage;
        }

        var folder = DataFolder.Open(env.FullPath(dataFolder), env.Error, env.GetVariable);
        if (folder is null)
        {
            return CliApp.Usage;
        }

        await using (folder.ConfigureAwait(false))
        {
            try
            {
                // A database from before the read models gets their tables first.
                await folder.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
                using (var years = new HolidayYears(holidays, bundled, folder.HolidayYears, TimeProvider.System))
                {
                    await years.RefreshAsync(cancellationToken).ConfigureAwait(false);
                }

                var store = folder.Instances;
                ICommitProjection[] projections =
                [
                    new TicketQueueProjection(calendar, policies, store),
                    new DashboardCounterProjection(folder.Catalog, calendar.Zone, new ScorecardOptions().ClosePurpose, store),
                ];
                var watch = Stopwatch.StartNew();
                var result = await new ReadModelRebuilder(store, folder.ReadModels, projections) { BatchSize = batch }
                    .RebuildAsync(done => env.Out.WriteLine($"  {done} instances"), cancellationToken).ConfigureAwait(false);
                env.Out.WriteLine($"rebuilt read models from {result.Instances} journals: {result.Rows} rows, {result.Counters} counter amounts, {result.Batches} batches, {watch.Elapsed.TotalSeconds:F1} s");
                return CliApp.Ok;
            }
            catch (DbException e)
            {
                env.Error.WriteLine($"error: cannot rebuild in {folder.DatabasePath}: {e.Message}");
                return CliApp.Usage;
            }
        }
    }
}
