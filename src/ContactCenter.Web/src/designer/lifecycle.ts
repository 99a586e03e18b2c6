// What a version's state means to people, and what the signed-in user may do with it next. The
// server decides (roles, four-eyes, status); this only decides which buttons make sense to show.
import type { Me } from '../api';
import type { VersionView } from './api';

export type Shown = 'Draft' | 'InReview' | 'Checked' | 'Approved' | 'Published' | 'Scheduled' | 'Retired';

export function shownState(v: VersionView, now = Date.now()): Shown {
  if (v.status === 'InReview' && v.checker) return 'Checked';
  if (v.status === 'Published' && v.effectiveFrom && Date.parse(v.effectiveFrom) > now) return 'Scheduled';
  return v.status;
}

export type Action = 'submit' | 'check' | 'return' | 'approve' | 'publish' | 'retire';

const same = (a: string | null, b: string) => !!a && a.trim().toLowerCase() === b.trim().toLowerCase();
const has = (me: Me, role: string) => me.roles.includes(role);

/** The actions to offer, each with whether it is blocked by the four-eyes rule (shown disabled, with the reason). */
export function actionsFor(v: VersionView, me: Me): { action: Action; blocked: 'madeByYou' | 'checkedByYou' | null }[] {
  const list: { action: Action; blocked: 'madeByYou' | 'checkedByYou' | null }[] = [];
  const maker = same(v.maker, me.userName);
  const checker = same(v.checker, me.userName);
  switch (v.status) {
    case 'Draft':
      if (has(me, 'ProcessOwner') && maker) list.push({ action: 'submit', blocked: null });
      break;
    case 'InReview':
      if (has(me, 'Reviewer') && !v.checker) list.push({ action: 'check', blocked: maker ? 'madeByYou' : null });
      if (has(me, 'Approver') && v.checker) list.push({ action: 'approve', blocked: maker ? 'madeByYou' : checker ? 'checkedByYou' : null });
      if (has(me, 'Reviewer') || has(me, 'Approver')) list.push({ action: 'return', blocked: maker ? 'madeByYou' : null });
      break;
    case 'Approved':
      if (has(me, 'ProcessOwner') || has(me, 'Approver') || has(me, 'Admin')) list.push({ action: 'publish', blocked: null });
      break;
    case 'Published':
      if (has(me, 'ProcessOwner') || has(me, 'Approver') || has(me, 'Admin')) list.push({ action: 'retire', blocked: null });
      break;
  }
  return list;
}

/** The one thing that awaits this user on a version, for the "awaiting you" list. */
export function awaits(v: VersionView, me: Me): 'submit' | 'check' | 'approve' | 'publish' | null {
  const open = actionsFor(v, me).filter(a => !a.blocked).map(a => a.action);
  if (open.includes('check')) return 'check';
  if (open.includes('approve')) return 'approve';
  if (open.includes('publish')) return 'publish';
  if (open.includes('submit')) return 'submit';
  return null;
}
