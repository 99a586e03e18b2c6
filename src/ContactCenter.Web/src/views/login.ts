import { api, ApiError } from '../api';
import { formValues, h, mount } from '../dom';
import { lang, setLang, t } from '../i18n';

export function renderLogin(target: HTMLElement, signedIn: () => Promise<void>): void {
  const error = h('p.error', { role: 'alert', hidden: true });
  const button = h('button', { type: 'submit' }, t('signIn'));
  const form = h('form.login', {
    onsubmit: async (e: SubmitEvent) => {
      e.preventDefault();
      const { userName, password } = formValues(form);
      button.disabled = true;
      error.hidden = true;
      try {
        await api.login(userName.trim(), password);
        await signedIn();
      } catch (err) {
        error.textContent = err instanceof ApiError && err.status === 401
          ? (err.detail?.includes('Too many') ? t('signInLocked') : t('signInFailed'))
          : `${t('error')}: ${String(err)}`;
        error.hidden = false;
      } finally {
        button.disabled = false;
      }
    },
  },
  h('h1', null, t('signInTitle')),
  h('label', null, t('userName'), h('input', { name: 'userName', autocomplete: 'username', required: true, autofocus: true })),
  h('label', null, t('password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
  error,
  button,
  h('p.lang', null, t('language'), ': ',
    h('button.link', { type: 'button', class: lang() === 'id' ? 'active' : undefined, onclick: () => { setLang('id'); renderLogin(target, signedIn); } }, 'Bahasa Indonesia'),
    ' · ',
    h('button.link', { type: 'button', class: lang() === 'en' ? 'active' : undefined, onclick: () => { setLang('en'); renderLogin(target, signedIn); } }, 'English')));
  mount(target, h('div.login-page', null, h('div.brand.big', null, h('span.logo', null, 'CC'), t('appName')), form));
}
