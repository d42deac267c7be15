/*
 * Languages: zh-CN by default, en by the switch; the choice is remembered in localStorage and
 * also sets <html lang>, the Element Plus locale and the document title.
 */
import { computed } from 'vue';
import { createI18n } from 'vue-i18n';
import zhCnEl from 'element-plus/es/locale/lang/zh-cn';
import enEl from 'element-plus/es/locale/lang/en';
import zhCN from './zh-CN';
import en from './en';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: { value: Locale; label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
];
const KEY = 'egov.locale';

function initial(): Locale {
  const saved = localStorage.getItem(KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initial(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? enEl : zhCnEl));

export function setLocale(l: Locale): void {
  i18n.global.locale.value = l;
  localStorage.setItem(KEY, l);
  document.documentElement.lang = l;
}

document.documentElement.lang = i18n.global.locale.value;
