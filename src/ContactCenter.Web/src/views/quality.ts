import type { Context, Screen } from '../main';
import '../quality/quality.css';
import { renderSearch } from '../quality/search';
import { renderReplay } from '../quality/replay';

/** Quality Control: /quality finds histories, /quality/{id} replays one (see docs/web-quality.md). */
export function renderQuality(ctx: Context, instanceId: string | null): Screen {
  let disposed = false;
  const isDisposed = () => disposed;
  if (!instanceId) {
    renderSearch(ctx, isDisposed);
    return { title: 'menuQuality', cleanup: () => { disposed = true; } };
  }
  const cleanup = renderReplay(ctx, instanceId, isDisposed);
  return { title: 'menuQuality', cleanup: () => { disposed = true; cleanup(); } };
}
