using System.Text;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Model;

namespace ContactCenter.Engine;

/// <summary>
/// A <c>cc:script</c> with <c>{name}</c> placeholders filled from variables. Unknown names stay as
/// written (<c>{namaNasabah}</c>), so a missing variable is visible instead of silently blank.
/// </summary>
public static class ScriptTemplate
{
    /// <summary>
    /// The template a node's work item or prompt is rendered from: its script, or for an agent's
    /// decision (exclusive gateway) its name when it has no script.
    /// </summary>
    public static string? Of(FlowNode node) => node is ExclusiveGateway ? node.Script ?? node.Name : node.Script;

    public static string? Render(string? template, IReadOnlyDictionary<string, Value> variables)
    {
        if (template is null || !template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        var sb = new StringBuilder(template.Length + 16);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            sb.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            if (variables.TryGetValue(name, out var value))
            {
                sb.Append(value.ToString());
            }
            else
            {
                sb.Append(template, open, close - open + 1);
            }

            i = close + 1;
        }

        return sb.ToString();
    }
}
