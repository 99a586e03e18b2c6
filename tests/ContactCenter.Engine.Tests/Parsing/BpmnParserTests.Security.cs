using System.Text;
using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Parsing;

/// <summary>Hostile input: DTDs, entities, size, element count and depth limits, malformed XML.</summary>
public partial class BpmnParserTests
{
    private static readonly string Minimal = Bpmn.Process(Bpmn.Chain("S", "E") + """
        <bpmn:startEvent id="S" />
        <bpmn:endEvent id="E" />
        """);

    [Fact]
    public void Parse_MinimalProcess_IsValid()
    {
        var result = BpmnParser.Parse(Minimal, "min.bpmn");

        result.Problems.Should().BeEmpty();
        result.IsValid.Should().BeTrue();
        result.Definition!.Key.Should().Be("p");
        result.Definition.SourceName.Should().Be("min.bpmn");
    }

    [Fact]
    public void Parse_InlineDtd_IsRefusedWithDtdMessage()
    {
        var xml = Minimal.Replace("<bpmn:definitions", "<!DOCTYPE definitions [ <!ENTITY who \"x\"> ]>\n<bpmn:definitions", StringComparison.Ordinal);

        var result = BpmnParser.Parse(xml, "dtd.bpmn");

        result.Definition.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Message.Should().Contain("DTD");
        result.Problems[0].Line.Should().Be(Bpmn.LineOf(xml, "<!DOCTYPE"));
        result.Problems[0].Source.Should().Be("dtd.bpmn");
    }

    [Fact]
    public void Parse_ExternalEntityToEtcPasswd_IsRefusedAndNothingIsRead()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE definitions [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
              <bpmn:process id="p" name="&xxe;" isExecutable="true">
                <bpmn:documentation>&xxe;</bpmn:documentation>
                <bpmn:startEvent id="S" />
                <bpmn:sequenceFlow id="f" sourceRef="S" targetRef="E" />
                <bpmn:endEvent id="E" />
              </bpmn:process>
            </bpmn:definitions>
            """;

        var result = BpmnParser.Parse(xml, "xxe.bpmn");

        result.Definition.Should().BeNull();
        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.Message.Should().Contain("DTD");
        problem.Message.Should().NotContain("root:", "the entity must never be resolved");
        problem.Line.Should().Be(2);
    }

    [Fact]
    public void Parse_BillionLaughs_IsRefusedWithoutExpansion()
    {
        var sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for (var i = 1; i <= 9; i++)
        {
            sb.Append($" <!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat(i == 1 ? "&lol;" : $"&lol{i - 1};", 10))}\">\n");
        }

        sb.Append("]>\n<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><bpmn:process id=\"p\" name=\"&lol9;\" isExecutable=\"true\" /></bpmn:definitions>\n");

        var result = BpmnParser.Parse(sb.ToString());

        result.Definition.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Message.Should().Contain("DTD");
    }

    [Fact]
    public void Parse_InputOverFourMebibytes_IsRefusedBeforeParsing()
    {
        var xml = Minimal.Replace("</bpmn:definitions>", "<!--" + new string('x', 4 * 1024 * 1024) + "--></bpmn:definitions>", StringComparison.Ordinal);

        var result = BpmnParser.Parse(xml, "big.bpmn");

        result.Definition.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Message.Should().Contain("larger than the limit of 4194304 characters");
    }

    [Fact]
    public void Parse_StreamOverFourMebibytes_IsRefused()
    {
        var xml = Minimal.Replace("</bpmn:definitions>", "<!--" + new string('x', 4 * 1024 * 1024) + "--></bpmn:definitions>", StringComparison.Ordinal);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));

        var result = BpmnParser.Parse(stream, "big.bpmn");

        result.Definition.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Message.Should().Contain("larger than the limit");
    }

    [Fact]
    public void Parse_StreamWithinLimit_Parses()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Minimal));

        var result = BpmnParser.Parse(stream, "min.bpmn");

        result.Problems.Should().BeEmpty();
        result.Definition!.Key.Should().Be("p");
    }

    [Fact]
    public void Parse_InputOverConfiguredCharacterLimit_IsRefused()
    {
        var options = new BpmnParserOptions { MaxCharacters = Minimal.Length - 1 };

        BpmnParser.Parse(Minimal, options: options).Problems.Should().ContainSingle()
            .Which.Message.Should().Contain($"larger than the limit of {Minimal.Length - 1} characters");
        BpmnParser.Parse(Minimal, options: options with { MaxCharacters = Minimal.Length }).Problems.Should().BeEmpty();
    }

    [Fact]
    public void Parse_MoreElementsThanTheDefaultLimit_IsRefusedWithLine()
    {
        // 100,001 tiny elements, well under the size limit.
        var filler = string.Concat(Enumerable.Repeat("<x/>", 100_001));
        var xml = Minimal.Replace("<bpmn:startEvent id=\"S\" />", $"<bpmn:documentation>\n{filler}</bpmn:documentation><bpmn:startEvent id=\"S\" />", StringComparison.Ordinal);

        var result = BpmnParser.Parse(xml);

        result.Definition.Should().BeNull();
        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.Message.Should().Contain("more than 100000 elements");
        problem.Line.Should().Be(Bpmn.LineOf(xml, "<x/>"));
    }

    [Fact]
    public void Parse_MoreElementsThanConfigured_IsRefused()
    {
        var elements = Minimal.Split('<').Count(s => s.Length > 0 && char.IsLetter(s[0]));

        BpmnParser.Parse(Minimal, options: new BpmnParserOptions { MaxElements = elements - 1 }).Problems
            .Should().ContainSingle().Which.Message.Should().Contain($"more than {elements - 1} elements");
        BpmnParser.Parse(Minimal, options: new BpmnParserOptions { MaxElements = elements }).Problems.Should().BeEmpty();
    }

    [Theory]
    [InlineData(64, false)]
    [InlineData(65, true)]
    [InlineData(500, true)]
    public void Parse_NestingDepth_IsLimitedToSixtyFourLevels(int levels, bool refused)
    {
        // definitions > process > documentation are three levels; the rest is nested <x>.
        var nested = string.Concat(Enumerable.Repeat("<x>", levels - 3)) + string.Concat(Enumerable.Repeat("</x>", levels - 3));
        var xml = Minimal.Replace("<bpmn:startEvent id=\"S\" />", $"<bpmn:documentation>{nested}</bpmn:documentation><bpmn:startEvent id=\"S\" />", StringComparison.Ordinal);

        var result = BpmnParser.Parse(xml);

        if (refused)
        {
            result.Definition.Should().BeNull();
            result.Problems.Should().ContainSingle().Which.Message.Should().Contain("nested deeper than 64 levels");
            result.Problems[0].Line.Should().Be(Bpmn.LineOf(xml, "<x>"));
        }
        else
        {
            result.Problems.Should().BeEmpty();
        }
    }

    [Fact]
    public void Parse_ConfiguredDepth_IsHonoured()
    {
        // definitions > process > laneSet > lane: four levels.
        BpmnParser.Parse(Minimal, options: new BpmnParserOptions { MaxDepth = 3 }).Problems
            .Should().ContainSingle().Which.Message.Should().Contain("nested deeper than 3 levels");
        BpmnParser.Parse(Minimal, options: new BpmnParserOptions { MaxDepth = 4 }).Problems.Should().BeEmpty();
    }

    [Fact]
    public void Parse_NotWellFormed_ReportsTheLine()
    {
        var xml = Minimal.Replace("<bpmn:endEvent id=\"E\" />", "<bpmn:endEvent id=\"E\">", StringComparison.Ordinal);

        var result = BpmnParser.Parse(xml, "broken.bpmn");

        result.Definition.Should().BeNull();
        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.Message.Should().StartWith("the XML is not well-formed");
        problem.Line.Should().Be(Bpmn.LineOf(xml, "</bpmn:process>"), "the reader notices the mismatch at the closing tag");
        problem.ToString().Should().StartWith($"broken.bpmn:{problem.Line}: ");
    }

    [Theory]
    [InlineData("")]
    [InlineData("just text")]
    [InlineData("<a><b></a>")]
    public void Parse_GarbageInput_IsAProblemNotAnException(string xml)
    {
        var result = BpmnParser.Parse(xml);

        result.Definition.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Message.Should().StartWith("the XML is not well-formed");
    }

    [Fact]
    public void Parse_WrongRootElement_IsReported()
    {
        const string xml = "<?xml version=\"1.0\"?>\n<bpmn:process xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" id=\"p\" />";

        var result = BpmnParser.Parse(xml);

        result.Definition.Should().BeNull();
        var problem = result.Problems.Should().ContainSingle().Subject;
        problem.Message.Should().Contain("the root element is <process>");
        problem.Line.Should().Be(2);
    }

    [Fact]
    public void Parse_DefinitionsInWrongNamespace_IsReported()
    {
        var xml = Minimal.Replace(Bpmn.Model, "http://example.com/not-bpmn", StringComparison.Ordinal);

        var result = BpmnParser.Parse(xml);

        result.Definition.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Message.Should()
            .Contain("http://example.com/not-bpmn").And.Contain(Bpmn.Model);
    }

    [Fact]
    public void Parse_NoProcess_IsReported()
    {
        var xml = $"<bpmn:definitions xmlns:bpmn=\"{Bpmn.Model}\" id=\"d\"><bpmn:message id=\"m\" name=\"x\" /></bpmn:definitions>";

        BpmnParser.Parse(xml).Problems.Should().ContainSingle().Which.Message.Should().Contain("no <process>");
    }
}
