using ContactCenter.Engine.Model;
using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Parsing;

/// <summary>The shipped definitions under workflows/ parse and validate together without a single problem.</summary>
public partial class BpmnParserTests
{
    [Fact]
    public void Parse_EveryWorkflowFile_HasNoProblemsAndTheSetResolves()
    {
        Directory.Exists(RepoPaths.Workflows).Should().BeTrue($"{RepoPaths.Workflows} holds the shipped definitions");
        var files = Directory.EnumerateFiles(RepoPaths.Workflows, "*.bpmn").Order(StringComparer.Ordinal).ToList();
        files.Should().NotBeEmpty("workflows/ must hold the SOP definitions");

        var problems = new List<DefinitionProblem>();
        var definitions = new List<WorkflowDefinition>();
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            var result = BpmnParser.Parse(stream, Path.GetFileName(file));
            problems.AddRange(result.Problems);
            if (result.Definition is not null)
            {
                definitions.Add(result.Definition);
                result.Definition.Key.Should().Be(Path.GetFileNameWithoutExtension(file), "a file is named after its definition key");
            }
        }

        problems.AddRange(DefinitionValidator.ValidateSet(definitions));

        problems.Select(p => p.ToString()).Should().BeEmpty();
    }
}
