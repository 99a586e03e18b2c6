import type { Context, Screen } from '../main';
import { h, mount } from '../dom';
import { t } from '../i18n';

/** Quality Control's replay (placeholder until the replay screen lands). */
export function renderQuality(ctx: Context, instanceId: string | null): Screen {
  mount(ctx.main, h('section.panel.empty', { 'data-instance': instanceId ?? undefined }, h('p', null, t('noScreen'))));
  return { title: 'menuQuality' };
}
