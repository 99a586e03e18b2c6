// The Team Leader's dashboard: live conversations per channel and agent, open tickets with their
// SLA, today's conversations per hour, SOP scores per agent, and a heatmap of a flow. Meant to stay
// open all shift on a wall screen: it reloads (debounced) on live events, re-reads every 30 s for
// the SLA colours, and ticks durations every second.
import '../dashboard/dashboard.css';
import { api, ApiError, timeSpanMs, type HelpRequest, type TicketSummary } from '../api';
import type { Context, Screen } from '../main';
import { h, mount } from '../dom';
import { formatDateTime, formatDuration, formatWorkingTime, lang, t, words } from '../i18n';
import { onLive } from '../live';
import { dashboardApi, type AgentLoad, type DefinitionSummary, type Heatmap, type Overview, type Period, type QualitySummary, type RunningConversation } from '../dashboard/api';
import { colourOfChannel, donut, horizontalBars, stackedBars } from '../dashboard/charts';
import type { HeatmapDiagram } from '../dashboard/heatmap';

const w = words({
  id: {
    title: 'Dasbor team leader', today: 'Hari ini', updated: 'diperbarui', running: 'Percakapan berjalan', waiting: 'Menunggu nasabah',
    atRisk: 'Tiket berisiko', breached: 'Tiket terlampaui', endedToday: 'Selesai hari ini', startedToday: 'dimulai hari ini',
    silence: 'Ditutup karena diam', silenceHint: 'tanpa respon nasabah (langkah 2c)', openTickets: 'tiket terbuka', ofRunning: 'dari yang berjalan',
    perChannel: 'Percakapan per kanal', perAgent: 'Percakapan per agen', agent: 'Agen', channels: 'Kanal', count: 'Jumlah', oldest: 'Terlama',
    noRunning: 'Tidak ada percakapan berjalan.', unassigned: 'Belum ditugaskan', waitingShort: 'menunggu', showConversations: 'Tampilkan percakapan',
    customer: 'Nasabah', step: 'Langkah', duration: 'Durasi', waitingCustomer: 'Menunggu nasabah', tickets: 'Tiket & SLA', lanes: 'Per antrean',
    mostUrgent: 'Paling mendesak', noTickets: 'Tidak ada tiket terbuka.', onTrack: 'Sesuai SLA', atRiskShort: 'Berisiko', breachedShort: 'Terlampaui',
    lane_Tier2: 'Tier 2', lane_RelatedTeam: 'Pihak terkait', perHour: 'Percakapan hari ini per jam', started: 'Dimulai', ended: 'Selesai',
    perHourDesc: 'Batang bertumpuk: percakapan yang dimulai per jam per kanal; garis: percakapan yang selesai per jam.',
    quality: 'Skor SOP per agen (7 hari)', qualityHint: 'Rata-rata skor otomatis scorecard SOP', conversations: 'percakapan', noQuality: 'Belum ada percakapan yang dinilai.',
    heatmap: 'Peta panas alur', flow: 'Alur', period: 'Periode', p_today: 'Hari ini', p_7d: '7 hari', p_30d: '30 hari', version: 'Versi',
    heatSummary: 'instans dimulai dalam periode', heatLegend: 'Berapa kali setiap langkah dijalankan', never: 'tidak pernah', fit: 'Paskan',
    ranTimes: 'dijalankan', times: 'kali oleh', instances: 'instans', noRuns: 'Belum ada yang menjalankan alur ini dalam periode ini.',
    help: 'Permintaan bantuan', noHelp: 'Tidak ada permintaan bantuan yang menunggu.', answer: 'Jawab', answerPlaceholder: 'Jawaban untuk agen…', to: 'kepada', from: 'dari',
    reasons: 'Alasan kontak hari ini', reasonsHint: 'Kategori dari dokumentasi Omni Channel, per kanal; OOT = di luar topik', documented: 'terdokumentasi', oot: 'OOT', noReasons: 'Belum ada percakapan yang didokumentasikan hari ini.',
    ticketsDonut: 'Status SLA tiket terbuka', team: 'Tim', ofOpen: 'dari', openShort: 'tiket terbuka', badgeMeaning: 'berapa kali langkah itu dijalankan (arahkan kursor untuk jumlah instans)', loadFailed: 'Dasbor tidak dapat dimuat', total: 'total', tickLeft: 'sisa',
  },
  en: {
    title: 'Team leader dashboard', today: 'Today', updated: 'updated', running: 'Running conversations', waiting: 'Waiting on customer',
    atRisk: 'Tickets at risk', breached: 'Tickets breached', endedToday: 'Ended today', startedToday: 'started today',
    silence: 'Closed by silence', silenceHint: 'no answer from the customer (step 2c)', openTickets: 'open tickets', ofRunning: 'of those running',
    perChannel: 'Conversations per channel', perAgent: 'Conversations per agent', agent: 'Agent', channels: 'Channels', count: 'Count', oldest: 'Oldest',
    noRunning: 'No conversation is running.', unassigned: 'Unassigned', waitingShort: 'waiting', showConversations: 'Show conversations',
    customer: 'Customer', step: 'Step', duration: 'Duration', waitingCustomer: 'Waiting on customer', tickets: 'Tickets & SLA', lanes: 'Per queue',
    mostUrgent: 'Most urgent', noTickets: 'No open ticket.', onTrack: 'On track', atRiskShort: 'At risk', breachedShort: 'Breached',
    lane_Tier2: 'Tier 2', lane_RelatedTeam: 'Related team', perHour: 'Conversations today per hour', started: 'Started', ended: 'Ended',
    perHourDesc: 'Stacked bars: conversations started per hour per channel; line: conversations ended per hour.',
    quality: 'SOP score per agent (7 days)', qualityHint: 'Mean automatic SOP scorecard score', conversations: 'conversations', noQuality: 'No scored conversation yet.',
    heatmap: 'Flow heatmap', flow: 'Flow', period: 'Period', p_today: 'Today', p_7d: '7 days', p_30d: '30 days', version: 'Version',
    heatSummary: 'instances started in the period', heatLegend: 'How many times each step ran', never: 'never', fit: 'Fit',
    ranTimes: 'ran', times: 'times for', instances: 'instances', noRuns: 'Nothing ran this flow in the period.',
    help: 'Help requests', noHelp: 'No help request is waiting.', answer: 'Answer', answerPlaceholder: 'Answer for the agent…', to: 'to', from: 'from',
    reasons: 'Contact reasons today', reasonsHint: 'Categories from the Omni Channel documentation, per channel; OOT = out of topic', documented: 'documented', oot: 'OOT', noReasons: 'No conversation documented today yet.',
    ticketsDonut: 'SLA status of open tickets', team: 'Team', ofOpen: 'of', openShort: 'open', badgeMeaning: 'times the step ran (hover for the number of instances)', loadFailed: 'The dashboard could not be loaded', total: 'total', tickLeft: 'left',
  },
});

const periods: Period[] = ['today', '7d', '30d'];
const slaColours = { OnTrack: '#2e9d5b', AtRisk: '#f0a020', Breached: '#d93025' } as const;

export function renderDashboard(ctx: Context): Screen {
  let disposed = false;
  let overview: Overview | null = null;
  let flows: DefinitionSummary[] = [];
  let flowKey = 'whatsapp';
  let period: Period = 'today';
  let chosenVersion: number | null = null;
  let diagram: HeatmapDiagram | null = null;
  const expanded = new Set<string>();
  let ticks: (() => void)[] = [];

  const updated = h('span.dash-updated', { 'data-testid': 'dash-updated' });
  const tiles = h('section.dash-tiles', { 'aria-label': w('title') });
  const channelsBody = h('div.dash-channels', { 'data-testid': 'dash-channels' });
  const agentsBody = h('tbody');
  const ticketsBody = h('div.dash-tickets');
  const hoursBody = h('div.dash-chart', { 'data-testid': 'chart-hours' });
  const qualityBody = h('div.dash-chart', { 'data-testid': 'chart-quality' });
  const reasonsBody = h('div.dash-reasons', { 'data-testid': 'dash-reasons' });
  const helpBody = h('div.dash-help', { 'data-testid': 'dash-help' });
  // Answer forms keep their elements across live re-renders, so an answer being typed survives them.
  const answerForms = new Map<string, HTMLElement>();
  const heatControls = h('div.heat-controls');
  const heatSummary = h('p.heat-summary', { 'data-testid': 'heat-summary' });
  const heatBox = h('div.heat-diagram', { 'data-testid': 'heatmap' });
  const heatLegend = h('div.heat-legend', { 'aria-label': w('heatLegend') });
  const error = h('p.error', { role: 'alert', hidden: true });

  mount(ctx.main, h('div.dashboard', null,
    h('div.dash-head', null, h('h1', null, w('title')), updated),
    error,
    tiles,
    h('section.panel.dash-help-panel', { 'aria-labelledby': 'dash-help-h' }, h('h2#dash-help-h', null, w('help')), helpBody),
    h('div.dash-grid', null,
      h('section.panel', { 'aria-labelledby': 'dash-channels-h' }, h('h2#dash-channels-h', null, w('perChannel')), channelsBody),
      h('section.panel', { 'aria-labelledby': 'dash-agents-h' }, h('h2#dash-agents-h', null, w('perAgent')),
        h('table.dash-agents', { 'data-testid': 'dash-agents' },
          h('thead', null, h('tr', null, h('th', null, w('agent')), h('th', null, w('channels')), h('th.num', null, w('count')), h('th.num', null, w('oldest')))),
          agentsBody)),
      h('section.panel', { 'aria-labelledby': 'dash-tickets-h' }, h('h2#dash-tickets-h', null, w('tickets')), ticketsBody)),
    h('div.dash-grid.two', null,
      h('section.panel', { 'aria-labelledby': 'dash-hours-h' }, h('h2#dash-hours-h', null, w('perHour')), hoursBody),
      h('section.panel', { 'aria-labelledby': 'dash-quality-h' }, h('h2#dash-quality-h', null, w('quality')), h('p.hint', null, w('qualityHint')), qualityBody)),
    h('section.panel', { 'aria-labelledby': 'dash-reasons-h' }, h('h2#dash-reasons-h', null, w('reasons')), h('p.hint', null, w('reasonsHint')), reasonsBody),
    h('section.panel.heat-panel', { 'aria-labelledby': 'dash-heat-h' },
      h('div.heat-head', null, h('h2#dash-heat-h', null, w('heatmap')), heatControls),
      heatSummary, heatBox, heatLegend)));

  // ---- Overview -------------------------------------------------------------------------------

  // Reads overlap (live events, the 30-second refresh); as for the heatmap, only the last one asked
  // is drawn, so an older answer landing last cannot hide a conversation that has just arrived.
  let overviewRequest = 0;
  async function loadOverview(): Promise<void> {
    const request = ++overviewRequest;
    try {
      const next = await dashboardApi.overview();
      if (disposed || request !== overviewRequest) return;
      overview = next;
      error.hidden = true;
      renderOverview(next);
    } catch (e) {
      showError(e);
    }
  }

  function renderOverview(o: Overview): void {
    ticks = [];
    updated.textContent = `${w('today')}, ${new Date(`${o.date}T12:00:00+07:00`).toLocaleDateString(lang() === 'id' ? 'id-ID' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Asia/Jakarta' })} · ${w('updated')} ${new Date(o.at).toLocaleTimeString(lang() === 'id' ? 'id-ID' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Asia/Jakarta' })}`;
    const tile = (id: string, label: string, value: number, note: string, tone = '') =>
      h('div', { class: `dash-tile ${tone}`, 'data-testid': `tile-${id}` }, h('span.label', null, label), h('strong.value', null, String(value)), h('span.note', null, note));
    mount(tiles,
      tile('running', w('running'), o.running.total, `${o.today.started} ${w('startedToday')}`, 'tone-green'),
      tile('waiting', w('waiting'), o.running.waitingOnCustomer, `${o.running.total} ${w('ofRunning')}`, 'tone-blue'),
      tile('at-risk', w('atRisk'), o.tickets.atRisk, `${w('ofOpen')} ${o.tickets.open} ${w('openShort')}`, o.tickets.atRisk > 0 ? 'tone-amber' : ''),
      tile('breached', w('breached'), o.tickets.breached, `${w('ofOpen')} ${o.tickets.open} ${w('openShort')}`, o.tickets.breached > 0 ? 'tone-red' : ''),
      tile('ended', w('endedToday'), o.today.ended, `${o.today.started} ${w('startedToday')}`),
      tile('silence', w('silence'), o.today.closedBySilence, w('silenceHint')));
    renderChannels(o);
    renderAgents(o);
    renderTickets(o);
    renderHours(o);
    renderReasons(o);
    tick();
  }

  function renderReasons(o: Overview): void {
    const r = o.today.reasons;
    const share = (x: number | null) => x === null ? '–' : `${Math.round(x * 1000) / 10}%`;
    mount(reasonsBody, r.documented === 0 ? h('p.muted', null, w('noReasons')) : [
      h('p', { 'data-testid': 'reasons-total' }, h('strong', null, String(r.documented)), ` ${w('documented')} · ${w('oot')} `, h('strong', { 'data-testid': 'oot-share' }, share(r.outOfTopicShare)), ` (${r.outOfTopic})`),
      h('table.dash-reasons-table', null,
        h('thead', null, h('tr', null, h('th', null, w('channels')), h('th.num', null, w('count')), h('th.num', null, w('oot')), h('th', null, w('reasons')))),
        h('tbody', null, r.channels.map(c => h('tr', { 'data-testid': 'reason-row', 'data-channel': c.channel },
          h('td', null, h('span', { class: `channel ch-${c.channel}` }, t(`ch_${c.channel}`))),
          h('td.num', null, String(c.documented)),
          h('td.num', { 'data-testid': 'channel-oot' }, `${share(c.outOfTopicShare)} (${c.outOfTopic})`),
          h('td', { 'data-testid': 'channel-categories' }, c.categories.map((x, i) => [i > 0 ? ', ' : '', `${x.category} ${x.count}`])))))),
    ]);
  }

  function since(iso: string): HTMLElement {
    const el = h('span.since', { title: formatDateTime(iso) });
    const start = Date.parse(iso);
    ticks.push(() => { el.textContent = formatDuration(Date.now() - start); });
    return el;
  }

  function renderChannels(o: Overview): void {
    const max = Math.max(1, ...o.running.channels.map(c => c.running));
    mount(channelsBody, o.running.channels.length === 0 ? h('p.muted', null, w('noRunning')) : o.running.channels.map(c => {
      const bar = h('span.bar-fill');
      bar.style.width = `${(c.running / max) * 100}%`;
      bar.style.background = colourOfChannel(c.channel);
      const waiting = h('span.bar-waiting');
      waiting.style.width = `${(c.waitingOnCustomer / max) * 100}%`;
      return h('div.channel-row', { 'data-testid': 'channel-row', 'data-channel': c.channel },
        h('span', { class: `channel ch-${c.channel}` }, t(`ch_${c.channel}`)),
        h('span.bar', { 'aria-hidden': 'true' }, bar, waiting),
        h('strong.count', { 'data-testid': 'count' }, String(c.running)),
        h('span.sub', null, `${c.waitingOnCustomer} ${w('waitingShort')} · ${w('oldest')} `, since(c.oldestStartedAt)));
    }));
  }

  function renderAgents(o: Overview): void {
    const rows: HTMLElement[] = [];
    if (o.running.agents.length === 0) rows.push(h('tr', null, h('td.empty', { colspan: 4 }, w('noRunning'))));
    for (const a of o.running.agents) {
      const key = a.agent ?? '';
      const open = expanded.has(key);
      rows.push(h('tr', {
        class: open ? 'agent-row open' : 'agent-row', 'data-testid': 'agent-row', 'data-agent': key, title: w('showConversations'),
        onclick: () => toggle(key),
      },
      h('td', null, h('span.avatar', { 'aria-hidden': 'true' }, initials(a)),
        h('button.link.agent-name', { type: 'button', 'aria-expanded': String(open), onclick: (e: MouseEvent) => { e.stopPropagation(); toggle(key); } }, a.displayName ?? a.agent ?? w('unassigned')),
        a.agent ? h('small.muted', null, ` ${a.agent}`) : null),
      h('td', null, Object.entries(a.channels).map(([ch, n]) => h('span', { class: `channel ch-${ch}`, title: t(`ch_${ch}`) }, `${t(`ch_${ch}`)} ${n}`))),
      h('td.num', null, h('strong.count', { 'data-testid': 'count' }, String(a.running)), a.waitingOnCustomer ? h('small.muted', null, ` (${a.waitingOnCustomer} ${w('waitingShort')})`) : null),
      h('td.num', null, since(a.oldestStartedAt))));
      if (open) rows.push(h('tr.agent-detail', null, h('td', { colspan: 4 }, conversationList(o.running.conversations.filter(c => (c.agent ?? '') === key)))));
    }
    mount(agentsBody, rows);
  }

  function toggle(key: string): void {
    if (expanded.has(key)) expanded.delete(key); else expanded.add(key);
    if (overview) { renderAgents(overview); tick(); }
  }

  function conversationList(list: RunningConversation[]): HTMLElement {
    return h('ul.dash-conversations', { 'data-testid': 'agent-conversations' }, list.map(c => h('li', { 'data-conversation': c.id },
      h('span', { class: `channel ch-${c.channel}` }, t(`ch_${c.channel}`)),
      h('span.customer', null, c.customerRef ?? '–'),
      h('span.what', null, c.waitingOnCustomer ? h('em', null, w('waitingCustomer')) : `${c.step ? `${c.step}. ` : ''}${c.taskName ?? '–'}`),
      since(c.startedAt))));
  }

  function renderTickets(o: Overview): void {
    const tk = o.tickets;
    const chart = donut({
      label: w('ticketsDonut'), centre: String(tk.open), caption: w('openTickets'),
      slices: [
        { key: 'on-track', label: w('onTrack'), value: tk.onTrack, colour: slaColours.OnTrack },
        { key: 'at-risk', label: w('atRiskShort'), value: tk.atRisk, colour: slaColours.AtRisk },
        { key: 'breached', label: w('breachedShort'), value: tk.breached, colour: slaColours.Breached },
      ],
    });
    const legendItem = (colour: string, label: string, value: number, id: string) => {
      const dot = h('span.dot');
      dot.style.background = colour;
      return h('li', { 'data-testid': `sla-${id}` }, dot, h('span', null, label), h('strong', null, String(value)));
    };
    mount(ticketsBody,
      h('div.tickets-top', null,
        h('div.donut-box', { 'data-testid': 'chart-sla' }, chart),
        h('div', null,
          h('ul.sla-legend', null, legendItem(slaColours.OnTrack, w('onTrack'), tk.onTrack, 'on-track'), legendItem(slaColours.AtRisk, w('atRiskShort'), tk.atRisk, 'at-risk'), legendItem(slaColours.Breached, w('breachedShort'), tk.breached, 'breached')),
          h('table.lanes', null, h('caption', null, w('lanes')),
            h('tbody', null, tk.lanes.map(l => h('tr', { 'data-lane': l.lane },
              h('th', null, w(`lane_${l.lane}`)), h('td', null, String(l.open)),
              h('td', null, l.atRisk ? h('span.sla.sla-at-risk', null, `${l.atRisk} ${w('atRiskShort')}`) : null, ' ', l.breached ? h('span.sla.sla-breached', null, `${l.breached} ${w('breachedShort')}`) : null))))))),
      h('h3', null, w('mostUrgent')),
      tk.mostUrgent.length === 0 ? h('p.muted', null, w('noTickets')) : h('ul.urgent', { 'data-testid': 'urgent-tickets' }, tk.mostUrgent.map(ticketItem)));
  }

  function ticketItem(ticket: TicketSummary): HTMLElement {
    const status = ticket.sla?.snapshot.status;
    const colour = status === 'Breached' ? 'breached' : status === 'AtRisk' ? 'at-risk' : 'on-track';
    const left = h('span.countdown-value');
    if (ticket.sla) {
      const snapshot = ticket.sla.snapshot;
      const remaining = timeSpanMs(snapshot.remaining);
      const at = Date.now();
      ticks.push(() => {
        const ms = snapshot.isPaused ? remaining : remaining - (Date.now() - at);
        left.textContent = ms >= 0 ? `${w('tickLeft')} ${formatWorkingTime(ms)}` : `${t('overdueBy')} ${formatWorkingTime(-ms)}`;
      });
    }
    return h('li', { class: `urgent-${colour}`, 'data-testid': 'dash-ticket', 'data-ticket': ticket.id },
      h('a', { href: `/tickets/${ticket.id}`, onclick: (e: MouseEvent) => { e.preventDefault(); ctx.navigate(`/tickets/${ticket.id}`); } },
        h('span', { class: `sla sla-${colour}`, 'data-colour': colour }, h('span.dot', { 'aria-hidden': 'true' }), t(`sla_${colour}`)),
        h('span.what', null, ticket.description ? ticket.description.slice(0, 70) : ticket.id.slice(0, 8)),
        h('small.muted', null, [ticket.category, ticket.priority, ticket.unit].filter(Boolean).join(' · ')),
        ticket.sla ? left : h('span.muted', null, '–')));
  }

  function renderHours(o: Overview): void {
    const nowHour = Number(new Date(o.at).toLocaleString('en-GB', { hour: '2-digit', hour12: false, timeZone: 'Asia/Jakarta' })) % 24;
    const channels = o.today.channels;
    const chart = stackedBars({
      label: w('perHour'), description: w('perHourDesc'),
      categories: o.today.hours.map(x => String(x.hour).padStart(2, '0')),
      series: channels.map(ch => ({ key: ch, label: t(`ch_${ch}`), colour: colourOfChannel(ch) })),
      values: o.today.hours.map(x => x.started),
      line: { label: w('ended'), values: o.today.hours.map(x => Object.values(x.ended).reduce((a, b) => a + b, 0)) },
      highlight: nowHour,
      categoryTitle: i => `${String(i).padStart(2, '0')}:00–${String(i).padStart(2, '0')}:59`,
    });
    const swatch = (colour: string, label: string, cls = 'swatch') => { const s = h('span', { class: cls }); s.style.background = colour; return h('li', null, s, label); };
    mount(hoursBody, chart, h('ul.chart-legend', null,
      channels.map(ch => swatch(colourOfChannel(ch), t(`ch_${ch}`))),
      h('li', null, h('span.swatch-line'), `${w('ended')} (${o.today.ended})`),
      h('li.muted', null, `${w('started')}: ${o.today.started}`)));
  }

  // ---- Quality --------------------------------------------------------------------------------

  async function loadQuality(): Promise<void> {
    const to = new Date();
    const from = new Date(to.getTime() - 7 * 86_400_000);
    try {
      const summary = await dashboardApi.quality(from, to);
      if (!disposed) renderQuality(summary);
    } catch (e) {
      if (!disposed) mount(qualityBody, h('p.muted', null, describe(e)));
    }
  }

  function renderQuality(summary: QualitySummary): void {
    const bars = summary.agents
      .filter(a => a.agent !== null)
      .sort((a, b) => (b.averageScore ?? -1) - (a.averageScore ?? -1))
      .map(a => ({
        label: overview?.running.agents.find(x => x.agent === a.agent)?.displayName ?? a.agent!,
        value: a.averageScore,
        note: `${a.conversations} ${w('conversations')}`,
        colour: a.averageScore === null ? '#b0bec5' : a.averageScore >= 90 ? slaColours.OnTrack : a.averageScore >= 75 ? slaColours.AtRisk : slaColours.Breached,
      }));
    mount(qualityBody, horizontalBars({ label: w('quality'), bars, unit: '%', empty: w('noQuality') }),
      summary.team.averageScore !== null ? h('p.hint', null, `${w('team')}: ${summary.team.averageScore}% · ${summary.team.conversations} ${w('conversations')}`) : null);
  }

  // ---- Heatmap --------------------------------------------------------------------------------

  async function loadFlows(): Promise<void> {
    try {
      flows = (await dashboardApi.definitions()).filter(d => d.versionInEffect !== null);
    } catch {
      flows = [];
    }
    if (!flows.some(f => f.key === flowKey) && flows.length > 0) flowKey = flows[0].key;
  }

  let heatRequest = 0;
  async function loadHeatmap(): Promise<void> {
    const request = ++heatRequest;
    heatBox.dataset.ready = 'false';
    try {
      const heatmap = await dashboardApi.heatmap(flowKey, period);
      if (disposed || request !== heatRequest) return;
      await renderHeatmap(heatmap, request);
    } catch (e) {
      if (!disposed) heatSummary.textContent = describe(e);
    }
  }

  function renderControls(heatmap: Heatmap | null): void {
    const select = h('select', { 'data-testid': 'heatmap-flow', 'aria-label': w('flow'), onchange: (e: Event) => { flowKey = (e.target as HTMLSelectElement).value; chosenVersion = null; void loadHeatmap(); } },
      flows.map(f => h('option', { value: f.key, selected: f.key === flowKey }, f.name)));
    const periodButtons = h('div.segmented', { role: 'group', 'aria-label': w('period') }, periods.map(p => h('button', {
      type: 'button', 'data-testid': `period-${p}`, 'aria-pressed': String(p === period), class: p === period ? 'active' : undefined,
      onclick: () => { period = p; void loadHeatmap(); },
    }, w(`p_${p}`))));
    const versions = heatmap?.versions ?? [];
    const versionPicker = versions.length > 1
      ? h('select', { 'data-testid': 'heatmap-version', 'aria-label': w('version'), onchange: (e: Event) => { chosenVersion = Number((e.target as HTMLSelectElement).value); if (heatmap) void renderHeatmap(heatmap, heatRequest); } },
        versions.map(v => h('option', { value: v.version, selected: v.version === versionOf(heatmap!) }, `${w('version')} ${v.version} (${v.instances})`)))
      : null;
    mount(heatControls, h('label.inline', null, w('flow'), select), periodButtons, versionPicker,
      h('button.secondary', { type: 'button', onclick: () => diagram?.fit() }, w('fit')));
  }

  function versionOf(heatmap: Heatmap): number {
    if (chosenVersion !== null && heatmap.versions.some(v => v.version === chosenVersion)) return chosenVersion;
    const busiest = [...heatmap.versions].sort((a, b) => b.instances - a.instances)[0];
    return busiest?.version ?? heatmap.versionInEffect ?? 1;
  }

  async function renderHeatmap(heatmap: Heatmap, request: number): Promise<void> {
    renderControls(heatmap);
    const version = versionOf(heatmap);
    const counts = heatmap.versions.find(v => v.version === version) ?? null;
    const range = `${formatDateTime(heatmap.from)} – ${formatDateTime(heatmap.to)}`;
    heatSummary.textContent = counts
      ? `${heatmap.name} · ${w('version')} ${version} · ${counts.instances} ${w('heatSummary')} (${range})`
      : `${heatmap.name} · ${w('noRuns')} (${range})`;
    if (!diagram) {
      const { HeatmapDiagram } = await import('../dashboard/heatmap');
      if (disposed) return;
      diagram ??= new HeatmapDiagram(heatBox);
    }
    const { max } = await diagram.show(heatmap.definitionKey, version, counts, (entered, instances) => `${w('ranTimes')} ${entered} ${w('times')} ${instances} ${w('instances')}`);
    if (disposed || request !== heatRequest) return;
    renderLegend(max);
    heatBox.dataset.key = heatmap.definitionKey;
    heatBox.dataset.period = heatmap.period ?? '';
    heatBox.dataset.version = String(version);
    heatBox.dataset.ready = 'true';
  }

  function renderLegend(max: number): void {
    const step = (level: number) => {
      const low = Math.floor((max * (level - 1)) / 5) + 1;
      const high = Math.floor((max * level) / 5);
      return low > high ? null : h('li', null, h('span', { class: `heat-swatch heat-swatch-${level}` }), low === high ? String(low) : `${low}–${high}`);
    };
    mount(heatLegend,
      h('span.legend-title', null, w('heatLegend')),
      h('ul', null, h('li', null, h('span.heat-swatch.heat-swatch-0'), w('never')), [1, 2, 3, 4, 5].map(step)),
      h('span.legend-badge', null, h('span.heat-badge', null, 'n'), ` = ${w('badgeMeaning')}`));
  }

  // ---- Live, periodic, cleanup ------------------------------------------------------------------

  function tick(): void { ticks.forEach(f => f()); }

  // ---- Help requests (SOP §5.3) ----------------------------------------------------------------

  let helpRequest = 0;
  async function loadHelp(): Promise<void> {
    const request = ++helpRequest;
    try {
      const open = await api.openHelp();
      if (disposed || request !== helpRequest) return;
      renderHelp(open);
    } catch (e) {
      showError(e);
    }
  }

  function renderHelp(open: HelpRequest[]): void {
    const ids = new Set(open.map(r => `${r.instanceId}/${r.id}`));
    for (const key of [...answerForms.keys()]) if (!ids.has(key)) answerForms.delete(key);
    mount(helpBody, open.length === 0 ? h('p.muted', null, w('noHelp')) : h('ul.dash-help-list', null, open.map(r => {
      const key = `${r.instanceId}/${r.id}`;
      let form = answerForms.get(key);
      if (!form) {
        const text = h('input', { name: 'text', required: true, maxlength: 1000, placeholder: w('answerPlaceholder'), 'data-testid': 'help-answer-text', autocomplete: 'off' }) as HTMLInputElement;
        form = h('form.row', {
          onsubmit: async (e: SubmitEvent) => {
            e.preventDefault();
            if (!text.value.trim()) return;
            try {
              await api.answerHelp(r.instanceId, r.id, text.value.trim());
              await loadHelp();
            } catch (err) {
              showError(err);
            }
          },
        }, text, h('button', { type: 'submit', 'data-testid': 'help-answer-send' }, w('answer')));
        answerForms.set(key, form);
      }
      return h('li', { 'data-testid': 'help-item', 'data-request': r.id, 'data-conversation': r.instanceId },
        h('div', null,
          r.channel ? h('span', { class: `channel ch-${r.channel}` }, t(`ch_${r.channel}`)) : null, ' ',
          h('strong', null, r.requestedBy ?? '–'), h('span.muted', null, ` ${w('to')} ${r.to} · ${r.customerRef ?? ''} · `), h('time', null, formatDateTime(r.requestedAt))),
        h('p.help-text', { 'data-testid': 'help-text' }, r.text),
        form);
    })));
  }

  function showError(e: unknown): void {
    if (disposed) return;
    error.hidden = false;
    error.textContent = `${w('loadFailed')}: ${describe(e)}`;
  }

  let overviewTimer = 0;
  let heatTimer = 0;
  let helpTimer = 0;
  const stopLive = onLive(({ name }) => {
    if (name === 'notification') return;
    if (name === 'annotation' || name.startsWith('instance-') || name === 'overflow') {
      window.clearTimeout(helpTimer);
      helpTimer = window.setTimeout(() => void loadHelp(), 150);
    }
    window.clearTimeout(overviewTimer);
    overviewTimer = window.setTimeout(() => void loadOverview(), 600);
    if (name !== 'prompt' && name !== 'overflow') {
      window.clearTimeout(heatTimer);
      heatTimer = window.setTimeout(() => void loadHeatmap(), 4000);
    }
  });
  const ticker = window.setInterval(tick, 1000);
  const refresher = window.setInterval(() => { void loadOverview(); void loadHelp(); }, 30_000);
  const qualityRefresher = window.setInterval(() => void loadQuality(), 5 * 60_000);
  const onResize = () => diagram?.fit();
  window.addEventListener('resize', onResize);

  void loadOverview().then(() => loadQuality());
  void loadHelp();
  void loadFlows().then(() => { renderControls(null); return loadHeatmap(); });

  return {
    title: 'menuDashboard',
    cleanup: () => {
      window.clearTimeout(helpTimer);
      disposed = true;
      stopLive();
      window.clearTimeout(overviewTimer);
      window.clearTimeout(heatTimer);
      window.clearInterval(ticker);
      window.clearInterval(refresher);
      window.clearInterval(qualityRefresher);
      window.removeEventListener('resize', onResize);
      diagram?.destroy();
    },
  };
}

function initials(a: AgentLoad): string {
  const name = a.displayName ?? a.agent ?? '?';
  return name.split(/[\s.]+/).filter(Boolean).slice(0, 2).map(p => p[0]!.toUpperCase()).join('');
}

function describe(e: unknown): string {
  if (e instanceof ApiError) return e.status === 403 ? t('forbidden') : `${e.title}${e.detail ? `: ${e.detail}` : ''}`;
  return String(e);
}
