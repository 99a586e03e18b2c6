namespace ContactCenter.Engine.Model;

/// <summary>
/// One thing wrong with a definition: where (source, element id, line) and what. Parsing and
/// validation report every problem they find, not only the first.
/// </summary>
public sealed record DefinitionProblem(string? Source, string? ElementId, int Line, string Message)
{
    /// <summary><c>live-chat.bpmn:42: Activity_0m2x7q1: ...</c>, the shape editors and CI logs link.</summary>
    public override string ToString()
    {
        var where = Source is null ? $"line {Line}" : $"{Source}:{Line}";
        return ElementId is null ? $"{where}: {Message}" : $"{where}: {ElementId}: {Message}";
    }
}

/// <summary>The outcome of parsing (and validating) one BPMN document.</summary>
public sealed record ParseResult(WorkflowDefinition? Definition, IReadOnlyList<DefinitionProblem> Problems)
{
    public bool IsValid => Definition is not null && Problems.Count == 0;
}
