using ContactCenter.Channels.Live;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContactCenter.Channels.Tests;

public class ChannelsOptionsTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Channels:Webhook:Secret"] = "s3cret",
        ["Channels:Webhook:MaxClockSkew"] = "00:02:00",
        ["Channels:RateLimit:PermitLimit"] = "5",
        ["Channels:Routing:Agents:0:UserName"] = "agent.sari",
        ["Channels:Routing:Agents:0:DisplayName"] = "Sari",
        ["Channels:Routing:Agents:1:UserName"] = "agent.budi",
        ["Channels:Outbound:Url"] = "https://omni.example/prompts",
        ["Channels:Outbound:Timeout"] = "00:00:05",
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AddChannels_FromTheWholeConfigurationOrItsSection_BindsTheChannelsSection(bool passSection)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var services = new ServiceCollection();

        services.AddChannels(passSection ? configuration.GetSection("Channels") : configuration);

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ChannelsOptions>>().Value;
        options.Webhook.Secret.Should().Be("s3cret");
        options.Webhook.MaxClockSkew.Should().Be(TimeSpan.FromMinutes(2));
        options.RateLimit.PermitLimit.Should().Be(5);
        options.Routing.Agents.Select(a => (a.UserName, a.DisplayName)).Should().Equal(("agent.sari", "Sari"), ("agent.budi", null));
        options.Routing.Definitions["email"].Should().Be("email");
        options.Outbound.Url.Should().Be(new Uri("https://omni.example/prompts"));
        options.Outbound.Timeout.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void AddChannels_RelativeOutboundUrl_FailsAtStartUp()
    {
        using var provider = new ServiceCollection().AddChannels(o =>
            {
                o.Outbound.Url = new Uri("/prompts", UriKind.Relative);
                o.RateLimit.PermitLimit = 0;
            })
            .BuildServiceProvider();

        // What ValidateOnStart runs before any hosted service: every problem at once.
        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(
            "Channels:Outbound:Url must be an absolute http or https URL, not '/prompts'",
            "Channels:RateLimit:PermitLimit and Window must be positive");
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new ChannelsOptions();
        var live = new LiveUpdatesOptions();

        options.Webhook.MaxClockSkew.Should().Be(TimeSpan.FromMinutes(5));
        options.Webhook.MaxBodyBytes.Should().Be(65_536);
        options.RateLimit.PermitLimit.Should().Be(30);
        options.RateLimit.Window.Should().Be(TimeSpan.FromMinutes(1));
        options.Outbound.Url.Should().BeNull();
        options.Outbound.Timeout.Should().Be(TimeSpan.FromSeconds(10));
        options.Simulator.Enabled.Should().BeTrue();
        options.Routing.Definitions.Should().BeEquivalentTo(new Dictionary<string, string> { ["whatsapp"] = "whatsapp", ["social-media"] = "social-media", ["live-chat"] = "live-chat", ["email"] = "email" });
        live.HeartbeatInterval.Should().Be(TimeSpan.FromSeconds(15));
        live.SubscriberCapacity.Should().Be(256);
    }
}
