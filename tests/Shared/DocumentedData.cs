using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;

namespace ContactCenter.Tests;

/// <summary>
/// The data a test gives a step that asks for fields (<c>cc:fields</c>) when what it records does
/// not matter to the test: the documentation step's contact category, product, summary and OOT,
/// with values the server would accept. Null for a step that asks for nothing.
/// </summary>
public static class DocumentedData
{
    private static readonly Dictionary<string, Value> Known = new(StringComparer.Ordinal)
    {
        ["kategoriKontak"] = "Produk",
        ["produk"] = "Tabungan Emas",
        ["ringkasan"] = "Nasabah menanyakan cara top up; dijelaskan",
        ["oot"] = "Tidak",
    };

    public static IReadOnlyDictionary<string, Value>? For(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Fields.Length == 0 ? null : item.Fields.ToDictionary(f => f, f => Known.GetValueOrDefault(f, "contoh"), StringComparer.Ordinal);
    }
}
