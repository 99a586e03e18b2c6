using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace ContactCenter.Server.Tests;

/// <summary>An in-memory Serilog sink the server picks up from its services (ReadFrom.Services).</summary>
public sealed class LogEvents : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public void Register(IServiceCollection services) => services.AddSingleton<ILogEventSink>(this);

    /// <summary>The events logged in the trace <paramref name="traceId"/> (their message templates).</summary>
    public IReadOnlyList<string> OfRequest(string traceId) =>
        [.. _events.Where(e => e.TraceId?.ToHexString() == traceId).Select(e => e.MessageTemplate.Text)];

    /// <summary>Events of one logger category, each as its message template ("@mt") and its scalar properties.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string?>> OfCategory(string category) =>
        [.. _events
            .Where(e => e.Properties.TryGetValue("SourceContext", out var c) && c is ScalarValue { Value: string s } && s == category)
            .Select(e =>
            {
                var properties = e.Properties.ToDictionary(p => p.Key, p => p.Value is ScalarValue scalar ? scalar.Value?.ToString() : p.Value.ToString(), StringComparer.Ordinal);
                properties["@mt"] = e.MessageTemplate.Text;
                properties["@l"] = e.Level.ToString();
                return (IReadOnlyDictionary<string, string?>)properties;
            })];
}
