using ContactCenter.Engine.Model;

namespace ContactCenter.Runtime.Definitions;

/// <summary>
/// A check on a parsed, valid definition beyond the engine's own: what a module needs a flow to
/// declare (the ticket desk needs the ticket flow's decision). The catalogue runs every
/// registered check when a draft is created or checked and when files are imported; the CLI's
/// <c>validate</c> runs them too.
/// </summary>
public interface IDefinitionCheck
{
    /// <summary>Every problem, with element and line like the parser's.</summary>
    IEnumerable<DefinitionProblem> Check(WorkflowDefinition definition);
}
