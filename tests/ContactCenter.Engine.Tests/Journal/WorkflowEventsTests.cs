using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ContactCenter.Engine.Journal;
using FluentAssertions;
using Xunit;

// Not ...Tests.Journal: that namespace would hide ContactCenter.Engine.Journal from partially qualified names in other test folders.
namespace ContactCenter.Engine.Tests.Journals;

/// <summary>Design rules checked by reflection: events and commands are sealed, immutable records; events are registered with versioned discriminators.</summary>
public class WorkflowEventsTests
{
    private static readonly Assembly Engine = typeof(WorkflowEngine).Assembly;

    public static TheoryData<Type> EventTypes() => Subtypes(typeof(WorkflowEvent));

    public static TheoryData<Type> CommandTypes() => Subtypes(typeof(WorkflowCommand));

    private static TheoryData<Type> Subtypes(Type root)
    {
        var data = new TheoryData<Type>();
        foreach (var type in Engine.GetTypes().Where(t => t != root && root.IsAssignableFrom(t)).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            data.Add(type);
        }

        return data;
    }

    /// <summary>The compiler gives every record a <c>&lt;Clone&gt;$</c> method; nothing else has one.</summary>
    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null;

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    [Fact]
    public void Subtypes_AreFound()
    {
        EventTypes().Count.Should().BeGreaterThan(15);
        CommandTypes().Count.Should().Be(8);
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Event_IsASealedRecord(Type type)
    {
        type.IsSealed.Should().BeTrue($"{type.Name} must be sealed");
        IsRecord(type).Should().BeTrue($"{type.Name} must be a record");
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Event_HasNoPublicSetter(Type type)
    {
        var setters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter))
            .Select(p => p.Name);

        setters.Should().BeEmpty($"{type.Name} is a fact in the journal and must not change once written");
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Event_IsRegisteredWithAVersionedDiscriminator(Type type)
    {
        var registrations = typeof(WorkflowEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Where(a => a.DerivedType == type).ToList();

        var registration = registrations.Should().ContainSingle($"{type.Name} must be a [JsonDerivedType] of WorkflowEvent").Subject;
        registration.TypeDiscriminator.Should().BeOfType<string>()
            .Which.Should().MatchRegex(@"^[a-z]+(-[a-z]+)*@[1-9][0-9]*$", "the discriminator carries the schema version");
    }

    [Fact]
    public void Event_Discriminators_AreUnique()
    {
        var discriminators = typeof(WorkflowEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => (string)a.TypeDiscriminator!).ToList();

        discriminators.Should().OnlyHaveUniqueItems();
        discriminators.Select(d => Regex.Replace(d, "@.*$", string.Empty)).Should().OnlyHaveUniqueItems("one version per event type is written today");
    }

    [Fact]
    public void Event_BaseProperties_HaveNoPublicSetter()
    {
        typeof(WorkflowEvent).GetProperties().Where(p => p.SetMethod is { IsPublic: true }).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(CommandTypes))]
    public void Command_IsASealedRecord(Type type)
    {
        type.IsSealed.Should().BeTrue($"{type.Name} must be sealed");
        IsRecord(type).Should().BeTrue($"{type.Name} must be a record");
    }
}
