using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Modules.Calendar;
using ContactCenter.Modules.Flows;

namespace ContactCenter.Modules.Quality;

/// <summary>The rules a ticket is scored on: SOP steps 12-19 (Tier 2 and the related team) and the complaint SLA.</summary>
public static class TicketScorecardRules
{
    public static ScorecardRule ReceivedAndIdentified { get; } = new(
        "ticket-received",
        "Ticket received and the problem identified by Tier 2",
        "§8.1 step 12 \"Tiem Tier 2 menerima tiket pengaduan yang harus di eskalasi\", step 13 \"Identifikasi permasalahan sesuai SLA yang berlaku\"; A15");

    public static ScorecardRule Decision { get; } = new(
        "ticket-decision",
        "Tier 2 decided whether the ticket needs the related team",
        "§8.1 step 14 \"Tiket pelaporan tersebut apakah perlu eskalasi ke tim terkait?\", 14a dispatch");

    public static ScorecardRule NoteBeforeClose { get; } = new(
        "ticket-note-before-close",
        "A note or memo of the result before the ticket is closed",
        "§8.1 step 15 \"Menambahkan note/memo dan menutup tiket pelaporan\"");

    public static ScorecardRule RelatedTeamNote { get; } = new(
        "related-team-note",
        "The related team's note/memo of its check, on a dispatched ticket",
        "§8.1 steps 16-19, step 19 \"Menambahkan note/memo hasil pengecekan\"; A21");

    public static ScorecardRule FirstResponseInSla { get; } = new(
        "first-response-sla",
        "First response (Tier 2 receives the ticket) within the SLA's first-response time",
        "§6.6 SLA; §8.1 step 13 \"sesuai SLA yang berlaku\"; sla-policies.json firstResponse; A17");

    public static ScorecardRule ResolutionInSla { get; } = new(
        "resolution-sla",
        "Ticket closed within the SLA's resolution time (with its extension, if granted)",
        "§6.6 SLA \"Kesepakatan waktu yang dibutuhkan dalam penyelesaian suatu keluhan\"; sla-policies.json resolution/extension; A17");

    public static IReadOnlyList<ScorecardRule> All { get; } = [ReceivedAndIdentified, Decision, NoteBeforeClose, RelatedTeamNote, FirstResponseInSla, ResolutionInSla];
}

/// <summary>
/// Scores one ticket against SOP steps 12-19: a pure function of its journal, the definition
/// versions it ran on, its SLA dues (from <see cref="Tickets.TicketSla"/>'s clock) and the instant
/// of the evaluation. Steps are found by their <c>cc:purpose</c>, as the conversation scorecard
/// finds its own; a rule about a step the ticket has not reached is NotApplicable, one whose time
/// has run out is Failed.
/// </summary>
public static class TicketScorecardEvaluator
{
    /// <summary>The note text a memo step or a note carries.</summary>
    public const string NoteField = "catatan";

    /// <summary>The kind of a note added beside the flow (<see cref="Tickets.TicketDesk.NoteKind"/>).</summary>
    public const string NoteKind = "note";

    private static readonly ElementSelector Received = ElementSelector.Purpose(StepPurposes.TicketReceived);
    private static readonly ElementSelector Identified = ElementSelector.Purpose(StepPurposes.Tier2Identification);
    private static readonly ElementSelector DecisionStep = ElementSelector.Purpose(StepPurposes.Tier2Decision);
    private static readonly ElementSelector Close = ElementSelector.Purpose(StepPurposes.TicketClose);
    private static readonly ElementSelector RelatedWork = ElementSelector.Purpose(StepPurposes.RelatedTeamWork);

    /// <param name="dues">The ticket's first-response and breach dues; null when no SLA policy covers it.</param>
    /// <param name="at">When the ticket is scored: a due that passed before it with nothing done fails.</param>
    public static Scorecard Evaluate(IReadOnlyList<WorkflowEvent> journal, DefinitionSet definitions, SlaDues? dues, DateTimeOffset at)
    {
        var j = new ConversationJournal(journal, definitions);
        var notes = journal.OfType<Annotated>().Where(a => a.Kind == NoteKind && a.Data.ContainsKey(NoteField)).ToList();
        var closed = j.DoneOf(Close).FirstOrDefault();
        RuleResult[] rules =
        [
            ReceivedAndIdentified(j),
            Decision(j),
            NoteBeforeClose(j, closed, notes),
            RelatedTeamNote(j, closed, notes),
            FirstResponse(j, dues, at),
            Resolution(j, closed, dues, at),
        ];
        return new Scorecard(j.Started.DefinitionKey, j.Started.DefinitionVersion, journal.Count, rules);
    }

    private static RuleResult ReceivedAndIdentified(ConversationJournal j)
    {
        var rule = TicketScorecardRules.ReceivedAndIdentified;
        var received = j.DoneOf(Received).FirstOrDefault();
        var identified = j.DoneOf(Identified).FirstOrDefault();
        if (received is not null && identified is not null)
        {
            return Result(rule, RuleOutcome.Passed, "Tier 2 received the ticket and identified the problem", [Done(received, "received"), Done(identified, "identified")]);
        }

        return j.End is null
            ? Result(rule, RuleOutcome.NotApplicable, "Tier 2 has not received and identified the ticket yet", [])
            : Result(rule, RuleOutcome.Failed, $"the ticket ended without being {(received is null ? "received" : "identified")} by Tier 2", [Ended(j)]);
    }

    private static RuleResult Decision(ConversationJournal j)
    {
        var rule = TicketScorecardRules.Decision;
        var decided = j.DoneOf(DecisionStep).FirstOrDefault();
        if (decided is not null)
        {
            return Result(rule, RuleOutcome.Passed, $"Tier 2 decided '{decided.Completed!.Outcome}'", [Done(decided, $"'{decided.Completed.Outcome}'")]);
        }

        return j.End is null
            ? Result(rule, RuleOutcome.NotApplicable, "Tier 2 has not decided yet", [])
            : Result(rule, RuleOutcome.Failed, "the ticket ended without Tier 2's decision", [Ended(j)]);
    }

    private static RuleResult NoteBeforeClose(ConversationJournal j, JournaledWorkItem? closed, List<Annotated> notes)
    {
        var rule = TicketScorecardRules.NoteBeforeClose;
        if (closed is null)
        {
            return j.End is null
                ? Result(rule, RuleOutcome.NotApplicable, "the ticket is not closed yet", [])
                : Result(rule, RuleOutcome.Failed, "the ticket ended without Tier 2's closing step", [Ended(j)]);
        }

        var memo = Text(closed.Completed!, NoteField);
        var before = notes.Where(n => n.Sequence < closed.Completed!.Sequence).ToList();
        if (memo is not null || before.Count > 0)
        {
            return Result(rule, RuleOutcome.Passed, memo is not null ? "closed with a memo of the result" : "a note was added before the close",
                [.. before.Select(Noted), Done(closed, memo is null ? "closed" : $"closed with memo \"{memo}\"")]);
        }

        return Result(rule, RuleOutcome.Failed, "closed without a note or memo", [Done(closed, "closed")]);
    }

    private static RuleResult RelatedTeamNote(ConversationJournal j, JournaledWorkItem? closed, List<Annotated> notes)
    {
        var rule = TicketScorecardRules.RelatedTeamNote;
        var work = j.ItemsOf(RelatedWork).ToList();
        if (work.Count == 0)
        {
            return Result(rule, RuleOutcome.NotApplicable, "the ticket was not dispatched to a related team", []);
        }

        var dispatchedAt = work.Min(w => w.Created.Sequence);
        var withNote = work.Where(w => w.Completed is { } c && Text(c, NoteField) is not null).OrderBy(w => w.DoneAt).FirstOrDefault();
        var teamNotes = notes.Where(n => n.Sequence > dispatchedAt && work.Any(w => w.Completed?.Actor is { } actor && actor == n.Actor)).ToList();
        if (withNote is not null || teamNotes.Count > 0)
        {
            return Result(rule, RuleOutcome.Passed, "the related team added its note/memo",
                [.. teamNotes.Select(Noted), .. withNote is null ? [] : new[] { Done(withNote, $"note \"{Text(withNote.Completed!, NoteField)}\"") }]);
        }

        return closed is null && j.End is null
            ? Result(rule, RuleOutcome.NotApplicable, "the related team has not finished yet", [])
            : Result(rule, RuleOutcome.Failed, "the ticket was closed without the related team's note", [closed is null ? Ended(j) : Done(closed, "closed")]);
    }

    private static RuleResult FirstResponse(ConversationJournal j, SlaDues? dues, DateTimeOffset at)
    {
        var rule = TicketScorecardRules.FirstResponseInSla;
        if (dues?.FirstResponse is not { } due)
        {
            return Result(rule, RuleOutcome.NotApplicable, dues is null ? "no SLA policy covers the ticket" : "the SLA clock is paused before the first-response due", []);
        }

        var received = j.DoneOf(Received).FirstOrDefault();
        if (received is not null)
        {
            var on = received.Completed!.At <= due;
            return Result(rule, on ? RuleOutcome.Passed : RuleOutcome.Failed, $"received {(on ? "by" : "after")} the first-response due {due:yyyy-MM-dd HH:mm} UTC", [Done(received, "received")]);
        }

        return at > due || j.End is not null
            ? Result(rule, RuleOutcome.Failed, $"not received by the first-response due {due:yyyy-MM-dd HH:mm} UTC", [])
            : Result(rule, RuleOutcome.NotApplicable, $"not received yet; due {due:yyyy-MM-dd HH:mm} UTC", []);
    }

    private static RuleResult Resolution(ConversationJournal j, JournaledWorkItem? closed, SlaDues? dues, DateTimeOffset at)
    {
        var rule = TicketScorecardRules.ResolutionInSla;
        if (dues?.Breach is not { } due)
        {
            return Result(rule, RuleOutcome.NotApplicable, dues is null ? "no SLA policy covers the ticket" : "the SLA clock is paused", []);
        }

        if (closed is not null)
        {
            var on = closed.Completed!.At <= due;
            return Result(rule, on ? RuleOutcome.Passed : RuleOutcome.Failed, $"closed {(on ? "by" : "after")} the resolution due {due:yyyy-MM-dd HH:mm} UTC", [Done(closed, "closed")]);
        }

        return at > due || j.End is not null
            ? Result(rule, RuleOutcome.Failed, $"not closed by the resolution due {due:yyyy-MM-dd HH:mm} UTC", [])
            : Result(rule, RuleOutcome.NotApplicable, $"not closed yet; due {due:yyyy-MM-dd HH:mm} UTC", []);
    }

    private static string? Text(WorkItemCompleted completed, string field) =>
        completed.Data.TryGetValue(field, out var v) && !v.IsNull && v.ToString().Trim() is { Length: > 0 } text ? text : null;

    private static RuleResult Result(ScorecardRule rule, RuleOutcome outcome, string summary, IReadOnlyList<ScorecardEvidence> evidence) =>
        new(rule, outcome, summary, [.. evidence.OrderBy(e => e.Sequence)]);

    private static ScorecardEvidence Done(JournaledWorkItem item, string what) =>
        new(item.Completed?.Sequence ?? item.Created.Sequence, item.Completed?.At ?? item.Created.At, $"{item.ElementId} (step {item.Created.Step ?? "-"}): {what}{(item.Completed?.Actor is { } actor ? $" by {actor}" : string.Empty)}");

    private static ScorecardEvidence Noted(Annotated note) =>
        new(note.Sequence, note.At, $"note by {note.Actor ?? "-"}: \"{note.Data[NoteField]}\"");

    private static ScorecardEvidence Ended(ConversationJournal j) => j.End switch
    {
        InstanceCompleted e => new(e.Sequence, e.At, "ticket completed"),
        InstanceCancelled e => new(e.Sequence, e.At, $"ticket cancelled: {e.Reason}"),
        InstanceFaulted e => new(e.Sequence, e.At, $"ticket faulted: {e.Reason}"),
        _ => new(j.Last.Sequence, j.Last.At, "last event so far"),
    };
}
