import { ApiError, http } from '../api';
import type { Context, Screen } from '../main';
import { formValues, h, mount } from '../dom';
import { formatDateTime, t, words } from '../i18n';

/** A user as the admin API shows them. */
interface UserView { userName: string; displayName: string; roles: string[]; unit: string | null; disabled: boolean; lastSignInAt: string | null }
interface UserWithPassword { user: UserView; password: string | null }
interface AuditView { id: number; at: string; actor: string; targetUser: string; action: string; details: string }

const roles = ['Agent', 'Tier2', 'RelatedTeam', 'TeamLeader', 'QualityControl', 'ProcessOwner', 'Reviewer', 'Approver', 'Admin'];

const users = {
  list: () => http.get<UserView[]>('/api/admin/users'),
  add: (body: { userName: string; displayName: string; roles: string[]; unit: string | null }) => http.post<UserWithPassword>('/api/admin/users', body),
  change: (userName: string, body: { displayName: string; roles: string[]; unit: string | null }) => http.request<UserView>('PUT', `/api/admin/users/${http.enc(userName)}`, body),
  disable: (userName: string) => http.post<UserView>(`/api/admin/users/${http.enc(userName)}/disable`),
  enable: (userName: string) => http.post<UserView>(`/api/admin/users/${http.enc(userName)}/enable`),
  resetPassword: (userName: string) => http.post<UserWithPassword>(`/api/admin/users/${http.enc(userName)}/password`),
  audit: () => http.get<AuditView[]>('/api/admin/users/audit?limit=20'),
};

const w = words({
  id: {
    title: 'Pengguna',
    add: 'Tambah pengguna',
    userName: 'Nama pengguna',
    displayName: 'Nama tampilan',
    roles: 'Peran',
    unit: 'Unit (Pihak Terkait)',
    status: 'Status',
    lastSignIn: 'Terakhir masuk',
    active: 'Aktif',
    disabled: 'Nonaktif',
    edit: 'Ubah',
    save: 'Simpan',
    cancel: 'Batal',
    disable: 'Nonaktifkan',
    enable: 'Aktifkan',
    resetPassword: 'Atur ulang kata sandi',
    newPassword: 'Kata sandi baru untuk',
    shownOnce: 'Catat sekarang: kata sandi ini hanya ditampilkan sekali.',
    audit: 'Riwayat perubahan',
    confirmDisable: 'Nonaktifkan pengguna ini? Sesi yang sedang berjalan akan berakhir.',
  },
  en: {
    title: 'Users',
    add: 'Add user',
    userName: 'User name',
    displayName: 'Display name',
    roles: 'Roles',
    unit: 'Unit (Related team)',
    status: 'Status',
    lastSignIn: 'Last sign-in',
    active: 'Active',
    disabled: 'Disabled',
    edit: 'Edit',
    save: 'Save',
    cancel: 'Cancel',
    disable: 'Disable',
    enable: 'Enable',
    resetPassword: 'Reset password',
    newPassword: 'New password for',
    shownOnce: 'Note it now: this password is shown only once.',
    audit: 'Change history',
    confirmDisable: 'Disable this user? Their current sessions end.',
  },
});

/**
 * The administrator's users screen: every user with their roles, unit and state; a form to add
 * one, an edit form per user, disable/enable, and a password reset whose new password is shown
 * once. The change history (the server's user audit) is below.
 */
export function renderUsers(ctx: Context): Screen {
  const message = h('p.error', { role: 'alert', hidden: true });
  const secret = h('div.panel.notice', { 'data-testid': 'new-password', hidden: true });
  const table = h('tbody');
  const editor = h('div');
  const audit = h('ul', { 'data-testid': 'user-audit' });
  let disposed = false;

  mount(ctx.main,
    h('section.panel', null, h('h1', null, w('title')), message, secret,
      h('table.queue', { 'data-testid': 'users' },
        h('thead', null, h('tr', null, h('th', null, w('userName')), h('th', null, w('displayName')), h('th', null, w('roles')),
          h('th', null, w('unit')), h('th', null, w('status')), h('th', null, w('lastSignIn')), h('th'))),
        table),
      editor,
      h('h2', null, w('add')), profileForm(null)),
    h('section.panel', null, h('h2', null, w('audit')), audit));

  function fail(e: unknown): void {
    const fields = e instanceof ApiError ? Object.entries(e.errors).map(([field, problems]) => `${field}: ${problems.join(' ')}`) : [];
    message.textContent = e instanceof ApiError ? [e.detail ?? e.title, ...fields].join(' · ') : `${t('error')}: ${String(e)}`;
    message.hidden = false;
  }

  async function act(action: () => Promise<unknown>): Promise<void> {
    message.hidden = true;
    try {
      await action();
      await load();
    } catch (e) {
      fail(e);
    }
  }

  function showPassword(result: UserWithPassword): void {
    if (!result.password) return;
    mount(secret, h('p', null, `${w('newPassword')} ${result.user.userName}: `, h('code', { 'data-testid': 'password' }, result.password)), h('p.muted', null, w('shownOnce')));
    secret.hidden = false;
  }

  /** The add form (user null) or the edit form of a user. */
  function profileForm(user: UserView | null): HTMLFormElement {
    const form = h('form.stack', {
      'data-testid': user ? 'edit-user' : 'add-user',
      onsubmit: (e: SubmitEvent) => {
        e.preventDefault();
        const values = formValues(form);
        const chosen = roles.filter(r => (form.elements.namedItem(`role-${r}`) as HTMLInputElement).checked);
        const profile = { displayName: values.displayName ?? '', roles: chosen, unit: values.unit?.trim() ? values.unit.trim() : null };
        void act(async () => {
          if (user) {
            await users.change(user.userName, profile);
            mount(editor);
          } else {
            secret.hidden = true;
            showPassword(await users.add({ userName: values.userName ?? '', ...profile }));
            form.reset();
          }
        });
      },
    },
      user ? h('h2', null, `${w('edit')}: ${user.userName}`) : h('label', null, w('userName'), h('input', { name: 'userName', required: true, autocomplete: 'off' })),
      h('label', null, w('displayName'), h('input', { name: 'displayName', required: true, value: user?.displayName })),
      h('fieldset.roles', null, h('legend', null, w('roles')),
        roles.map(r => h('label', null, h('input', { type: 'checkbox', name: `role-${r}`, checked: user?.roles.includes(r) }), r))),
      h('label', null, w('unit'), h('input', { name: 'unit', value: user?.unit })),
      h('div.actions', null,
        h('button', { type: 'submit' }, user ? w('save') : w('add')),
        user ? h('button.secondary', { type: 'button', onclick: () => mount(editor) }, w('cancel')) : null));
    return form;
  }

  function row(user: UserView): HTMLElement {
    return h('tr', { 'data-testid': 'user', 'data-user': user.userName, class: user.disabled ? 'muted' : undefined },
      h('td', null, user.userName),
      h('td', null, user.displayName),
      h('td', null, user.roles.join(', ')),
      h('td', null, user.unit ?? '–'),
      h('td', { 'data-testid': 'user-status' }, user.disabled ? w('disabled') : w('active')),
      h('td', null, formatDateTime(user.lastSignInAt)),
      h('td.actions', null,
        h('button.secondary', { type: 'button', 'data-testid': 'edit', onclick: () => mount(editor, profileForm(user)) }, w('edit')),
        user.disabled
          ? h('button.secondary', { type: 'button', 'data-testid': 'enable', onclick: () => void act(() => users.enable(user.userName)) }, w('enable'))
          : h('button.secondary', { type: 'button', 'data-testid': 'disable', onclick: () => { if (confirm(w('confirmDisable'))) void act(() => users.disable(user.userName)); } }, w('disable')),
        h('button.secondary', { type: 'button', 'data-testid': 'reset-password', onclick: () => void act(async () => showPassword(await users.resetPassword(user.userName))) }, w('resetPassword'))));
  }

  async function load(): Promise<void> {
    const [all, changes] = await Promise.all([users.list(), users.audit()]);
    if (disposed) return;
    mount(table, all.map(row));
    mount(audit, changes.map(a => h('li', null, `${formatDateTime(a.at)} · ${a.actor} → ${a.targetUser}: ${a.action} (${a.details})`)));
  }

  void load().catch(fail);
  return { title: 'menuUsers', cleanup: () => { disposed = true; } };
}
