using Microsoft.Extensions.Options;

namespace ContactCenter.Server.Hosting;

public static class ServerOptionsRegistration
{
    /// <summary>
    /// Binds <see cref="ServerOptions"/> (section <c>ContactCenter</c>) and <see cref="TelemetryOptions"/>
    /// (<c>ContactCenter:Telemetry</c>) as <c>IOptions&lt;T&gt;</c>, validated when the host starts:
    /// their data annotations, the OTLP address, and <see cref="DeploymentChecks"/>.
    /// </summary>
    public static IServiceCollection AddServerOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServerOptions>()
            .Bind(configuration.GetSection(ServerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, DeploymentChecks>();
        services.AddOptions<TelemetryOptions>()
            .Bind(configuration.GetSection(TelemetryOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidation>();
        return services;
    }

    /// <summary>
    /// The options as configured, for the wiring that is decided before the container exists (which
    /// database file, which Quartz jobs, whether the OpenTelemetry SDK is registered at all). The
    /// same section as the validated <c>IOptions&lt;T&gt;</c>; what the running server reads comes
    /// from those.
    /// </summary>
    public static T Configured<T>(this IConfiguration configuration, string section)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }
}

/// <summary>An OTLP endpoint that is not an absolute http(s) address is refused, naming the setting and the value.</summary>
internal sealed class TelemetryOptionsValidation : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options) =>
        options?.OtlpEndpointProblem is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
