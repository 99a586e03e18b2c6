using ContactCenter.Modules.Calendar;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using static ContactCenter.Runtime.Tests.Calendar.RuntimeData;

namespace ContactCenter.Runtime.Tests.Calendar;

/// <summary>
/// The complaint policy (10 working days, warning at 75 %) on the real 2026 calendar. A complaint
/// received Tue 17 Mar 10:00 WIB has 7 working hours that day, then nothing until Wed 25 Mar
/// (18 Mar cuti bersama, 19 Nyepi, 20 cuti bersama, 21–22 Idul Fitri on the weekend, 23–24 cuti
/// bersama), and loses Good Friday 3 Apr.
/// </summary>
public class SlaClockTests
{
    private static readonly WorkingCalendar Calendar = RuntimeData.Calendar;
    private static readonly SlaPolicy Complaint = Sla.Policies.Get("complaint");
    private static readonly DateTimeOffset Received = Wib(3, 17, 10);

    [Fact]
    public void Evaluate_ReceivedBeforeNyepiIdulFitriBlock_DuesSkipHolidaysAndCutiBersama()
    {
        var snapshot = new SlaClock(Received, Complaint).Evaluate(Calendar, Received);

        snapshot.FirstResponseDue.Should().Be(Wib(3, 25, 10), "1 working day: 7 h on the 17th, 2 h on the 25th");
        snapshot.WarningDue.Should().Be(Wib(4, 2, 14, 30), "75 % of 90 h is 67.5 h");
        snapshot.BreachDue.Should().Be(Wib(4, 8, 10), "the 10th working day after the 17th, at the same time");
        snapshot.Target.Should().Be(TimeSpan.FromHours(90));
        snapshot.Remaining.Should().Be(TimeSpan.FromHours(90));
        snapshot.Status.Should().Be(SlaStatus.OnTrack);
        snapshot.BreachDue!.Value.Offset.Should().Be(WibOffset);
    }

    [Theory]
    [InlineData(3, 20, 12, 0, SlaStatus.OnTrack, 83)]
    [InlineData(4, 2, 14, 29, SlaStatus.OnTrack, 22.5 + 1 / 60.0)]
    [InlineData(4, 2, 14, 30, SlaStatus.AtRisk, 22.5)]
    [InlineData(4, 3, 12, 0, SlaStatus.AtRisk, 20)]
    [InlineData(4, 8, 9, 59, SlaStatus.AtRisk, 1 / 60.0)]
    [InlineData(4, 8, 10, 0, SlaStatus.Breached, 0)]
    [InlineData(4, 8, 11, 0, SlaStatus.Breached, -1)]
    public void Evaluate_AtInstants_StatusAndRemainingFollowWorkingTime(int month, int day, int hour, int minute, SlaStatus status, double remainingHours)
    {
        var snapshot = new SlaClock(Received, Complaint).Evaluate(Calendar, Wib(month, day, hour, minute));

        snapshot.Status.Should().Be(status);
        snapshot.Remaining.Should().BeCloseTo(TimeSpan.FromHours(remainingHours), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void Evaluate_FakeTimeAdvancing_GoesOnTrackThenAtRiskThenBreached()
    {
        var time = new FakeTimeProvider(Received);
        var clock = new SlaClock(time.GetUtcNow(), Complaint);
        var seen = new List<SlaStatus>();

        for (var i = 0; i < 24 * 30; i++)
        {
            var status = clock.Evaluate(Calendar, time.GetUtcNow()).Status;
            if (seen.Count == 0 || seen[^1] != status)
            {
                seen.Add(status);
            }

            time.Advance(TimeSpan.FromHours(1));
        }

        seen.Should().Equal(SlaStatus.OnTrack, SlaStatus.AtRisk, SlaStatus.Breached);
    }

    [Fact]
    public void Evaluate_PauseWhileWaitingOnCustomer_PausedWorkingTimeDoesNotCount()
    {
        var start = Wib(4, 13, 8);
        var clock = new SlaClock(start, Complaint).Pause(Wib(4, 14, 8)).Resume(Wib(4, 16, 8));

        new SlaClock(start, Complaint).Evaluate(Calendar, start).BreachDue.Should().Be(Wib(4, 24, 17), "unpaused: two full working weeks");
        var snapshot = clock.Evaluate(Calendar, Wib(4, 16, 12));
        snapshot.BreachDue.Should().Be(Wib(4, 28, 17), "two paused working days move the due by two working days");
        snapshot.Elapsed.Should().Be(TimeSpan.FromHours(9 + 4));
        snapshot.IsPaused.Should().BeFalse();
    }

    [Fact]
    public void Evaluate_PauseOutsideWorkingHours_ChangesNothing()
    {
        var start = Wib(4, 13, 8);
        var clock = new SlaClock(start, Complaint).Pause(Wib(4, 17, 17)).Resume(Wib(4, 20, 8));

        clock.Evaluate(Calendar, Wib(4, 21, 8)).BreachDue.Should().Be(Wib(4, 24, 17));
    }

    [Fact]
    public void Evaluate_WhilePaused_ElapsedFrozenAndUnreachedDuesUnknown()
    {
        var clock = new SlaClock(Wib(4, 13, 8), Complaint).Pause(Wib(4, 14, 8));

        var snapshot = clock.Evaluate(Calendar, Wib(4, 15, 12));

        snapshot.IsPaused.Should().BeTrue();
        snapshot.Elapsed.Should().Be(TimeSpan.FromHours(9));
        snapshot.FirstResponseDue.Should().Be(Wib(4, 13, 17), "reached before the pause");
        snapshot.WarningDue.Should().BeNull();
        snapshot.BreachDue.Should().BeNull();
    }

    [Fact]
    public void Evaluate_BeforeALaterPause_IgnoresIt()
    {
        var clock = new SlaClock(Wib(4, 13, 8), Complaint).Pause(Wib(4, 14, 8)).Resume(Wib(4, 16, 8));

        var snapshot = clock.Evaluate(Calendar, Wib(4, 13, 12));

        snapshot.BreachDue.Should().Be(Wib(4, 24, 17));
        snapshot.IsPaused.Should().BeFalse();
    }

    [Fact]
    public void Evaluate_PauseEndingAfterTheInstant_CountsAsStillOpen() =>
        new SlaClock(Wib(4, 13, 8), Complaint).Pause(Wib(4, 14, 8)).Resume(Wib(4, 16, 8))
            .Evaluate(Calendar, Wib(4, 15, 12)).IsPaused.Should().BeTrue();

    [Fact]
    public void Extend_Once_AddsTenWorkingDaysAndMovesTheWarning()
    {
        var clock = new SlaClock(Received, Complaint);
        clock.Evaluate(Calendar, Wib(4, 3, 12)).Status.Should().Be(SlaStatus.AtRisk);

        var extended = clock.Extend(Calendar, Wib(4, 1, 9), "Menunggu hasil investigasi tim terkait");

        var snapshot = extended.Evaluate(Calendar, Wib(4, 3, 12));
        snapshot.IsExtended.Should().BeTrue();
        snapshot.Target.Should().Be(TimeSpan.FromHours(180));
        snapshot.BreachDue.Should().Be(Wib(4, 22, 10), "the 20th working day after the 17th");
        snapshot.WarningDue.Should().Be(Wib(4, 15, 10), "75 % of 20 working days is 15");
        snapshot.Status.Should().Be(SlaStatus.OnTrack);
        extended.Extension.Should().Be(new SlaExtension(Wib(4, 1, 9), "Menunggu hasil investigasi tim terkait", SlaTarget.WorkingDays(10)));
    }

    [Fact]
    public void Extend_SecondTime_IsRefused()
    {
        var extended = new SlaClock(Received, Complaint).Extend(Calendar, Wib(4, 1, 9), "investigasi");

        extended.CheckExtension(Calendar, Wib(4, 2, 9), "lagi").Should().Be(SlaExtensionRefusal.AlreadyExtended);
        FluentActions.Invoking(() => extended.Extend(Calendar, Wib(4, 2, 9), "lagi"))
            .Should().Throw<SlaExtensionRefusedException>().WithMessage("*only one extension is allowed*")
            .Which.Refusal.Should().Be(SlaExtensionRefusal.AlreadyExtended);
    }

    [Fact]
    public void Extend_AfterTheTargetLapsed_IsRefused()
    {
        var clock = new SlaClock(Received, Complaint);

        clock.CheckExtension(Calendar, Wib(4, 8, 9, 59), "investigasi").Should().BeNull();
        clock.CheckExtension(Calendar, Wib(4, 8, 10), "investigasi").Should().Be(SlaExtensionRefusal.TargetLapsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Extend_WithoutReason_IsRefused(string reason) =>
        new SlaClock(Received, Complaint).CheckExtension(Calendar, Wib(4, 1, 9), reason).Should().Be(SlaExtensionRefusal.ReasonMissing);

    [Fact]
    public void Extend_PolicyWithoutExtension_IsRefused() =>
        new SlaClock(Received, Complaint with { Extension = null }).CheckExtension(Calendar, Wib(4, 1, 9), "x").Should().Be(SlaExtensionRefusal.NotExtendable);

    [Fact]
    public void Extend_BeforeStart_IsRefused() =>
        new SlaClock(Received, Complaint).CheckExtension(Calendar, Wib(3, 16, 9), "x").Should().Be(SlaExtensionRefusal.BeforeStart);

    [Fact]
    public void Evaluate_OtherWarningShare_UsesIt() =>
        new SlaClock(Received, Complaint with { WarningShare = 0.5m }).Evaluate(Calendar, Received).WarningDue.Should().Be(Wib(3, 31, 10), "45 h: 7 on the 17th, 4 × 9 on 25–30 Mar, 2 on the 31st");

    [Fact]
    public void PauseAndResume_OutOfOrder_Throw()
    {
        var clock = new SlaClock(Received, Complaint);

        FluentActions.Invoking(() => clock.Resume(Wib(3, 17, 11))).Should().Throw<InvalidOperationException>().WithMessage("*not paused*");
        FluentActions.Invoking(() => clock.Pause(Wib(3, 17, 9))).Should().Throw<InvalidOperationException>().WithMessage("*before*");
        var paused = clock.Pause(Wib(3, 17, 11));
        FluentActions.Invoking(() => paused.Pause(Wib(3, 17, 12))).Should().Throw<InvalidOperationException>().WithMessage("*already paused*");
        FluentActions.Invoking(() => paused.Resume(Wib(3, 17, 10, 30))).Should().Throw<InvalidOperationException>().WithMessage("*before the pause began*");
    }

    [Fact]
    public void Restore_JournaledFacts_EqualsTheClockBuiltStepByStep()
    {
        var built = new SlaClock(Received, Complaint).Pause(Wib(3, 17, 11)).Resume(Wib(3, 25, 9)).Extend(Calendar, Wib(3, 26, 9), "investigasi");

        var restored = SlaClock.Restore(Received, Complaint, [new SlaPause(Wib(3, 17, 11), Wib(3, 25, 9))], new SlaExtension(Wib(3, 26, 9), "investigasi", SlaTarget.WorkingDays(10)));

        restored.Should().Be(built);
        restored.Evaluate(Calendar, Wib(4, 1, 9)).Should().Be(built.Evaluate(Calendar, Wib(4, 1, 9)));
    }

    [Fact]
    public void Restore_OverlappingPauses_Throws() =>
        FluentActions.Invoking(() => SlaClock.Restore(Received, Complaint, [new SlaPause(Wib(3, 17, 11), Wib(3, 25, 9)), new SlaPause(Wib(3, 25, 8), null)], null))
            .Should().Throw<ArgumentException>().WithMessage("pause 1 starts at *before the previous pause ends*");
}
