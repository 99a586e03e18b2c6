import { api, ApiError, type NotificationView } from '../api';
import type { Context, Screen } from '../main';
import { h, mount } from '../dom';
import { formatDateTime, t, words } from '../i18n';
import { onLive } from '../live';

const w = words({
  id: {
    title: 'Notifikasi',
    none: 'Tidak ada notifikasi.',
    acknowledge: 'Tandai sudah dibaca',
    acknowledgedBy: 'Diterima oleh',
    at: 'pada',
    waiting: 'Menunggu',
    reference: 'Nasabah',
    open: 'Buka tiket',
    already: 'Sudah diterima oleh',
  },
  en: {
    title: 'Notifications',
    none: 'No notifications.',
    acknowledge: 'Acknowledge',
    acknowledgedBy: 'Acknowledged by',
    at: 'at',
    waiting: 'Waiting',
    reference: 'Customer',
    open: 'Open ticket',
    already: 'Already acknowledged by',
  },
});

/** Sent on window when the user acknowledged one, so the header's count follows. */
export const notificationsChanged = 'notifications-changed';

/**
 * The user's notifications, newest first: those still waiting with an acknowledge button, and
 * those acknowledged in the last day with who did it and when. A new one arrives on the live
 * stream (the server sends each only to its audience) and the list is read again.
 */
export function renderNotifications(ctx: Context): Screen {
  const list = h('ul.notifications', { 'data-testid': 'notifications' });
  const message = h('p.error', { role: 'alert', hidden: true });
  let disposed = false;
  let lastRequest = 0;

  mount(ctx.main, h('section.panel', null, h('h1', null, w('title')), message, list));

  async function load(): Promise<void> {
    const request = ++lastRequest;
    const notifications = await api.notifications();
    if (disposed || request !== lastRequest) return;
    mount(list, notifications.length === 0 ? h('li.empty.muted', null, w('none')) : notifications.map(item));
  }

  function item(n: NotificationView): HTMLElement {
    const acknowledged = n.acknowledgedBy !== null;
    const ticketLink = ctx.me.roles.some(r => ['Tier2', 'RelatedTeam', 'TeamLeader'].includes(r)) && ['slaAlert', 'dispatchTicket', 'closeTicket'].includes(n.kind)
      ? h('a', { href: `/tickets/${n.instanceId}`, onclick: (e: MouseEvent) => { e.preventDefault(); ctx.navigate(`/tickets/${n.instanceId}`); } }, w('open'))
      : null;
    const state = acknowledged
      ? h('span.acknowledged', { 'data-testid': 'acknowledged' }, `${w('acknowledgedBy')} ${n.acknowledgedBy} ${w('at')} ${formatDateTime(n.acknowledgedAt)}`)
      : h('button', { type: 'button', 'data-testid': 'acknowledge', onclick: () => void acknowledge(n) }, w('acknowledge'));
    return h('li', { class: `notification kind-${n.kind}${acknowledged ? ' done' : ''}`, 'data-testid': 'notification', 'data-id': n.id, 'data-kind': n.kind },
      h('div.notification-head', null,
        h('strong', { 'data-testid': 'notification-title' }, n.title),
        h('span.muted', null, ` · ${formatDateTime(n.createdAt)}`),
        acknowledged ? null : h('span.badge', null, w('waiting'))),
      h('p', { 'data-testid': 'notification-text' }, n.text),
      h('div.notification-foot', null,
        n.reference ? h('span.muted', null, `${w('reference')}: ${n.reference}`) : null,
        ticketLink, state));
  }

  async function acknowledge(n: NotificationView): Promise<void> {
    message.hidden = true;
    try {
      await api.acknowledge(n.id);
    } catch (e) {
      // Someone else was first: say who, then show the list as it is now.
      message.textContent = e instanceof ApiError && e.status === 409 ? `${w('already')} ${e.detail ?? ''}` : `${t('error')}: ${e instanceof Error ? e.message : String(e)}`;
      message.hidden = false;
    }
    window.dispatchEvent(new Event(notificationsChanged));
    await load();
  }

  const stop = onLive(e => { if (e.name === 'notification' || e.name === 'overflow') void load(); });
  void load().catch((e: unknown) => { message.textContent = `${t('error')}: ${String(e)}`; message.hidden = false; });
  return { title: 'menuNotifications', cleanup: () => { disposed = true; stop(); } };
}
