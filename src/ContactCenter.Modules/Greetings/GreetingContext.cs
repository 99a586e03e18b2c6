using ContactCenter.Engine.Expressions;
using ContactCenter.Runtime.Instances;

namespace ContactCenter.Modules.Greetings;

/// <summary>
/// Supplies <c>salamPembuka</c> and <c>salamPenutup</c> with every command, so the closing
/// greeting an agent reads is right for the minute the chat closes, not the minute it opened.
/// </summary>
public sealed class GreetingContext(Greeter greeter) : IContextVariables
{
    public IReadOnlyDictionary<string, Value> At(DateTimeOffset now) => greeter.Variables(now).ToVariables();
}
