using System.Globalization;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;
using ContactCenter.Modules.Greetings;
using NodaTime;

namespace ContactCenter.Modules.Quality;

/// <summary>
/// Scores one conversation against the SOP: a pure function of its journal, the definition
/// versions it ran on and the greeting rules. Every rule finds its steps through
/// <see cref="ScorecardOptions"/> (element ids, names, <c>cc:step</c>, service kinds) in the
/// definitions, never by sample, and cites the journal sequence numbers it read.
/// </summary>
/// <remarks>
/// The journal is read, not replayed: a hand-edited or unfinished history still gets a
/// scorecard (<see cref="Instances.InstanceReplayer"/> is what says whether it can be trusted).
/// A rule about something the conversation has not reached yet is <see cref="RuleOutcome.NotApplicable"/>.
/// </remarks>
public sealed class ScorecardEvaluator(Greeter greeter, ScorecardOptions? options = null)
{
    public ScorecardOptions Options { get; } = options ?? new ScorecardOptions();

    /// <exception cref="ArgumentException">The journal does not begin with instance-started@1, or its definition is not in <paramref name="definitions"/>.</exception>
    public Scorecard Evaluate(IReadOnlyList<WorkflowEvent> journal, DefinitionSet definitions)
    {
        var j = new ConversationJournal(journal, definitions);
        var silence = Silence(j);
        RuleResult[] rules =
        [
            OpeningGreeting(j),
            DataVerified(j),
            NeedIdentified(j, silence),
            ComplaintTicket(j),
            MoreHelpAsked(j, silence),
            CrossSelling(j, silence),
            ClosingGreeting(j, silence),
            silence.Prompts,
            silence.Close,
            Documentation(j),
        ];
        return new Scorecard(j.Started.DefinitionKey, j.Started.DefinitionVersion, journal.Count, rules);
    }

    private RuleResult OpeningGreeting(ConversationJournal j)
    {
        var rule = ScorecardRules.OpeningGreeting;
        if (!Options.OpeningGreeting.AnyIn(j.Root))
        {
            return NotInFlow(rule, j, Options.OpeningGreeting);
        }

        var greeting = j.DoneOf(Options.OpeningGreeting).FirstOrDefault();
        var firstDone = j.WorkItems.Where(w => w.DefinitionKey == j.Root.Key && w.Completed is not null).MinBy(w => w.DoneAt);
        if (greeting is null)
        {
            return firstDone is null && j.End is null
                ? Result(rule, RuleOutcome.NotApplicable, "the conversation has not got past its opening yet", [])
                : Result(rule, RuleOutcome.Failed, "no opening greeting was given", firstDone is null ? [Ended(j)] : [Done(firstDone, "done without an opening greeting before it")]);
        }

        List<ScorecardEvidence> evidence = [Shown(greeting), Done(greeting, "opening greeting given")];
        if (firstDone is not null && firstDone != greeting)
        {
            evidence.Insert(0, Done(firstDone, "done before the opening greeting"));
            return Result(rule, RuleOutcome.Failed, $"'{firstDone.Created.Name}' was done before the opening greeting", evidence);
        }

        return Result(rule, RuleOutcome.Passed, "the opening greeting was the agent's first step", evidence);
    }

    private RuleResult DataVerified(ConversationJournal j)
    {
        var rule = ScorecardRules.DataVerified;
        if (!Options.Verification.AnyIn(j.Root))
        {
            return NotInFlow(rule, j, Options.Verification);
        }

        if (!Options.Solution.AnyIn(j.Root))
        {
            return NotInFlow(rule, j, Options.Solution);
        }

        var solution = j.DoneOf(Options.Solution).FirstOrDefault();
        if (solution is null)
        {
            return Result(rule, RuleOutcome.NotApplicable, "no solution was given", []);
        }

        var verification = j.DoneOf(Options.Verification).FirstOrDefault(v => v.DoneAt < solution.DoneAt);
        return verification is null
            ? Result(rule, RuleOutcome.Failed, "a solution was given with no data verification before it", [Done(solution, "first solution, not preceded by a verification")])
            : Result(rule, RuleOutcome.Passed, "the customer's data was verified before the first solution", [Done(verification, "data verified"), Done(solution, "first solution")]);
    }

    private RuleResult NeedIdentified(ConversationJournal j, SilenceResults silence)
    {
        var rule = ScorecardRules.NeedIdentified;
        if (!Options.NeedIdentification.AnyIn(j.Root))
        {
            return NotInFlow(rule, j, Options.NeedIdentification);
        }

        var needs = j.DoneOf(Options.NeedIdentification);
        var solutions = j.DoneOf(Options.Solution);
        if (solutions.Count == 0)
        {
            if (needs.Count > 0)
            {
                return Result(rule, RuleOutcome.Passed, "the need was identified", [.. needs.Select(n => Done(n, "need identified"))]);
            }

            return j.IsCompleted && silence.CustomerGone is null
                ? Result(rule, RuleOutcome.Failed, "the conversation ended without the customer's need identified", [Ended(j)])
                : Result(rule, RuleOutcome.NotApplicable, silence.CustomerGone is null ? "the conversation has not reached the need yet" : "the customer left before stating a need", []);
        }

        var evidence = new List<ScorecardEvidence>();
        var failed = 0;
        var previous = 0L;
        foreach (var solution in solutions)
        {
            // A step that does both (outlet reservation's "Identifikasi kebutuhan dan memberikan solusi") counts for itself.
            var need = needs.FirstOrDefault(n => n.DoneAt > previous && n.DoneAt <= solution.DoneAt);
            if (need is null)
            {
                failed++;
                evidence.Add(Done(solution, "solution with no need identified since the previous solution"));
            }
            else
            {
                evidence.Add(Done(need, "need identified"));
                evidence.Add(Done(solution, "solution"));
            }

            previous = solution.DoneAt;
        }

        return failed == 0
            ? Result(rule, RuleOutcome.Passed, $"every solution ({solutions.Count}) followed an identification of the need", evidence)
            : Result(rule, RuleOutcome.Failed, $"{failed} of {solutions.Count} solution(s) without the need identified first", evidence);
    }

    private RuleResult ComplaintTicket(ConversationJournal j)
    {
        var rule = ScorecardRules.ComplaintTicket;
        // The complaint outcome is read from the flow: an agent-decided gateway's outgoing flow that leads to a ticket-opening service task.
        var decisions = j.Root.Nodes.Values.OfType<ExclusiveGateway>().Where(g => g.IsDecidedByAgent)
            .SelectMany(g => g.Outgoing.Where(f => f.Target is TaskNode { ServiceKind: { } kind } && Options.TicketServiceKinds.Contains(kind, StringComparer.Ordinal))
                .Select(f => (Gateway: g.Id, Outcome: f.Name?.Trim() ?? string.Empty)))
            .ToList();
        if (decisions.Count == 0)
        {
            return Result(rule, RuleOutcome.NotApplicable, $"the flow '{j.Root.Key}' has no decision that opens a ticket ({string.Join(", ", Options.TicketServiceKinds)})", []);
        }

        var asked = j.WorkItems.Where(w => w.DefinitionKey == j.Root.Key && w.Completed is not null && decisions.Any(d => d.Gateway == w.ElementId)).OrderBy(w => w.DoneAt).ToList();
        var complaints = asked.Where(w => decisions.Any(d => d.Gateway == w.ElementId && d.Outcome == w.Completed!.Outcome?.Trim())).ToList();
        if (complaints.Count == 0)
        {
            return Result(rule, RuleOutcome.NotApplicable, asked.Count == 0 ? "no complaint decision was taken" : "no complaint: the ticket outcome was not chosen", [.. asked.Select(a => Done(a, $"decided '{a.Completed!.Outcome}'"))]);
        }

        var evidence = new List<ScorecardEvidence>();
        var missing = 0;
        for (var i = 0; i < complaints.Count; i++)
        {
            var choice = complaints[i];
            var until = i + 1 < complaints.Count ? complaints[i + 1].DoneAt : long.MaxValue;
            var ticket = j.Services.FirstOrDefault(s => s.Sequence > choice.DoneAt && s.Sequence < until && Options.TicketServiceKinds.Contains(s.ServiceKind, StringComparer.Ordinal));
            evidence.Add(Done(choice, $"complaint: decided '{choice.Completed!.Outcome}'"));
            if (ticket is null)
            {
                missing++;
            }
            else
            {
                evidence.Add(new ScorecardEvidence(ticket.Sequence, ticket.At, $"service '{ticket.ServiceKind}' invoked at {ticket.ElementId}{Describe(ticket.Data)}"));
            }
        }

        return missing == 0
            ? Result(rule, RuleOutcome.Passed, $"every complaint ({complaints.Count}) became a ticket", evidence)
            : Result(rule, RuleOutcome.Failed, $"{missing} of {complaints.Count} complaint(s) with no ticket opened", evidence);
    }

    private RuleResult MoreHelpAsked(ConversationJournal j, SilenceResults silence)
    {
        var rule = ScorecardRules.MoreHelpAsked;
        if (!Options.MoreHelp.AnyIn(j.Root))
        {
            return NotInFlow(rule, j, Options.MoreHelp);
        }

        if (!Options.ClosingGreeting.AnyIn(j.Root))
        {
            return NotInFlow(rule, j, Options.ClosingGreeting);
        }

        var closings = j.DoneOf(Options.ClosingGreeting);
        if (closings.Count == 0)
        {
            return Result(rule, RuleOutcome.NotApplicable, NoClosingReason(j, silence), []);
        }

        var asks = j.DoneOf(Options.MoreHelp);
        var evidence = new List<ScorecardEvidence>();
        var failed = 0;
        var previous = 0L;
        foreach (var closing in closings)
        {
            var ask = asks.LastOrDefault(a => a.DoneAt > previous && a.DoneAt < closing.DoneAt);
            if (ask is null)
            {
                failed++;
                evidence.Add(Done(closing, "closing with no \"Butuh bantuan lain?\" since the previous closing"));
            }
            else
            {
                evidence.Add(Done(ask, $"\"{ask.Created.Name}\" asked: '{ask.Completed!.Outcome}'"));
                evidence.Add(Done(closing, "closing"));
            }

            previous = closing.DoneAt;
        }

        return failed == 0
            ? Result(rule, RuleOutcome.Passed, $"\"Butuh bantuan lain?\" was asked before every closing ({closings.Count})", evidence)
            : Result(rule, RuleOutcome.Failed, $"{failed} of {closings.Count} closing(s) without \"Butuh bantuan lain?\" first", evidence);
    }

    private RuleResult CrossSelling(ConversationJournal j, SilenceResults silence)
    {
        var rule = ScorecardRules.CrossSelling;
        if (!Options.CrossSelling.AnyIn(j.Root))
        {
            return NotInFlow(rule, j, Options.CrossSelling);
        }

        var offers = j.DoneOf(Options.CrossSelling);
        if (offers.Count > 0)
        {
            return Result(rule, RuleOutcome.Passed, "cross selling was offered", [.. offers.Select(c => Done(c, $"'{c.Created.Name}' done"))]);
        }

        var closings = j.DoneOf(Options.ClosingGreeting);
        if (closings.Count > 0 || (j.IsCompleted && silence.CustomerGone is null))
        {
            return Result(rule, RuleOutcome.Failed, "the conversation closed without cross selling", closings.Count > 0 ? [.. closings.Select(c => Done(c, "closing, no cross selling before it"))] : [Ended(j)]);
        }

        return Result(rule, RuleOutcome.NotApplicable, NoClosingReason(j, silence), []);
    }

    private RuleResult ClosingGreeting(ConversationJournal j, SilenceResults silence)
    {
        var rule = ScorecardRules.ClosingGreeting;
        if (!Options.ClosingGreeting.AnyIn(j.Root))
        {
            return NotInFlow(rule, j, Options.ClosingGreeting);
        }

        var closings = j.DoneOf(Options.ClosingGreeting);
        if (closings.Count == 0)
        {
            return j.IsCompleted && silence.CustomerGone is null
                ? Result(rule, RuleOutcome.Failed, "the conversation ended without a closing greeting", [Ended(j)])
                : Result(rule, RuleOutcome.NotApplicable, NoClosingReason(j, silence), silence.CustomerGone is { } gone ? [gone] : []);
        }

        var evidence = new List<ScorecardEvidence>();
        var wrong = 0;
        foreach (var closing in closings)
        {
            // The instant of the closing step is when the agent did it, and what they read is the script
            // on their screen then: rendered again each minute, journaled at completion when it was no
            // longer the text the step opened with (a step opened at 17:59 and done at 18:01).
            var done = closing.Completed!;
            var expected = greeter.Closing(done.At);
            var kind = greeter.ClosingKind(done.At);
            var variable = j.VariableBefore(Options.ClosingGreetingVariable, done.Sequence);
            var said = closing.ScriptAtCompletion ?? (variable is { Value.Kind: ValueKind.String } v ? v.Value.AsString : null);
            var right = said is not null && said.Contains(expected, StringComparison.Ordinal);
            if (!right)
            {
                wrong++;
            }

            evidence.Add(Shown(closing));
            if (closing.ShownAtCompletion is { } shownAtCompletion)
            {
                evidence.Add(new ScorecardEvidence(shownAtCompletion.Sequence, shownAtCompletion.At, $"script on the screen when done: \"{closing.ScriptAtCompletion}\""));
            }
            if (variable is { } set)
            {
                evidence.Add(new ScorecardEvidence(set.Sequence, set.At, $"{Options.ClosingGreetingVariable} = {set.Value} ({set.Source})"));
            }

            evidence.Add(new ScorecardEvidence(done.Sequence, done.At, $"closing greeting done {Local(done.At)}: the SOP's greeting then is \"{expected}\" ({kind}); {(right ? "the script says it" : said is null ? "no script was shown" : "the script does not say it")}"));
        }

        return wrong == 0
            ? Result(rule, RuleOutcome.Passed, $"the closing greeting was right for the time and day ({closings.Count} closing(s))", evidence)
            : Result(rule, RuleOutcome.Failed, $"{wrong} of {closings.Count} closing greeting(s) wrong for the time and day", evidence);
    }

    private RuleResult Documentation(ConversationJournal j)
    {
        var rule = ScorecardRules.Documentation;
        if (!Options.Documentation.AnyIn(j.Root))
        {
            return NotInFlow(rule, j, Options.Documentation);
        }

        var done = j.DoneOf(Options.Documentation);
        if (done.Count > 0)
        {
            return Result(rule, RuleOutcome.Passed, "documentation in the Omni Channel application was done", [.. done.Select(d => Done(d, $"'{d.Created.Name}' done"))]);
        }

        if (j.End is null)
        {
            return Result(rule, RuleOutcome.NotApplicable, "the conversation has not reached documentation yet", []);
        }

        var evidence = j.ItemsOf(Options.Documentation).Select(d => new ScorecardEvidence(d.Created.Sequence, d.Created.At, $"'{d.Created.Name}' opened{(d.Cancelled is { } c ? $", cancelled at sequence {c.Sequence}" : ", never done")}")).ToList();
        evidence.Add(Ended(j));
        return Result(rule, RuleOutcome.Failed, "the conversation ended without documentation", evidence);
    }

    /// <summary>Both ladder rules, from one walk over the waits for the customer.</summary>
    private sealed record SilenceResults(RuleResult Prompts, RuleResult Close, ScorecardEvidence? CustomerGone);

    /// <summary>A rung asked: by the agent (the step's completion, A24) or by a send task of the same purpose.</summary>
    private sealed record Asked(long Sequence, DateTimeOffset At, string? Step, string Text, string? Actor);

    private static readonly NodeKind[] PromptKinds = [NodeKind.SendTask, NodeKind.UserTask, NodeKind.ManualTask];

    /// <summary>The rung of <paramref name="purpose"/> in scope <paramref name="scopeId"/>: when it was asked and with what text; null when it was not.</summary>
    private static Asked? AskedIn(ConversationJournal j, long scopeId, string purpose)
    {
        var sent = j.Prompts.FirstOrDefault(p => p.ScopeId == scopeId && p.Node is { } node && node.HasPurpose(purpose)).Prompt;
        if (sent is not null)
        {
            return new Asked(sent.Sequence, sent.At, sent.Step, sent.Text, null);
        }

        var done = j.WorkItems.FirstOrDefault(w => w.ScopeId == scopeId && w.Completed is not null && w.Node is { } node && node.HasPurpose(purpose));
        return done is null ? null : new Asked(done.Completed!.Sequence, done.Completed.At, done.Node?.Step, done.ScriptAtCompletion ?? done.Created.Name ?? done.ElementId, done.Completed.Actor);
    }

    private SilenceResults Silence(ConversationJournal j)
    {
        var o = Options;
        var ladders = j.Definitions.Definitions.Where(d => d.Nodes.Values.Any(n => PromptKinds.Contains(n.Kind) && o.PromptPurposes.Any(n.HasPurpose))).Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        var applies = ladders.Contains(j.Root.Key) || j.Root.Nodes.Values.OfType<CallActivity>().Any(c => ladders.Contains(c.CalledKey));
        if (!applies)
        {
            var reason = $"the flow '{j.Root.Key}' has no \"masih terhubung?\" ladder (cc:purpose {string.Join(", ", o.PromptPurposes)}): email and voice have none (A11)";
            return new SilenceResults(Result(ScorecardRules.StillConnectedPrompts, RuleOutcome.NotApplicable, reason, []), Result(ScorecardRules.SilenceClose, RuleOutcome.NotApplicable, reason, []), null);
        }

        var prompts = new List<ScorecardEvidence>();
        var closes = new List<ScorecardEvidence>();
        var waits = new List<ScorecardEvidence>();
        int promptsFailed = 0, promptsChecked = 0, closesFailed = 0, closesChecked = 0;
        ScorecardEvidence? gone = null;
        foreach (var scope in j.Scopes.Values.Where(s => ladders.Contains(s.Started.DefinitionKey)).OrderBy(s => s.Started.Sequence))
        {
            var start = scope.Started;
            var id = start.ScopeId;
            var horizon = scope.Completed?.At ?? j.Last.At;
            var closing = j.Entries.FirstOrDefault(e => e.Entered.ScopeId == id && e.Node is { } node && node.HasPurpose(o.ClosePurpose));
            var close = closing.Entered;
            waits.Add(new ScorecardEvidence(start.Sequence, start.At, $"waiting for the customer ({start.DefinitionKey})"));

            // 2c: the customer ended the chat. The step opened at that moment is due at once; the
            // silence ladder stops counting there (what was due before still counts).
            var ended = j.WorkItems.FirstOrDefault(w => w.ScopeId == id && w.Node is { } n && n.HasPurpose(o.PromptEndedPurpose));
            var previous = start.At;
            var allPrompted = true;
            foreach (var purpose in o.PromptPurposes)
            {
                var due = previous + o.SilenceInterval;
                var asked = AskedIn(j, id, purpose);
                var step = asked?.Step ?? LadderStep(j, start.DefinitionKey, purpose);
                if (asked is not null)
                {
                    promptsChecked++;
                    var ok = Within(asked.At, due);
                    promptsFailed += ok ? 0 : 1;
                    prompts.Add(new ScorecardEvidence(asked.Sequence, asked.At, $"{step} \"{asked.Text}\" {(asked.Actor is { } by ? $"asked by {by}" : "sent")} {Offset(asked.At - start.At)} into the wait begun at sequence {start.Sequence}; due {Offset(due - start.At)} ±{Seconds(o.Tolerance)}{(ok ? string.Empty : $": {Seconds(asked.At - due)} off")}"));
                    previous = asked.At;
                    continue;
                }

                allPrompted = false;
                var silentUntil = ended?.Created.At ?? close?.At ?? horizon;
                if (silentUntil > due + o.Tolerance)
                {
                    promptsChecked++;
                    promptsFailed++;
                    var at = close ?? (WorkflowEvent?)scope.Completed ?? j.Last;
                    prompts.Add(new ScorecardEvidence(at.Sequence, at.At, $"no {step} question, though the customer was silent {Offset(silentUntil - previous)} (from {Offset(previous - start.At)} to {Offset(silentUntil - start.At)} of the wait begun at sequence {start.Sequence}); due {Offset(due - start.At)}"));
                }

                break;
            }

            if (ended is not null)
            {
                // §8.5 2c: asked at once, then the agent MAY close after a silent minute: a close is
                // judged only for coming too early, and an open chat is not a failure.
                var endedAt = ended.Created.At;
                var step = ended.Node?.Step ?? o.PromptEndedPurpose;
                var asked2c = AskedIn(j, id, o.PromptEndedPurpose);
                if (asked2c is not null || horizon > endedAt + o.Tolerance)
                {
                    promptsChecked++;
                    var ok = asked2c is not null && Within(asked2c.At, endedAt);
                    promptsFailed += ok ? 0 : 1;
                    prompts.Add(asked2c is null
                        ? new ScorecardEvidence(ended.Created.Sequence, endedAt, $"{step}: the customer ended the chat {Offset(endedAt - start.At)} into the wait begun at sequence {start.Sequence}; the question was never asked")
                        : new ScorecardEvidence(asked2c.Sequence, asked2c.At, $"{step} \"{asked2c.Text}\" {(asked2c.Actor is { } by ? $"asked by {by}" : "sent")} {Seconds(asked2c.At - endedAt)} after the customer ended the chat; due at once ±{Seconds(o.Tolerance)}{(ok ? string.Empty : ": late")}"));
                }

                if (close is not null)
                {
                    closesChecked++;
                    var earliest = (asked2c?.At ?? endedAt) + o.SilenceInterval;
                    var ok = close.At >= earliest - o.Tolerance;
                    closesFailed += ok ? 0 : 1;
                    gone ??= new ScorecardEvidence(close.Sequence, close.At, $"{step}: the customer ended the chat and did not answer; the chat was closed");
                    closes.Add(new ScorecardEvidence(close.Sequence, close.At, $"{step} chat closed {Offset(close.At - endedAt)} after the customer ended it; the agent may close from {Offset(earliest - endedAt)}{(ok ? string.Empty : $": {Seconds(earliest - close.At)} too early")}"));
                }

                continue;
            }

            var closeDue = previous + o.SilenceInterval;
            if (close is not null)
            {
                closesChecked++;
                var ok = allPrompted && Within(close.At, closeDue);
                closesFailed += ok ? 0 : 1;
                gone ??= new ScorecardEvidence(close.Sequence, close.At, $"{closing.Node?.Step ?? o.ClosePurpose}: the customer did not answer; the chat was closed");
                closes.Add(new ScorecardEvidence(close.Sequence, close.At, $"{closing.Node?.Step ?? o.ClosePurpose} chat closed {Offset(close.At - start.At)} into the wait begun at sequence {start.Sequence}; due {Offset(closeDue - start.At)} ±{Seconds(o.Tolerance)}{(allPrompted ? string.Empty : ", without every question before it")}{(ok || !allPrompted ? string.Empty : $": {Seconds(close.At - closeDue)} off")}"));
            }
            else if (allPrompted && horizon > closeDue + o.Tolerance)
            {
                closesChecked++;
                closesFailed++;
                var at = (WorkflowEvent?)scope.Completed ?? j.Last;
                closes.Add(new ScorecardEvidence(at.Sequence, at.At, $"not closed at {Offset(closeDue - start.At)} of the wait begun at sequence {start.Sequence}: still waiting at {Offset(horizon - start.At)}"));
            }
        }

        var tolerance = $"±{Seconds(o.Tolerance)}";
        var promptRule = promptsChecked == 0
            ? Result(ScorecardRules.StillConnectedPrompts, RuleOutcome.NotApplicable, $"{waits.Count} wait(s) for the customer, none silent for {Offset(o.SilenceInterval)}: no prompt was due", waits)
            : promptsFailed == 0
                ? Result(ScorecardRules.StillConnectedPrompts, RuleOutcome.Passed, $"every due question ({promptsChecked}) was asked at the SOP's time {tolerance}", prompts)
                : Result(ScorecardRules.StillConnectedPrompts, RuleOutcome.Failed, $"{promptsFailed} of {promptsChecked} due question(s) missing or off the SOP's time {tolerance}", prompts);
        var closeRule = closesChecked == 0
            ? Result(ScorecardRules.SilenceClose, RuleOutcome.NotApplicable, $"{waits.Count} wait(s) for the customer, none silent to the close", waits)
            : closesFailed == 0
                ? Result(ScorecardRules.SilenceClose, RuleOutcome.Passed, $"the silent chat was closed at the SOP's time {tolerance}", closes)
                : Result(ScorecardRules.SilenceClose, RuleOutcome.Failed, $"{closesFailed} of {closesChecked} silent wait(s) not closed at the SOP's time {tolerance}", closes);
        return new SilenceResults(promptRule, closeRule, gone);
    }

    /// <summary>How evidence names a rung: its SOP step number in the ladder's flow (<c>2a</c>), else its purpose.</summary>
    private static string LadderStep(ConversationJournal j, string ladderKey, string purpose) =>
        (j.Definitions.TryGet(ladderKey, out var ladder, out _) ? ladder?.NodesWithPurpose(purpose).FirstOrDefault()?.Step : null) ?? purpose;

    private bool Within(DateTimeOffset at, DateTimeOffset due) => (at - due).Duration() <= Options.Tolerance;

    private static string NoClosingReason(ConversationJournal j, SilenceResults silence) =>
        silence.CustomerGone is not null ? "the customer left (closed for silence): no closing to a customer who is gone (A9)"
        : j.End is null ? "the conversation has not reached its closing yet"
        : "the conversation ended before its closing";

    private static RuleResult NotInFlow(ScorecardRule rule, ConversationJournal j, ElementSelector selector) =>
        Result(rule, RuleOutcome.NotApplicable, $"the flow '{j.Root.Key}' has no such step ({selector})", []);

    private static RuleResult Result(ScorecardRule rule, RuleOutcome outcome, string summary, IReadOnlyList<ScorecardEvidence> evidence) =>
        new(rule, outcome, summary, [.. evidence.OrderBy(e => e.Sequence)]);

    private static ScorecardEvidence Shown(JournaledWorkItem item) =>
        new(item.Created.Sequence, item.Created.At, item.Created.Script is { } script ? $"'{item.Created.Name}' opened, script: \"{script}\"" : $"'{item.Created.Name}' opened");

    private static ScorecardEvidence Done(JournaledWorkItem item, string what) =>
        new(item.Completed?.Sequence ?? item.Created.Sequence, item.Completed?.At ?? item.Created.At, $"{item.ElementId}: {what}{(item.Completed?.Actor is { } actor ? $" by {actor}" : string.Empty)}");

    private static ScorecardEvidence Ended(ConversationJournal j) => j.End switch
    {
        InstanceCompleted e => new(e.Sequence, e.At, "conversation completed"),
        InstanceCancelled e => new(e.Sequence, e.At, $"conversation cancelled: {e.Reason}"),
        InstanceFaulted e => new(e.Sequence, e.At, $"conversation faulted: {e.Reason}"),
        _ => new(j.Last.Sequence, j.Last.At, "last event so far"),
    };

    private static string Describe(System.Collections.Immutable.ImmutableSortedDictionary<string, Value> data) =>
        data.Count == 0 ? string.Empty : " (" + string.Join(", ", data.Select(kv => $"{kv.Key} = {kv.Value}")) + ")";

    private string Local(DateTimeOffset at) =>
        Instant.FromDateTimeOffset(at).InZone(greeter.Zone).LocalDateTime.ToString("ddd yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + greeter.Zone.Id;

    private static string Offset(TimeSpan span) =>
        (span < TimeSpan.Zero ? "-" : "+") + ((int)span.Duration().TotalMinutes).ToString(CultureInfo.InvariantCulture) + ":" + span.Duration().Seconds.ToString("00", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
