using ContactCenter.Engine.Expressions;
using ContactCenter.Runtime.Instances;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests;

/// <summary>Conversations run by the server's own runtime (as the console and the channel webhook would), for QC to review.</summary>
internal static class QualityConversation
{
    public static async Task<Guid> StartAsync(IServiceProvider services, string agent, string displayName, string customer)
    {
        var runtime = services.GetRequiredService<InstanceRuntime>();
        var record = await runtime.StartAsync(new StartRequest
        {
            DefinitionKey = "whatsapp",
            Channel = "whatsapp",
            CustomerRef = customer,
            Agent = agent,
            Actor = agent,
            Variables = new Dictionary<string, Value>(StringComparer.Ordinal) { ["namaAgent"] = displayName },
        });
        return record.Id;
    }

    /// <summary>
    /// A WhatsApp chat to the end: greeting, a minute of silence (the agent asks "masih terhubung?"),
    /// the customer replies, verification to solution, no ticket, more help? no, closing, documentation.
    /// </summary>
    public static async Task<Guid> RunWhatsAppAsync(IServiceProvider services, string agent, string displayName, string customer)
    {
        var runtime = services.GetRequiredService<InstanceRuntime>();
        var id = await StartAsync(services, agent, displayName, customer);

        async Task Complete(string elementId, string? outcome = null)
        {
            var state = await runtime.GetStateAsync(id);
            var item = state.WorkItems.Single(w => w.ElementId == elementId);
            await runtime.CompleteWorkItemAsync(id, item.Id, outcome, DocumentedData.For(item), agent, state.Version);
        }

        await Complete("Task_SalamPembuka");
        var silence = (await runtime.GetStateAsync(id)).Timers.Single(t => t.SlaPolicy is null);
        ((SkewClock)services.GetRequiredService<TimeProvider>()).AdvanceTo(silence.DueAt);
        await runtime.FireAsync(id, silence.Id);
        var ask = (await runtime.GetStateAsync(id)).WorkItems.Single(w => w.Step == "2a");
        await runtime.CompleteWorkItemAsync(id, ask.Id, null, null, agent);
        await runtime.DeliverMessageAsync(id, "Masih, saya mau tanya cara gadai emas", "qc-m1", customer);
        await Complete("Task_Verifikasi");
        await Complete("Task_Identifikasi");
        await Complete("Task_Solusi");
        await Complete("Gateway_PerluTiket", "Tidak");
        await Complete("Task_TawarkanBantuan");
        await runtime.DeliverMessageAsync(id, "Tidak, sudah cukup. Terima kasih", "qc-m2", customer);
        await Complete("Gateway_BantuanLain", "Tidak");
        await Complete("Task_SalamPenutup");
        await Complete("Gateway_Tertarik", "Tidak");
        await Complete("Task_Dokumentasi");
        return id;
    }
}
