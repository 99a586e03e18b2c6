using FluentAssertions;
using Quartz;

namespace ContactCenter.Scheduling.Tests;

public sealed class TimerKeysTests
{
    [Fact]
    public void A_trigger_key_names_the_instance_and_timer_and_reads_back()
    {
        var instanceId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        var key = TimerKeys.Trigger(instanceId, 42);

        key.Group.Should().Be("timers");
        key.Name.Should().Be("0f8fad5bd9cb469fa16570867728950e-42");
        TimerKeys.TryParse(key, out var parsedInstance, out var parsedTimer).Should().BeTrue();
        (parsedInstance, parsedTimer).Should().Be((instanceId, 42L));
    }

    [Theory]
    [InlineData("0f8fad5bd9cb469fa16570867728950e-42", "other")]
    [InlineData("0f8fad5bd9cb469fa16570867728950e", "timers")]
    [InlineData("0f8fad5bd9cb469fa16570867728950e-", "timers")]
    [InlineData("0f8fad5bd9cb469fa16570867728950e--1", "timers")]
    [InlineData("not-a-guid-at-all-not-a-guid-at-a-1", "timers")]
    public void Keys_that_are_not_a_timer_s_do_not_parse(string name, string group)
    {
        TimerKeys.TryParse(new TriggerKey(name, group), out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Options_defaults_are_the_documented_ones()
    {
        var options = new TimerSchedulingOptions();

        Path.GetFullPath(options.DatabasePath).Should().Be(Path.GetFullPath("data/quartz.db"));
        options.SchedulerName.Should().Be("ContactCenter.Timers");
        options.MisfireThreshold.Should().Be(TimeSpan.FromSeconds(60));
        options.BatchFireAheadWindow.Should().Be(TimeSpan.Zero);
    }
}
