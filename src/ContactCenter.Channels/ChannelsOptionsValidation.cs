using Microsoft.Extensions.Options;

namespace ContactCenter.Channels;

/// <summary>
/// Checks <see cref="ChannelsOptions"/> when the host starts (<c>ValidateOnStart</c>), in every
/// environment, every problem listed at once. Secrets are the server's production checks: the
/// demo runs without them.
/// </summary>
internal sealed class ChannelsOptionsValidation : IValidateOptions<ChannelsOptions>
{
    public ValidateOptionsResult Validate(string? name, ChannelsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Outbound.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"Channels:Outbound:Url must be an absolute http or https URL, not '{url}'");
        }

        if (options.Outbound.Timeout <= TimeSpan.Zero)
        {
            problems.Add("Channels:Outbound:Timeout must be positive");
        }

        if (options.RateLimit.PermitLimit <= 0 || options.RateLimit.Window <= TimeSpan.Zero)
        {
            problems.Add("Channels:RateLimit:PermitLimit and Window must be positive");
        }

        if (options.Webhook.MaxBodyBytes <= 0 || options.Webhook.MaxClockSkew <= TimeSpan.Zero)
        {
            problems.Add("Channels:Webhook:MaxBodyBytes and MaxClockSkew must be positive");
        }

        if (options.Routing.Agents.Any(a => string.IsNullOrWhiteSpace(a.UserName)))
        {
            problems.Add("every Channels:Routing:Agents entry needs a UserName");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
