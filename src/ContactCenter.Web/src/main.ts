import './styles.css';
import { api, ApiError, type Me, whenUnauthorized } from './api';
import { h, mount } from './dom';
import { lang, setLang, t, type Key } from './i18n';
import { connectLive, disconnectLive, onLive, onLiveStatus } from './live';
import { renderLogin } from './views/login';
import { renderConsole } from './views/console';
import { renderTicketQueue, renderTicket } from './views/tickets';
import { renderDesigner } from './views/designer';
import { renderQuality } from './views/quality';
import { renderDashboard } from './views/dashboard';
import { notificationsChanged, renderNotifications } from './views/notifications';
import { renderUsers } from './views/users';
import { renderMigrations } from './views/migrations';
import { renderCalendar } from './views/calendar';

export interface Screen { title: Key; cleanup?: () => void }
export interface Context { me: Me; main: HTMLElement; navigate: (path: string) => void }

interface MenuItem { path: string; label: Key; roles: string[] }

const menu: MenuItem[] = [
  { path: '/console', label: 'menuConsole', roles: ['Agent'] },
  { path: '/tickets', label: 'menuTickets', roles: ['Tier2', 'RelatedTeam', 'TeamLeader', 'QualityControl', 'Admin'] },
  { path: '/designer', label: 'menuDesigner', roles: ['ProcessOwner', 'Reviewer', 'Approver', 'Admin'] },
  { path: '/migrations', label: 'menuMigrations', roles: ['ProcessOwner', 'Reviewer', 'Approver', 'Admin'] },
  { path: '/quality', label: 'menuQuality', roles: ['QualityControl', 'TeamLeader', 'Admin'] },
  { path: '/dashboard', label: 'menuDashboard', roles: ['TeamLeader', 'Admin'] },
  // The roles notifications are addressed to (the Team Leader, a task's lane, a ticket's unit, an agent).
  { path: '/notifications', label: 'menuNotifications', roles: ['TeamLeader', 'Tier2', 'RelatedTeam', 'Agent'] },
  { path: '/users', label: 'menuUsers', roles: ['Admin'] },
  { path: '/calendar', label: 'menuCalendar', roles: ['Admin'] },
];

/** A screen per path pattern: the menu item whose roles may open it, and how to draw it from the pattern's groups. */
interface Route { pattern: RegExp; menu: string; render: (context: Context, groups: (string | undefined)[], query: URLSearchParams) => Screen }

const uuid = '([0-9a-f-]{36})';
const routes: Route[] = [
  { pattern: new RegExp(`^/console(?:/${uuid})?$`), menu: '/console', render: (c, g) => renderConsole(c, g[0] ?? null) },
  { pattern: /^\/tickets$/, menu: '/tickets', render: (c, _, q) => renderTicketQueue(c, q.get('queue')) },
  { pattern: new RegExp(`^/tickets/${uuid}$`), menu: '/tickets', render: (c, g) => renderTicket(c, g[0]!) },
  { pattern: /^\/designer(?:\/([a-z0-9-]+)(?:\/(\d+))?)?$/, menu: '/designer', render: (c, g) => renderDesigner(c, g[0] ?? null, g[1] ? Number(g[1]) : null) },
  { pattern: new RegExp(`^/quality(?:/${uuid})?$`), menu: '/quality', render: (c, g) => renderQuality(c, g[0] ?? null) },
  { pattern: /^\/dashboard$/, menu: '/dashboard', render: c => renderDashboard(c) },
  { pattern: /^\/notifications$/, menu: '/notifications', render: c => renderNotifications(c) },
  { pattern: /^\/users$/, menu: '/users', render: c => renderUsers(c) },
  { pattern: new RegExp(`^/migrations(?:/${uuid})?$`), menu: '/migrations', render: (c, g) => renderMigrations(c, g[0] ?? null) },
  { pattern: /^\/calendar$/, menu: '/calendar', render: c => renderCalendar(c) },
];

const app = document.getElementById('app')!;
let me: Me | null = null;
let cleanup: (() => void) | undefined;

function allowed(item: MenuItem): boolean {
  return !!me && item.roles.some(r => me!.roles.includes(r));
}

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
  void route();
}

async function route(): Promise<void> {
  cleanup?.();
  cleanup = undefined;
  const path = location.pathname;
  if (path === '/login') {
    disconnectLive();
    me = null;
    renderLogin(app, async () => { me = await api.me(); navigate(home(), true); });
    document.title = `${t('signIn')} · ${t('appName')}`;
    return;
  }
  if (!me) {
    try {
      me = await api.me();
    } catch (e) {
      // The 401 has already sent the app to the sign-in (whenUnauthorized); drawing it a second time
      // would replace the form under a user who has started typing.
      if (e instanceof ApiError && e.status === 401) { if (location.pathname !== '/login') navigate('/login', true); return; }
      throw e;
    }
  }
  connectLive();
  if (path === '/' || path === '') { navigate(home(), true); return; }

  const main = h('main.content');
  mount(app, header(path), main);
  const context: Context = { me, main, navigate };
  let screen: Screen | null = null;
  let forbidden = false;
  for (const candidate of routes) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    if (allowed(menu.find(m => m.path === candidate.menu)!)) {
      screen = candidate.render(context, match.slice(1), new URLSearchParams(location.search));
      break;
    }
    forbidden = true;
  }
  if (!screen) {
    // A screen of another role is "no access", an address of no screen "not found"; both lead home.
    const homeLink = h('a', { href: home(), onclick: (e: MouseEvent) => { e.preventDefault(); navigate(home()); } }, t('goHome'));
    mount(main, h('section.panel.empty', { 'data-testid': forbidden ? 'no-access' : 'not-found' },
      h('p', null, t(forbidden ? 'noAccess' : 'notFound')), h('p', null, homeLink)));
    screen = { title: forbidden ? 'noAccess' : 'notFound' };
  }
  cleanup = screen.cleanup;
  document.title = `${t(screen.title)} · ${t('appName')}`;
}

function home(): string {
  return menu.find(allowed)?.path ?? '/welcome';
}

function header(path: string): HTMLElement {
  const status = h('span.live', { title: 'SSE /api/live' });
  const stop = onLiveStatus(ok => {
    status.textContent = ok ? t('liveConnected') : t('liveDisconnected');
    status.classList.toggle('off', !ok);
  });
  // How many notifications wait for the user, beside the menu item, on every screen.
  const waiting = h('span.count', { 'data-testid': 'notification-count', hidden: true });
  let countRequest = 0;
  const countWaiting = async () => {
    if (!allowed(menu.find(m => m.path === '/notifications')!)) return;
    const request = ++countRequest;
    const count = (await api.notifications()).filter(n => n.acknowledgedBy === null).length;
    if (request !== countRequest) return;
    waiting.textContent = String(count);
    waiting.hidden = count === 0;
  };
  const refreshCount = () => void countWaiting().catch(() => { /* the badge is a hint; the screen shows errors */ });
  const stopCount = onLive(e => { if (e.name === 'notification' || e.name === 'overflow') refreshCount(); });
  window.addEventListener(notificationsChanged, refreshCount);
  refreshCount();
  const previous = cleanup;
  cleanup = () => { stop(); stopCount(); window.removeEventListener(notificationsChanged, refreshCount); previous?.(); };
  const link = (item: MenuItem) => h('a', {
    href: item.path,
    class: path.startsWith(item.path) ? 'active' : undefined,
    onclick: (e: MouseEvent) => { e.preventDefault(); navigate(item.path); },
  }, t(item.label), item.path === '/notifications' ? waiting : null);
  const langButton = (value: 'id' | 'en', label: string) => h('button.link', {
    type: 'button', 'aria-pressed': String(lang() === value), class: lang() === value ? 'active' : undefined,
    onclick: () => { setLang(value); void route(); },
  }, label);
  return h('header.top', null,
    h('div.brand', null, h('span.logo', { 'aria-hidden': 'true' }, 'CC'), t('appName')),
    h('nav.menu', { 'aria-label': 'menu' }, menu.filter(allowed).map(link)),
    h('div.spacer'),
    status,
    h('div.lang', { role: 'group', 'aria-label': t('language') }, langButton('id', 'ID'), langButton('en', 'EN')),
    h('div.user', { 'data-testid': 'user' },
      h('strong', null, me!.displayName),
      h('span.roles', { title: t('roles') }, me!.roles.join(', ') + (me!.unit ? ` · ${me!.unit}` : ''))),
    h('button.secondary', { type: 'button', onclick: signOut }, t('signOut')));
}

async function signOut(): Promise<void> {
  try { await api.logout(); } finally { navigate('/login'); }
}

whenUnauthorized(() => { if (location.pathname !== '/login') navigate('/login', true); });
window.addEventListener('popstate', () => void route());
void route().catch((e: unknown) => mount(app, h('p.error', null, `${t('error')}: ${String(e)}`)));
