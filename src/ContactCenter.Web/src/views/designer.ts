import type { Context, Screen } from '../main';
import { h, mount } from '../dom';
import { t } from '../i18n';

/** The process owners' designer (placeholder until the designer lands). */
export function renderDesigner(ctx: Context, key: string | null, version: number | null): Screen {
  mount(ctx.main, h('section.panel.empty', { 'data-key': key ?? undefined, 'data-version': version ?? undefined }, h('p', null, t('noScreen'))));
  return { title: 'menuDesigner' };
}
