import type { Context, Screen } from '../main';
import { h, mount } from '../dom';
import { t } from '../i18n';

/** The team leader's dashboard (placeholder until the dashboard lands). */
export function renderDashboard(ctx: Context): Screen {
  mount(ctx.main, h('section.panel.empty', null, h('p', null, t('noScreen'))));
  return { title: 'menuDashboard' };
}
