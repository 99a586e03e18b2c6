using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;

namespace ContactCenter.Server.Hosting;

public static class StartupRefusal
{
    /// <summary>
    /// Validates every option registered with <c>ValidateOnStart</c> now, before the pipeline is
    /// built, so the problems of all of them are reported together. A refused configuration ends
    /// this process with exit code 1 and one critical log line per problem, not a stack trace; in a
    /// test host (WebApplicationFactory runs this entry point inside the test process) the
    /// <see cref="OptionsValidationException"/> is thrown on, for the test to read.
    /// </summary>
    /// <returns>The exit code when the start is refused; null when the configuration is valid.</returns>
    public static int? Check(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (Exception e) when (Refusals(e).Any())
        {
            var logger = app.Services.GetRequiredService<ILogger<Program>>();
            // DeploymentChecks logs its own problems as it finds them; the others are logged here.
            foreach (var problem in Refusals(e).Where(r => r.OptionsType != typeof(ServerOptions)).SelectMany(r => r.Failures))
            {
                logger.LogCritical("ContactCenter refuses to start: {Problem}", problem);
            }

            if (Assembly.GetEntryAssembly() != typeof(Program).Assembly)
            {
                ExceptionDispatchInfo.Capture(e).Throw();
            }

            return 1;
        }
    }

    private static IEnumerable<OptionsValidationException> Refusals(Exception e) => e switch
    {
        OptionsValidationException refusal => [refusal],
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Refusals),
        _ => [],
    };
}
