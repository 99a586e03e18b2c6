using System.Net;
using System.Text;
using FluentAssertions;

namespace ContactCenter.Server.Tests;

/// <summary>Issue 16 over HTTP: definitions that once killed the server or answered 500 or 90 MB get a located problem instead.</summary>
[Collection(ServerCollection.Name)]
public sealed class HostileDefinitionTests(ServerFixture server)
{
    private static StringContent Xml(string bpmn) => new(bpmn, Encoding.UTF8, "application/xml");

    private static string Process(string key, string body) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
          <bpmn:process id="{key}" isExecutable="true">
            <bpmn:startEvent id="S" />
        {body}
            <bpmn:endEvent id="E" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task Validate_ConditionWithTenThousandNestedParentheses_IsAProblemAndTheServerLives()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        var condition = new string('(', 10_000) + "true" + new string(')', 10_000);
        var xml = Process("deep-condition", $"""<bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="E"><bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>""");

        var verdict = await (await owner.PostAsync("/api/definitions/validate", Xml(xml))).JsonAsync();

        verdict.GetProperty("valid").GetBoolean().Should().BeFalse();
        var problem = verdict.GetProperty("problems").EnumerateArray().Should().ContainSingle().Subject;
        problem.GetProperty("elementId").GetString().Should().Be("f1");
        problem.GetProperty("message").GetString().Should().Contain("nests deeper than 64 levels");
        (await owner.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Draft_TimerDurationThatOverflowed_Is422NamingTheTimer()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        var xml = Process("huge-timer", """
                <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="W" />
                <bpmn:intermediateCatchEvent id="W"><bpmn:timerEventDefinition><bpmn:timeDuration>P99999999DT99999999H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f2" sourceRef="W" targetRef="E" />
            """);

        var problem = await (await owner.PostAsync("/api/definitions", Xml(xml))).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        var listed = problem.GetProperty("problems").EnumerateArray().Should().ContainSingle().Subject;
        listed.GetProperty("elementId").GetString().Should().Be("W");
        listed.GetProperty("message").GetString().Should().Contain("is longer than the limit of 366 days");
    }

    [Fact]
    public async Task Draft_WithTensOfThousandsOfProblems_AnswersTheFirstHundredInASmallBody()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        var body = new StringBuilder("<bpmn:sequenceFlow id=\"f\" sourceRef=\"S\" targetRef=\"E\" />\n");
        for (var i = 0; i < 30_000; i++)
        {
            body.Append("<bpmn:task id=\"X").Append(i).Append("\" />\n");
        }

        var response = await owner.PostAsync("/api/definitions", Xml(Process("many-problems", body.ToString())));
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        text.Length.Should().BeLessThan(100_000, "the list is capped, not 30,000 problems long");
        var problems = (await new HttpResponseMessage(response.StatusCode) { Content = new StringContent(text, Encoding.UTF8, "application/problem+json") }
            .ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("problems").EnumerateArray().ToList();
        problems.Should().HaveCount(101);
        problems[^1].GetProperty("message").GetString().Should().StartWith("29,900 more problem(s)");
    }
}
