// One EventSource on /api/live for the whole app (the browser reconnects by itself and sends
// Last-Event-ID). Screens subscribe to the instance events they care about.

export interface LiveEvent { name: string; data: Record<string, unknown> & { instanceId?: string; parentInstanceId?: string | null } }

type Listener = (event: LiveEvent) => void;
type StatusListener = (connected: boolean) => void;

const names = [
  'instance-started', 'prompt', 'message', 'task-created', 'task-completed', 'task-cancelled', 'timer-armed',
  'timer-rescheduled', 'timer-fired', 'timer-cancelled', 'service', 'annotation', 'instance-completed',
  'instance-cancelled', 'instance-faulted', 'notification', 'overflow',
];

let source: EventSource | null = null;
const listeners = new Set<Listener>();
const statusListeners = new Set<StatusListener>();
let connected = false;

function setConnected(value: boolean): void {
  connected = value;
  statusListeners.forEach(l => l(value));
}

export function connectLive(): void {
  if (source) return;
  source = new EventSource('/api/live', { withCredentials: true });
  let dropped = false;
  source.onopen = () => {
    setConnected(true);
    // A reconnect may reach a restarted process or another node, which cannot replay what this
    // browser missed meanwhile: screens reload what they show, as after an overflow.
    if (dropped) listeners.forEach(l => l({ name: 'overflow', data: { reconnected: true } }));
    dropped = false;
  };
  source.onerror = () => { if (connected) dropped = true; setConnected(false); };
  for (const name of names) {
    source.addEventListener(name, e => {
      let data: LiveEvent['data'] = {};
      try { data = JSON.parse((e as MessageEvent<string>).data) as LiveEvent['data']; } catch { /* a malformed event is skipped */ }
      listeners.forEach(l => l({ name, data }));
    });
  }
}

export function disconnectLive(): void {
  source?.close();
  source = null;
  setConnected(false);
}

export function onLive(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function onLiveStatus(listener: StatusListener): () => void {
  statusListeners.add(listener);
  listener(connected);
  return () => statusListeners.delete(listener);
}
