// Interface words in Indonesian (default, the SOP's own language) and English (a switch in the
// header). Texts an agent says or a customer reads come from the server and are never translated.

const id = {
  appName: 'ContactCenter Pegadaian',
  signIn: 'Masuk',
  signOut: 'Keluar',
  userName: 'Nama pengguna',
  password: 'Kata sandi',
  signInTitle: 'Masuk ke ContactCenter',
  signInFailed: 'Nama pengguna atau kata sandi salah.',
  signInLocked: 'Terlalu banyak percobaan gagal; coba lagi beberapa menit lagi.',
  language: 'Bahasa',
  menuConsole: 'Konsol agen',
  menuTickets: 'Antrean tiket',
  menuDesigner: 'Desainer alur',
  menuQuality: 'Replay QC',
  menuDashboard: 'Dasbor',
  menuNotifications: 'Notifikasi',
  menuUsers: 'Pengguna',
  menuMigrations: 'Migrasi instans',
  menuCalendar: 'Kalender',
  noAccess: 'Anda tidak berwenang membuka layar ini.',
  notFound: 'Halaman ini tidak ada.',
  goHome: 'Kembali ke layar Anda',
  loading: 'Memuat…',
  myConversations: 'Percakapan saya',
  allStatuses: 'Semua status',
  allChannels: 'Semua kanal',
  status_Running: 'Berjalan',
  status_Completed: 'Selesai',
  status_Cancelled: 'Dibatalkan',
  status_Faulted: 'Gagal',
  noConversations: 'Belum ada percakapan.',
  startContact: 'Mulai kontak',
  channel: 'Kanal',
  customer: 'Nasabah',
  customerHint: 'No. HP / email / akun',
  start: 'Mulai',
  ch_whatsapp: 'WhatsApp',
  'ch_live-chat': 'Live chat',
  'ch_social-media': 'Media sosial',
  ch_email: 'Email',
  'ch_inbound-call': 'Telepon masuk',
  'ch_outlet-reservation': 'Reservasi outlet',
  ch_ticket: 'Tiket',
  chooseConversation: 'Pilih percakapan di kiri atau mulai kontak baru.',
  currentStep: 'Langkah SOP saat ini',
  step: 'Langkah',
  script: 'Skrip',
  done: 'Selesai',
  noOpenTask: 'Tidak ada langkah yang menunggu Anda. Menunggu respon nasabah…',
  conversationEnded: 'Percakapan ini sudah berakhir',
  conversation: 'Percakapan',
  customerSaid: 'Nasabah',
  agentSaid: 'Agen',
  promptSent: 'Pesan otomatis',
  noMessages: 'Belum ada pesan.',
  nextPrompt: 'Pertanyaan “masih terhubung?” berikutnya dalam',
  timerDue: 'Waktu tunggu habis: tanyakan sekarang',
  askWithin: 'Tanyakan sekarang: tangga berlanjut dalam',
  askNow: 'Tanyakan sekarang',
  askDue: 'Saatnya menanyakan “masih terhubung?” (SOP: agent harus menanyakan)',
  sound: 'Bunyi saat jatuh tempo',
  simulator: 'Simulator nasabah (loopback)',
  simulatorHint: 'Kirim pesan sebagai nasabah untuk demo.',
  send: 'Kirim',
  messagePlaceholder: 'Tulis pesan nasabah…',
  complaint: 'Ajukan pengaduan (tiket ke Tier 2)',
  category: 'Kategori',
  priority: 'Prioritas',
  description: 'Deskripsi',
  raiseComplaint: 'Buat tiket pengaduan',
  cancel: 'Batal',
  diagram: 'Diagram alur',
  diagramCurrent: 'Posisi saat ini disorot',
  diagramFailed: 'Diagram tidak dapat dimuat.',
  ticketQueue: 'Antrean tiket',
  queueTier2: 'Tier 2',
  queueRelated: 'Pihak terkait',
  noTickets: 'Tidak ada tiket terbuka di antrean ini.',
  opened: 'Dibuka',
  sla: 'SLA',
  remaining: 'Sisa',
  unit: 'Unit',
  currentTask: 'Langkah saat ini',
  sla_onTrack: 'Sesuai SLA',
  'sla_on-track': 'Sesuai SLA',
  'sla_at-risk': 'Berisiko',
  sla_breached: 'Terlampaui',
  paused: 'dijeda',
  overdueBy: 'lewat',
  ticket: 'Tiket',
  back: 'Kembali',
  notes: 'Catatan / memo',
  noNotes: 'Belum ada catatan.',
  addNote: 'Tambah catatan',
  dispatch: 'Dispatch ke tim terkait',
  dispatchNote: 'Catatan dispatch (opsional)',
  close: 'Tutup tiket',
  memo: 'Memo penutupan',
  slaPause: 'Jeda SLA',
  slaResume: 'Lanjutkan SLA',
  slaExtend: 'Perpanjang SLA (sekali)',
  reason: 'Alasan',
  firstResponseDue: 'Respon pertama',
  breachDue: 'Batas penyelesaian',
  warningDue: 'Peringatan',
  completeTask: 'Selesaikan langkah',
  ticketClosed: 'Tiket sudah ditutup',
  sourceConversation: 'Percakapan asal',
  error: 'Terjadi kesalahan',
  conflict: 'Data sudah berubah; tampilan dimuat ulang. Silakan coba lagi.',
  forbidden: 'Anda tidak berwenang untuk tindakan ini.',
  liveConnected: 'Langsung',
  liveDisconnected: 'Terputus, menyambung ulang…',
  version: 'versi',
  startedAt: 'Mulai',
  roles: 'Peran',
} as const;

export type Key = keyof typeof id;

const en: Record<Key, string> = {
  appName: 'ContactCenter Pegadaian',
  signIn: 'Sign in',
  signOut: 'Sign out',
  userName: 'User name',
  password: 'Password',
  signInTitle: 'Sign in to ContactCenter',
  signInFailed: 'Wrong user name or password.',
  signInLocked: 'Too many failed attempts; try again in a few minutes.',
  language: 'Language',
  menuConsole: 'Agent console',
  menuTickets: 'Ticket queues',
  menuDesigner: 'Flow designer',
  menuQuality: 'QC replay',
  menuDashboard: 'Dashboard',
  menuNotifications: 'Notifications',
  menuUsers: 'Users',
  menuMigrations: 'Instance migration',
  menuCalendar: 'Calendar',
  noAccess: 'You are not allowed to open this screen.',
  notFound: 'There is no such page.',
  goHome: 'Back to your screen',
  loading: 'Loading…',
  myConversations: 'My conversations',
  allStatuses: 'All statuses',
  allChannels: 'All channels',
  status_Running: 'Running',
  status_Completed: 'Completed',
  status_Cancelled: 'Cancelled',
  status_Faulted: 'Faulted',
  noConversations: 'No conversations yet.',
  startContact: 'Start a contact',
  channel: 'Channel',
  customer: 'Customer',
  customerHint: 'Phone / email / account',
  start: 'Start',
  ch_whatsapp: 'WhatsApp',
  'ch_live-chat': 'Live chat',
  'ch_social-media': 'Social media',
  ch_email: 'Email',
  'ch_inbound-call': 'Inbound call',
  'ch_outlet-reservation': 'Outlet reservation',
  ch_ticket: 'Ticket',
  chooseConversation: 'Pick a conversation on the left or start a new contact.',
  currentStep: 'Current SOP step',
  step: 'Step',
  script: 'Script',
  done: 'Done',
  noOpenTask: 'No step is waiting for you. Waiting for the customer…',
  conversationEnded: 'This conversation has ended',
  conversation: 'Conversation',
  customerSaid: 'Customer',
  agentSaid: 'Agent',
  promptSent: 'Automatic prompt',
  noMessages: 'No messages yet.',
  nextPrompt: 'Next “still connected?” question in',
  timerDue: 'Wait is over: ask now',
  askWithin: 'Ask now: the ladder moves on in',
  askNow: 'Ask now',
  askDue: 'Time to ask “still connected?” (SOP: the agent must ask)',
  sound: 'Sound when due',
  simulator: 'Customer simulator (loopback)',
  simulatorHint: 'Send a message as the customer, for a demo.',
  send: 'Send',
  messagePlaceholder: 'Type the customer’s message…',
  complaint: 'Raise a complaint (ticket to Tier 2)',
  category: 'Category',
  priority: 'Priority',
  description: 'Description',
  raiseComplaint: 'Create complaint ticket',
  cancel: 'Cancel',
  diagram: 'Flow diagram',
  diagramCurrent: 'The current position is highlighted',
  diagramFailed: 'The diagram could not be loaded.',
  ticketQueue: 'Ticket queue',
  queueTier2: 'Tier 2',
  queueRelated: 'Related team',
  noTickets: 'No open tickets in this queue.',
  opened: 'Opened',
  sla: 'SLA',
  remaining: 'Remaining',
  unit: 'Unit',
  currentTask: 'Current step',
  sla_onTrack: 'On track',
  'sla_on-track': 'On track',
  'sla_at-risk': 'At risk',
  sla_breached: 'Breached',
  paused: 'paused',
  overdueBy: 'overdue',
  ticket: 'Ticket',
  back: 'Back',
  notes: 'Notes / memo',
  noNotes: 'No notes yet.',
  addNote: 'Add note',
  dispatch: 'Dispatch to related team',
  dispatchNote: 'Dispatch note (optional)',
  close: 'Close ticket',
  memo: 'Closing memo',
  slaPause: 'Pause SLA',
  slaResume: 'Resume SLA',
  slaExtend: 'Extend SLA (once)',
  reason: 'Reason',
  firstResponseDue: 'First response',
  breachDue: 'Resolution due',
  warningDue: 'Warning',
  completeTask: 'Complete step',
  ticketClosed: 'The ticket is closed',
  sourceConversation: 'Source conversation',
  error: 'Something went wrong',
  conflict: 'The data changed meanwhile; the view was reloaded. Please try again.',
  forbidden: 'You are not allowed to do this.',
  liveConnected: 'Live',
  liveDisconnected: 'Disconnected, reconnecting…',
  version: 'version',
  startedAt: 'Started',
  roles: 'Roles',
};

export type Lang = 'id' | 'en';
const dictionaries: Record<Lang, Record<Key, string>> = { id, en };
const storageKey = 'cc.lang';

let current: Lang = localStorage.getItem(storageKey) === 'en' ? 'en' : 'id';
document.documentElement.lang = current;

export function lang(): Lang {
  return current;
}

export function setLang(value: Lang): void {
  current = value;
  localStorage.setItem(storageKey, value);
  document.documentElement.lang = value;
}

/** The word for a key in the current language; unknown keys (a new status from the server) show as they are. */
export function t(key: Key | string): string {
  return (dictionaries[current] as Record<string, string>)[key] ?? key;
}

export function locale(): string {
  return current === 'id' ? 'id-ID' : 'en-GB';
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' });
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Asia/Jakarta' });
}

/** A duration in milliseconds as "1h 02m", "4:05" (under an hour) or "3d 04h". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const d = current === 'id' ? 'h' : 'd';
  const h = current === 'id' ? 'j' : 'h';
  if (days > 0) return `${days}${d} ${two(hours)}${h}`;
  if (hours > 0) return `${hours}${h} ${two(minutes)}m`;
  return `${minutes}:${two(seconds)}`;
}

/** SLA time, which counts working hours only (a working day is 9 hours): "89 jam 59 m kerja". */
export function formatWorkingTime(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  return current === 'id' ? `${hours} jam ${minutes % 60} m kerja` : `${hours} h ${minutes % 60} m working`;
}

/**
 * A screen's own words, kept beside the screen instead of in the shared dictionaries above:
 * `const w = words({ id: {...}, en: {...} })`, then `w('key')`. English must name every key.
 */
export function words<K extends string>(dictionary: { id: Record<K, string>; en: Record<K, string> }): (key: K) => string {
  return key => dictionary[current][key] ?? key;
}
